"""The change hub: services return `Changes`; the hub hands them to every screen."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mibdesk.core.services.changes import Changes


class ChangeHub(QObject):
    """Screens connect to `changed` and refresh only when the areas they show were touched."""

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        if changes.areas:
            self.changed.emit(changes)
