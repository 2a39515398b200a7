"""Small pieces the accounts and audit screens share: a read-only row list and message labels.

Both screens show records the user picks one at a time (never edits in place), so they use
`GridView` with whole-row, single selection and no editing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

if TYPE_CHECKING:
    from mibdesk.ui.widgets.grid import GridView

ERROR_COLOR = "#b00020"
OK_COLOR = "#1b7f3b"
NOTE_COLOR = "#5f6b7a"
_TONES = {"error": ERROR_COLOR, "ok": OK_COLOR, "note": NOTE_COLOR}


def row_list(parent: QWidget | None = None) -> GridView:
    """A `GridView` that selects one whole row at a time and never edits; the last column
    takes the spare width."""
    from mibdesk.ui.widgets.grid import GridView  # start-up needs only the colours above

    grid = GridView(parent)
    grid.verticalHeader().hide()
    grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    grid.horizontalHeader().setStretchLastSection(True)
    return grid


def selected_row(grid: GridView) -> int | None:
    """The table row selected in `grid` (its core model's index), or None."""
    model = grid.selectionModel()
    rows = model.selectedRows() if model is not None else []
    if not rows:
        return None
    return cast(QSortFilterProxyModel, grid.model()).mapToSource(rows[0]).row()


def message_label(object_name: str) -> QLabel:
    """An empty, word-wrapped label for messages set with `show_message`."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def show_message(label: QLabel, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
    """Show `text` in red (an error), green (all is well) or grey (a note); "" clears it."""
    label.setStyleSheet(f"color: {_TONES[tone]};")
    label.setText(text)


def show_line(label: QLabel, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
    """`show_message` on a line that takes no room while it is empty."""
    show_message(label, text, tone)
    label.setVisible(bool(text))
