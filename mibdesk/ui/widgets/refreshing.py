"""`RefreshingScreen`: a screen kept in step with the hub's `Changes` without reloading while
it is hidden."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from mibdesk.core.services.changes import Area, Changes


class RefreshingScreen(QWidget):
    """`on_changes` catches up at once when the changes concern this screen (`wants`: they
    touch one of `areas`) and it is visible, else at its next show.

    Subclasses set `areas` (or override `wants`) and implement `refresh`; `catch_up` runs
    `refresh` unless overridden. `loaded=False` leaves the first load to the first show.
    """

    areas: ClassVar[tuple[Area, ...]] = ()

    def __init__(self, *, loaded: bool = True) -> None:
        super().__init__()
        self._stale = not loaded

    def wants(self, changes: Changes) -> bool:
        return changes.touches(*self.areas)

    def on_changes(self, changes: Changes) -> None:
        if not self.wants(changes):
            return
        if self.isVisible():
            self._catch_up()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._catch_up()

    def _catch_up(self) -> None:
        self._stale = False
        self.catch_up()

    def catch_up(self) -> None:
        """Bring the screen up to date after changes that came."""
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError
