"""`StepScreen`: what the monthly report (月报) and the fund-use plan (用款计划) screens share —
a grid whose typed cells are saved as one save once the event loop turns (a pasted block
is one save), workflow steps run at once or through a dialog, and one message line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from mibdesk.core.errors import UserError
from mibdesk.core.periods import Month
from mibdesk.core.services.changes import Changes
from mibdesk.ui.accounts.listing import show_line
from mibdesk.ui.widgets.grid import EditError
from mibdesk.ui.widgets.refreshing import RefreshingScreen

Tone = Literal["error", "ok", "note"]


class StepController(Protocol):
    @property
    def month(self) -> Month: ...

    @property
    def pending(self) -> bool: ...

    @property
    def publishing(self) -> bool: ...


class StepScreen(RefreshingScreen):
    """Subclasses set `controller` and `message` in their `__init__`, and implement `flush`
    (save what was typed), `show_current` (draw the month or plan shown) and `reset_undo`
    (drop undo steps typed over figures that were read again)."""

    controller: StepController
    message: QLabel

    def __init__(self) -> None:
        super().__init__()
        self._flush_scheduled = False

    def wants(self, changes: Changes) -> bool:
        return super().wants(changes) and not self.controller.publishing  # ours: shown

    def flush(self) -> None:
        raise NotImplementedError

    def show_current(self) -> None:
        raise NotImplementedError

    def reset_undo(self) -> None:
        raise NotImplementedError

    def schedule_flush(self) -> None:
        """Save the typed cells once the event loop turns (all of a paste in one save)."""
        if not self._flush_scheduled:
            self._flush_scheduled = True
            QTimer.singleShot(0, self._flush_now)

    def _flush_now(self) -> None:
        self._flush_scheduled = False
        self.flush()

    def flush_pending(self) -> None:
        """Save what was typed before a step, a form or another month."""
        if self.controller.pending:
            self.flush()

    def say(self, text: str, tone: Tone = "error") -> None:
        """Show `text` in the message line under the buttons ("" hides it)."""
        show_line(self.message, text, tone)

    def edits_rejected(self, errors: list[EditError]) -> None:
        self.say("\n".join(e.message for e in errors[:3]))

    @staticmethod
    def step_button(text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def run_step(self, action: Callable[[], None], done: str) -> None:
        """Run a workflow step without a dialog; a refusal is shown, nothing changed."""
        self.flush_pending()
        try:
            action()
        except UserError as error:
            self.say(str(error))
            return
        self.after_step(done)

    def after_step(self, done: str) -> None:
        """Redraw after a step and say `done` ({month} filled in)."""
        self.reset_undo()
        self.show_current()
        self.say(done.format(month=self.controller.month.label), "ok")

    def step_dialog(self, dialog: QDialog, done: str) -> None:
        """A step that asks first: on OK, as `after_step`."""
        self.flush_pending()
        self.say("")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_step(done)
