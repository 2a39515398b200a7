"""The one Qt adapter over every core table model, and the delegate that draws its cells.

`CoreTableAdapter` turns any `mibdesk.core.table.TableModel` into a `QAbstractTableModel`;
`GridDelegate` edits a cell with a line edit and marks problem cells. `GridView`
(`mibdesk.ui.widgets.grid`) puts them together; screens never subclass them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QPolygon
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from mibdesk.core.table import Cell, Column, Problem, TableModel, collect_problems

AnyIndex = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

SEVERITY_ROLE = Role.UserRole + 1
"""Data role: the cell's problem severity ("hard"/"soft") or None."""
SORT_ROLE = Role.UserRole + 2
"""Data role: a key that sorts by value (numbers as numbers), used when sorting is enabled."""
COMPUTED_BACKGROUND = QColor("#eef1f5")
MARKER_COLORS = {"hard": QColor("#d93025"), "soft": QColor("#f29900")}
WIDTH_SAMPLES = {
    "fen": "99,999,999.99",
    "count": "9,999,999",
    "date": "2024-12-31",
    "datetime": "2024-12-31 23:59",
    "percent": "100.00%",
    "text": "中" * 6,
}
"""Text as wide as a usual value of each column kind: default column widths."""


class CoreTableAdapter(QAbstractTableModel):
    """A `QAbstractTableModel` over a core `TableModel`; caches cells until the next change.

    Edits go through `set_text`, which re-reads the whole table afterwards (totals change
    with their parts). Call `refresh` after the core model changed behind the adapter's back.
    """

    def __init__(self, table: TableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = table
        self._columns = tuple(table.columns)
        self._rows = table.row_count()
        self._cells: dict[tuple[int, int], Cell] = {}
        self._editable: dict[tuple[int, int], bool] = {}

    @property
    def table(self) -> TableModel:
        return self._table

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def refresh(self) -> None:
        """Re-read the core model: a full reset only if its shape or columns changed."""
        columns, rows = tuple(self._table.columns), self._table.row_count()
        if columns != self._columns or rows != self._rows:
            self.beginResetModel()
            self._columns, self._rows = columns, rows
            self._forget()
            self.endResetModel()
        else:
            self._forget()
            self._all_changed()

    def cell(self, row: int, col: int) -> Cell:
        key = (row, col)
        if key not in self._cells:
            self._cells[key] = self._table.cell(row, col)
        return self._cells[key]

    def is_editable(self, row: int, col: int) -> bool:
        key = (row, col)
        if key not in self._editable:
            self._editable[key] = self._table.is_editable(row, col)
        return self._editable[key]

    def set_text(self, row: int, col: int, text: str) -> str | None:
        """Store `text` through the core model; the error message, or None when stored."""
        error = self._table.set_text(row, col, text)
        if error is None:
            self._forget()
            self._all_changed()
        return error

    def problems(self) -> list[Problem]:
        return collect_problems(self._table)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        cell = self.cell(index.row(), index.column())
        if role in (Role.DisplayRole, Role.EditRole):
            return cell.display
        if role == Role.ToolTipRole:
            return cell.problem or None
        if role == Role.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return horizontal | Qt.AlignmentFlag.AlignVCenter
        if role == Role.BackgroundRole:
            return QBrush(COMPUTED_BACKGROUND) if cell.computed else None
        if role == SEVERITY_ROLE:
            return cell.severity or None
        if role == SORT_ROLE:
            return _sort_key(column, cell)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Role.EditRole) -> bool:
        """Plain Qt editing (no undo); `GridView` edits through `set_text` and its undo stack."""
        if not index.isValid() or role != Role.EditRole:
            return False
        return self.set_text(index.row(), index.column(), str(value)) is None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Role.DisplayRole else None
        if role in (Role.DisplayRole, Role.ToolTipRole):
            return self._columns[section].title
        return None

    def _forget(self) -> None:
        self._cells.clear()
        self._editable.clear()

    def _all_changed(self) -> None:
        if self._rows and self._columns:
            bottom_right = self.index(self._rows - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), bottom_right)


def _sort_key(column: Column, cell: Cell) -> float | str:
    """Numbers sort as numbers (empty first); other kinds by their text (dates are ISO)."""
    if not column.numeric:
        return cell.display
    value = cell.value
    return float(value) if isinstance(value, int | Decimal | Fraction) else float("-inf")


class GridDelegate(QStyledItemDelegate):
    """Line-edit editor that commits through `commit(index, text)`; paints problem markers."""

    def __init__(self, commit: Callable[[AnyIndex, str], None], parent: QObject) -> None:
        super().__init__(parent)
        self._commit = commit

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setAlignment(index.data(Role.TextAlignmentRole))
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(index.data(Role.EditRole) or "")

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit):
            self._commit(index, editor.text())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        severity = index.data(SEVERITY_ROLE)
        if not severity:
            return
        rect, size = option.rect, max(6, option.rect.height() // 4)
        corner = QPolygon(
            [
                QPoint(rect.right() - size + 1, rect.top()),
                QPoint(rect.right() + 1, rect.top()),
                QPoint(rect.right() + 1, rect.top() + size),
            ]
        )
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MARKER_COLORS[severity])
        painter.drawPolygon(corner)
        painter.restore()
