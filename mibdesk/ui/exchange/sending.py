"""Sending through the drop from the report and plan screens: "报送市局" for an approved month
(a county), "报送县局" for a township's figures, "提交市局" for a signed plan with its signed PDF.

Each button shows itself only where it fits the office and the user, enables itself for the
month's status (`update_for`), sends on the worker (a package is signed, stored, and copied
to the drop, which may be a slow share), says how it went with the screen's `say`, and
publishes the service's `Changes`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Permission
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.setup import OfficeLevel
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.services.exchange.sending import Sending

Current = Callable[[], tuple[str, Month]]  # the scheme and month on screen
Say = Callable[..., None]  # say(text, tone="error")


def sent_text(sending: Sending) -> str:
    recipient = sending.sent.recipient
    if sending.waiting_because:
        return _(
            "The package for {recipient} is built and signed, but waits on this computer: "
            "{reason} It goes out with the next sync."
        ).format(recipient=recipient, reason=sending.waiting_because)
    return _("The package is in the drop folder, for {recipient}.").format(recipient=recipient)


class _SendButton(QPushButton):
    def __init__(self, ctx: UiContext, text: str, tip: str, say: Say, visible: bool) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._say = say
        self.setToolTip(tip)
        self.setVisible(visible and ctx.actor.can(Permission.ENTER))
        self.setEnabled(False)

    def _run(self, work: Callable[[], Outcome[Sending]]) -> None:
        self.setEnabled(False)

        def done(outcome: Outcome[Sending]) -> None:
            self._say(sent_text(outcome.value), "note" if outcome.value.waiting_because else "ok")
            self.ctx.hub.publish(outcome.changes)

        def failed(error: BaseException) -> None:
            self.setEnabled(True)
            if isinstance(error, UserError):
                self._say(str(error))
            else:
                self.ctx.tasks.show_error(error, self.text())

        self.ctx.tasks.run(lambda _progress: work(), done, failed, self.text())


class ReportSendButton(_SendButton):
    """On the monthly report screen: a county sends an approved month to the city, a
    township its month's figures to the county."""

    def __init__(self, ctx: UiContext, current: Current, say: Say) -> None:
        self._township = ctx.office.level == OfficeLevel.TOWNSHIP
        super().__init__(
            ctx,
            _("Send to the county") if self._township else _("Send to the city"),
            _("Build a signed package of this month and put it in the drop folder."),
            say,
            ctx.office.level in (OfficeLevel.COUNTY, OfficeLevel.TOWNSHIP),
        )
        self._current = current
        self.clicked.connect(self.send)

    def update_for(self, status: ReportStatus) -> None:
        """Enable for an approved month (a county) or any month (a township)."""
        self.setEnabled(self._township or status == ReportStatus.APPROVED)

    def send(self) -> None:
        from mibdesk.core.services.exchange import sending

        ctx = self.ctx
        scheme, month = self._current()
        if self._township:
            self._run(
                lambda: sending.send_township_figures(
                    ctx.store, ctx.actor, ctx.profile, scheme, month
                )
            )
        else:
            self._run(lambda: sending.send_monthly_report(ctx.store, ctx.actor, scheme, month))


class PlanSendButton(_SendButton):
    """On the plan screen: a county submits a signed plan to the city with the signed PDF."""

    def __init__(self, ctx: UiContext, current: Current, say: Say) -> None:
        super().__init__(
            ctx,
            _("Submit to the city through the drop…"),
            _("Send the signed plan and its signed PDF to the city as a package."),
            say,
            ctx.office.level == OfficeLevel.COUNTY,
        )
        self._current = current
        self.clicked.connect(self.send)

    def update_for(self, status: str | None) -> None:
        """Enable for a plan the head has signed."""
        self.setEnabled(status == "signed")

    def send(self) -> None:
        from mibdesk.core.services.exchange import sending

        parent: QWidget = self.window()
        path, _filter = QFileDialog.getOpenFileName(
            parent, _("The signed plan (PDF)"), "", _("PDF files (*.pdf)")
        )
        if not path:
            return
        ctx = self.ctx
        scheme, month = self._current()
        self._run(
            lambda: sending.send_plan(ctx.store, ctx.actor, ctx.profile, scheme, month, Path(path))
        )
