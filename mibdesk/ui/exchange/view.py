"""The exchange screen (文件交换): what was sent and what came in through the drop folder,
the packages in quarantine with their reasons, the keys, and "sync now"."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area
from mibdesk.core.services.exchange.importer import Verdict
from mibdesk.core.services.exchange.overview import inbox_status_label, when
from mibdesk.core.services.exchange.quarantine import Received
from mibdesk.ui.accounts.listing import message_label, row_list, selected_row, show_message
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange.controller import ExchangeController
from mibdesk.ui.exchange.keys_panel import KeysPanel
from mibdesk.ui.exchange.sync_runner import SyncRunner, SyncState, report_text, state_text
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.widgets.refreshing import RefreshingScreen

OUTBOX_TAB, INBOX_TAB, QUARANTINE_TAB, KEYS_TAB = range(4)


class ExchangeScreen(RefreshingScreen):
    """Sync state and "sync now" at the top; outbox, inbox history, quarantine and keys in
    tabs. Refreshes on `Area.OFFICE` (the exchange ledger and keys) and `Area.SETTINGS`: at
    once when shown, otherwise the next time it is shown."""

    areas = (Area.OFFICE, Area.SETTINGS)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = ExchangeController(ctx)
        self.runner = SyncRunner.of(ctx)
        self._syncing = False

        title = QLabel(_("File exchange"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.state_label = message_label("syncState")
        self.sync_button = QPushButton(_("Sync now"))
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(self.sync_now)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.state_label, 1)
        top.addWidget(self.sync_button)
        self.message = message_label("exchangeMessage")
        self.message.hide()

        self.outbox = row_list(self)
        self.outbox.setObjectName("outbox")
        self.outbox.set_table(self.controller.outbox)
        self.keys = KeysPanel(ctx, self.controller, self.say)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.outbox, _("Outbox"))
        self.tabs.addTab(self._inbox_tab(), _("Received packages"))
        self.tabs.addTab(self._quarantine_tab(), _("Quarantine"))
        self.tabs.addTab(self.keys, _("Keys"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.runner.state_changed.connect(self._show_state)
        self.runner.recount()
        self.refresh()

    def _inbox_tab(self) -> QWidget:
        self.inbox = row_list(self)
        self.inbox.setObjectName("inbox")
        self.inbox.set_table(self.controller.inbox)
        self.inbox.selectionModel().selectionChanged.connect(self._show_received)
        self.original_button = QPushButton(_("Save the original…"))
        self.original_button.setToolTip(
            _("The package file as the sender signed it, for an auditor or a technician")
        )
        self.original_button.clicked.connect(self.save_original)
        self.original_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.original_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.inbox, 1)
        layout.addLayout(buttons)
        return page

    def selected_received(self) -> Received | None:
        row = selected_row(self.inbox)
        received = self.controller.received
        return received[row] if row is not None and row < len(received) else None

    def _show_received(self) -> None:
        self.original_button.setEnabled(self.selected_received() is not None)

    def save_original(self) -> None:
        item = self.selected_received()
        if item is None:
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the original"), item.file_name, _("Packages (*.mibpkg)")
        )
        if not chosen:
            return
        try:
            path = self.controller.save_original(item, Path(chosen))
        except UserError as error:
            self.say(str(error))
            return
        self.say(_("Saved as {path}.").format(path=path), "ok")

    def _quarantine_tab(self) -> QWidget:
        self.quarantine = row_list(self)
        self.quarantine.setObjectName("quarantine")
        self.quarantine.set_table(self.controller.quarantine)
        self.quarantine.selectionModel().selectionChanged.connect(self._show_reason)
        self.reason = QLabel()
        self.reason.setObjectName("quarantineReason")
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(_("Try again"))
        self.retry_button.clicked.connect(self.retry)
        self.set_aside_button = QPushButton(_("Set aside…"))
        self.set_aside_button.clicked.connect(self.set_aside)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.set_aside_button)
        buttons.addStretch(1)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.reason, 1)
        details_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.quarantine)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        return splitter

    # -- refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every list again."""
        self.controller.load()
        for grid in (self.outbox, self.inbox, self.quarantine):
            grid.refresh()
        self.keys.refresh()
        held, pending = len(self.controller.quarantined), len(self.controller.pending)
        self.tabs.setTabText(
            QUARANTINE_TAB, _("Quarantine ({n})").format(n=held) if held else _("Quarantine")
        )
        self.tabs.setTabText(
            KEYS_TAB, _("Keys ({n} to check)").format(n=pending) if pending else _("Keys")
        )
        self._show_reason()

    def say(self, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
        """Show `text` in the message line under the top bar ("" hides it)."""
        show_message(self.message, text, tone)
        self.message.setVisible(bool(text))

    # -- sync -------------------------------------------------------------------------------

    def sync_now(self) -> None:
        self.say("")
        self.runner.sync_now()

    def _show_state(self, state: SyncState) -> None:
        text, tone = state_text(state)
        show_message(self.state_label, text, tone)
        self.sync_button.setEnabled(not state.running)
        finished, self._syncing = self._syncing and not state.running, state.running
        if finished and state.last is not None and not state.problem:
            self.say(report_text(state.last), "ok")

    # -- quarantine -------------------------------------------------------------------------

    def selected_package(self) -> Received | None:
        row = selected_row(self.quarantine)
        return None if row is None else self.controller.quarantined[row]

    def _show_reason(self) -> None:
        item = self.selected_package()
        self.retry_button.setEnabled(item is not None and self.controller.can_retry)
        self.set_aside_button.setEnabled(item is not None and self.controller.can_set_aside)
        if item is None:
            self.reason.setText(
                _("Select a package to see why it was not applied.")
                if self.controller.quarantined
                else _("No package is in quarantine.")
            )
            return
        self.reason.setText(
            _("File {file}, received {at}.\n{reason}").format(
                file=item.file_name, at=when(item.received_at), reason=item.reason
            )
        )

    def retry(self) -> None:
        item = self.selected_package()
        if item is None:
            return
        self.retry_button.setEnabled(False)
        self.controller.retry(item, self._retried, self._retry_refused)

    def _retried(self, verdict: Verdict) -> None:
        status = inbox_status_label(verdict.status)
        if verdict.status == "applied":
            self.say(_("The package was applied."), "ok")
        else:
            self.say(
                _("Still not applied ({status}): {reason}").format(
                    status=status, reason=verdict.reason
                )
            )
        self._show_reason()

    def _retry_refused(self, message: str) -> None:
        self.say(message)
        self._show_reason()

    def set_aside(self) -> None:
        item = self.selected_package()
        if item is None:
            return
        dialog = ReasonDialog(
            _("Set a package aside"),
            _(
                "The package will not be applied. The reason is recorded and sent back to the "
                "sender with the acknowledgement."
            ),
            _("e.g. the county sent a corrected package; this one is superseded"),
            lambda reason: self.controller.set_aside(item, reason),
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.say(_("The package was set aside."), "ok")
