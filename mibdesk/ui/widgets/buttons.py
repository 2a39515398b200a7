"""`push_button`: a push button wired to its slot in one call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton


def push_button(text: str, slot: Callable[[], object], enabled: bool = True) -> QPushButton:
    """A button showing `text` that runs `slot` when clicked, enabled or not."""
    button = QPushButton(text)
    button.clicked.connect(slot)
    button.setEnabled(enabled)
    return button
