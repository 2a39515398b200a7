"""Pieces both city screens share: ◀ month ▶ picker and a read-only table of text rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month


class MonthPicker(QWidget):
    """◀ month ▶; `chosen` fires when the month changes."""

    chosen = Signal()

    def __init__(self, months: Sequence[Month], current: Month) -> None:
        super().__init__()
        self.months = list(months)
        self.combo = QComboBox()
        for month in self.months:
            self.combo.addItem(month.label, str(month))
        self.combo.setCurrentIndex(self.months.index(current))
        self.prev_button, self.next_button = QToolButton(), QToolButton()
        self.prev_button.setText("◀")
        self.next_button.setText("▶")
        self.prev_button.setToolTip(_("Previous month"))
        self.next_button.setToolTip(_("Next month"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.combo.currentIndexChanged.connect(self._changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.prev_button, self.combo, self.next_button):
            layout.addWidget(widget)
        self._arrows()

    def month(self) -> Month:
        return self.months[self.combo.currentIndex()]

    def step(self, step: int) -> None:
        index = self.combo.currentIndex() + step
        if 0 <= index < self.combo.count():
            self.combo.setCurrentIndex(index)

    def _changed(self) -> None:
        self._arrows()
        self.chosen.emit()

    def _arrows(self) -> None:
        index = self.combo.currentIndex()
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.combo.count() - 1)


def text_table(columns: Sequence[str]) -> QTableWidget:
    """A read-only table selecting whole rows, one at a time."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(
    table: QTableWidget,
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    colours: Sequence[Sequence[str]] = (),
    tips: Sequence[Sequence[str]] = (),
) -> None:
    """Show `rows` (texts) in `table`; numeric columns right-aligned; optional text colours
    and tool tips per cell."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if colours and colours[r][c]:
                item.setForeground(QColor(colours[r][c]))
            if tips and tips[r][c]:
                item.setToolTip(tips[r][c])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)


def source_tips(
    rows: Sequence[Sequence[str]], column: int, titles: Mapping[str, str]
) -> list[tuple[str, ...]]:
    """Tool tips for `fill`: on each row's citation in `column` ("000 附件 §4.5.3"), the
    titles of the documents it cites (the profile's `sources`)."""
    from mibdesk.core.catalog.values import source_titles

    return [
        tuple(source_titles(text, titles) if c == column else "" for c, text in enumerate(row))
        for row in rows
    ]


def selected(table: QTableWidget) -> int | None:
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def screen_header(title: str, picker_label: str, picker: MonthPicker, info: QLabel) -> QHBoxLayout:
    """The top row of a city screen: its title, the month picker, a line of information."""
    heading = QLabel(title)
    heading.setStyleSheet("font-size: 18px; font-weight: bold;")
    row = QHBoxLayout()
    row.addWidget(heading)
    row.addSpacing(16)
    row.addWidget(QLabel(picker_label))
    row.addWidget(picker)
    row.addSpacing(16)
    row.addWidget(info, 1)
    return row
