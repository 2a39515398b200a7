"""What the tabs showing a city's notice to the county share (the settlement notice, the
balance transfer notice): a bold heading, a short table of amounts with the lines that
matter in bold, two notes beside it, and under them every step of the working with its
rule and source. Each tab subclasses `NoticePanel` and decides what goes in it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableWidget, QVBoxLayout, QWidget

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.rules.working import Step
from mibdesk.core.tables.settlement_table import working_columns
from mibdesk.ui.accounts.listing import NOTE_COLOR
from mibdesk.ui.city.common import fill, source_tips, text_table

AmountRow = tuple[str, int, bool]
"""(what, amount in fen, bold): one line of the table of amounts."""


def sender(city: str, city_name: str) -> str:
    """The city as the notice names it: 绍兴市医疗保障事务中心（330600）, or just its code."""
    return f"{city_name}（{city}）" if city_name else city


class NoticePanel(QWidget):
    """The layout; `show_parts` fills it, `clear` empties the tables (the tab is hidden).

    `name` prefixes the object names (``{name}Heading``, ``{name}Amounts``, ``{name}Working``).
    """

    def __init__(self, name: str, titles: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.titles = titles  # the profile's documents, named on each step's citation
        self.heading = QLabel()
        self.heading.setObjectName(f"{name}Heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        self.amounts = text_table((_("Item"), _("Amount (yuan)")))
        self.amounts.setObjectName(f"{name}Amounts")
        self.amounts.setFixedWidth(480)
        self.amounts.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.working = text_table(working_columns())
        self.working.setObjectName(f"{name}Working")
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet(f"color: {NOTE_COLOR};")
        side = QVBoxLayout()
        side.addWidget(self.detail)
        side.addWidget(self.source)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.amounts)
        top.addSpacing(12)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(QLabel(_("Working")))
        layout.addWidget(self.working, 1)

    def clear(self) -> None:
        fill(self.amounts, [])
        fill(self.working, [])

    def show_parts(
        self,
        heading: str,
        rows: Sequence[AmountRow],
        detail: str,
        steps: Sequence[Step],
        source: str,
    ) -> None:
        self.heading.setText(heading)
        fill(self.amounts, [(text, format_fen(amount)) for text, amount, _bold in rows], (1,))
        for row, (_text, _amount, bold) in enumerate(rows):
            for column in range(2):
                cell = self.amounts.item(row, column)
                if cell is not None:
                    font = cell.font()
                    font.setBold(bold)
                    cell.setFont(font)
        _fit_height(self.amounts)
        self.detail.setText(detail)
        shown = [
            (s.label, "" if s.amount is None else format_fen(s.amount), s.rule, s.source)
            for s in steps
        ]
        fill(self.working, shown, (1,), tips=source_tips(shown, 3, self.titles))
        self.working.resizeRowsToContents()
        self.source.setText(source)


def _fit_height(table: QTableWidget) -> None:
    """As tall as its rows: the few lines of amounts never scroll."""
    table.resizeRowsToContents()
    rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
    table.setFixedHeight(table.horizontalHeader().height() + rows + 2 * table.frameWidth())
