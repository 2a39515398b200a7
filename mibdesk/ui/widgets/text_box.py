"""A short multi-line text field for reasons and notes (Tab moves on, three lines high)."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit

TEXT_LINES = 3


def text_box(placeholder: str, text: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * TEXT_LINES + 14)
    return box
