"""Sync with the drop folder from the window: one at a time, on the task runner's worker; the
latest state for the exchange screen and the status bar; the automatic sync on a timer.

The main window builds the status label at start-up, so the exchange services (pydantic,
cryptography: half a second) are imported only when the first count or sync runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.settings import load_settings
from mibdesk.ui.accounts.listing import ERROR_COLOR, NOTE_COLOR
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.services.exchange.overview import Counts
    from mibdesk.core.services.exchange.sync import SyncReport

FIRST_SYNC_MS = 3_000
"""The first automatic sync, once the window is up."""

Tone = Literal["error", "ok", "note"]


@dataclass(frozen=True)
class SyncState:
    counts: Counts | None = None  # None until first counted
    last: SyncReport | None = None  # the latest sync since the window opened
    running: bool = False
    error: str = ""  # a refusal that stopped the latest sync

    @property
    def problem(self) -> str:
        """Why the drop could not be used, or the sync failed ("" when it went well)."""
        return self.error or (self.last.problem if self.last else "")


def state_text(state: SyncState, *, short: bool = False) -> tuple[str, Tone]:
    """One line: the latest sync, what waits — or what went wrong (`short`: without the
    details of what went wrong, for the status bar; its tooltip has them)."""
    found = state.counts
    if state.running:
        return _("Syncing with the drop folder…"), "note"
    if state.problem:
        text = _("Exchange: {problem} Outgoing packages wait on this computer.").format(
            problem=_("the drop folder cannot be used.") if short else state.problem
        )
        if found is not None and found.waiting:
            text += " " + _("{n} waiting to go out").format(n=found.waiting)
        return text, "error"
    if found is None:
        return _("Not synced since mibdesk started"), "note"
    parts = [_("Not synced since mibdesk started")]
    if state.last is not None:
        from mibdesk.core.services.exchange.overview import when  # loaded by the sync

        parts = [_("Last sync {at}").format(at=when(state.last.at))]
    parts.append(_("{n} waiting to go out").format(n=found.waiting))
    if found.quarantined:
        parts.append(_("{n} in quarantine").format(n=found.quarantined))
    if found.pending_keys:
        parts.append(_("{n} key cards to check").format(n=found.pending_keys))
    return " · ".join(parts), "error" if found.quarantined else "note"


def report_text(report: SyncReport) -> str:
    """What one sync did, in a sentence."""
    return _(
        "Sync done: {sent} sent, {received} received ({applied} applied, {held} waiting for "
        "earlier packages, {quarantined} quarantined), {cards} new key cards."
    ).format(
        sent=report.delivered,
        received=len(report.verdicts),
        applied=report.count("applied"),
        held=report.count("held"),
        quarantined=report.count("quarantined"),
        cards=report.new_cards,
    )


class SyncRunner(QObject):
    """The window's sync: `sync_now` queues one unless one is running; `state_changed(state)`
    follows every change of `state`. One per window, found with `of(ctx)`."""

    state_changed = Signal(object)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx.hub)
        self._ctx = ctx
        self._publishing = False
        self.state = SyncState()
        ctx.hub.changed.connect(self._on_changes)

    @staticmethod
    def of(ctx: UiContext) -> SyncRunner:
        found = ctx.hub.findChild(SyncRunner)
        return found if isinstance(found, SyncRunner) else SyncRunner(ctx)

    def sync_now(self) -> bool:
        """Start a sync; False if one is running already."""
        if self.state.running:
            return False
        self._set(replace(self.state, running=True))
        store = self._ctx.store
        from mibdesk.core.services.exchange.overview import counts
        from mibdesk.core.services.exchange.sync import sync

        def work(_progress: object) -> tuple[Outcome[SyncReport], Counts]:
            outcome = sync(store)
            return outcome, counts(store)

        self._ctx.tasks.run(work, self._done, self._failed, _("Sync with the drop folder"))
        return True

    def _done(self, result: tuple[Outcome[SyncReport], Counts]) -> None:
        outcome, found = result
        self._set(SyncState(found, outcome.value))
        self._publish(outcome.changes)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, UserError):  # e.g. the exchange key file is damaged
            self._set(replace(self.state, running=False, error=str(error)))
            return
        self._set(replace(self.state, running=False))
        self._ctx.tasks.show_error(error, _("Sync with the drop folder"))

    def _publish(self, changes: Changes) -> None:
        self._publishing = True
        try:
            self._ctx.hub.publish(changes)
        finally:
            self._publishing = False

    def recount(self) -> None:
        """Count what waits again (something was sent, set aside, registered …)."""
        from mibdesk.core.services.exchange.overview import counts

        self._set(replace(self.state, counts=counts(self._ctx.store), error=""))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Area.OFFICE, Area.SETTINGS) and not self._publishing:
            self.recount()

    def _set(self, state: SyncState) -> None:
        self.state = state
        self.state_changed.emit(state)


class SyncStatusLabel(QLabel):
    """The sync state in the status bar. While it exists (the window is open) it also syncs
    every `sync_minutes` (a setting), the first time soon after the window opens."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self._ctx = ctx
        self.runner = SyncRunner.of(ctx)
        self.runner.state_changed.connect(self.show_state)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.runner.sync_now)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.runner.sync_now)
        self._first.start(FIRST_SYNC_MS)
        ctx.hub.changed.connect(self._on_changes)
        self._apply_interval()
        self.show_state(self.runner.state)

    def show_state(self, state: SyncState) -> None:
        text, tone = state_text(state, short=True)
        color = ERROR_COLOR if tone == "error" else NOTE_COLOR
        self.setStyleSheet(f"padding: 0 10px; border-left: 1px solid #c8ccd2; color: {color};")
        self.setText(text)
        self.setToolTip(state_text(state)[0])

    def _apply_interval(self) -> None:
        minutes = int(load_settings(self._ctx.store)["sync_minutes"])
        self.timer.start(minutes * 60_000)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Area.SETTINGS):
            self._apply_interval()
