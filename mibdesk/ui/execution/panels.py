"""Pieces of the quota execution screen: the summary band of figures, the traffic-light list
of risk indicators, and the projection line."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.rules.execution import State
from mibdesk.core.rules.working import large_yuan, yuan
from mibdesk.ui.accounts.listing import ERROR_COLOR, NOTE_COLOR
from mibdesk.ui.execution.readout import Figure, IndicatorLine

STATE_COLORS: dict[State, str] = {
    "green": "#2e7d32",
    "amber": "#e08a00",
    "red": "#c62828",
    "unknown": "#9aa0a6",
}
DOT_SIZE = 12
CARD_STYLE = (
    "QFrame#figureCard { background: white; border: 1px solid #d9dde3; border-radius: 6px; }"
)


def _label(text: str = "", style: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if style:
        label.setStyleSheet(style)
    label.setWordWrap(wrap)
    return label


class FigureCard(QFrame):
    """One figure: caption, amount in 万元/亿元, a note; the exact amount and the working
    on hover."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setStyleSheet(CARD_STYLE)
        self.caption = _label(style=f"color: {NOTE_COLOR};")
        self.value = _label()
        self.value.setObjectName("figureValue")
        self.note = _label(style=f"color: {NOTE_COLOR}; font-size: 11px;", wrap=True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def show_figure(self, figure: Figure) -> None:
        self.caption.setText(figure.caption)
        color = ERROR_COLOR if figure.amount < 0 else "#1d2733"
        self.value.setStyleSheet(f"font-size: 18px; font-weight: bold; color: {color};")
        self.value.setText(large_yuan(figure.amount))
        self.note.setText(figure.note)
        tooltip = yuan(figure.amount)
        if figure.tooltip:
            tooltip += "\n\n" + figure.tooltip
        self.setToolTip(tooltip)


class SummaryBand(QWidget):
    """The year's position in six cards; `workingRequested` asks for the full working."""

    workingRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: dict[str, FigureCard] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.working_button = QPushButton(_("Working…"))
        self.working_button.setToolTip(_("Every step from the quota to what is left, with sources"))
        self.working_button.clicked.connect(self.workingRequested)

    def show_figures(self, figures: Sequence[Figure]) -> None:
        for figure in figures:
            card = self.cards.get(figure.key)
            if card is None:
                card = self.cards[figure.key] = FigureCard(self)
                self._layout.addWidget(card, 1)
            card.show_figure(figure)
        self._layout.addWidget(self.working_button, 0, Qt.AlignmentFlag.AlignBottom)


class IndicatorRow:
    """The widgets of one indicator: a coloured dot, the state in words, the name and the
    sentence; the rule, source and working as the tooltip of each."""

    def __init__(self, grid: QGridLayout, row: int) -> None:
        self.dot = QLabel()
        self.dot.setFixedSize(DOT_SIZE, DOT_SIZE)
        self.state_label = _label()
        self.name = _label(style="font-weight: bold;")
        self.sentence = _label(wrap=True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state: State = "unknown"
        grid.addWidget(self.dot, row, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.state_label, row, 1)
        grid.addWidget(self.name, row, 2)
        grid.addWidget(self.sentence, row, 3)

    def widgets(self) -> tuple[QLabel, ...]:
        return (self.dot, self.state_label, self.name, self.sentence)

    def show_line(self, line: IndicatorLine) -> None:
        color = STATE_COLORS[line.state]
        self.state = line.state
        radius = DOT_SIZE // 2
        self.dot.setStyleSheet(f"background: {color}; border-radius: {radius}px;")
        self.state_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.state_label.setText(line.state_word)
        self.name.setText(line.name)
        self.sentence.setText(line.sentence)
        for widget in self.widgets():
            widget.setToolTip(line.tooltip)
            widget.show()

    def hide(self) -> None:
        for widget in self.widgets():
            widget.hide()


class IndicatorPanel(QFrame):
    """The risk indicators as traffic lights, then the projection (or the year's close)."""

    methodRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorPanel")
        self.setStyleSheet(
            "QFrame#indicatorPanel { background: #f7f9fb; border: 1px solid #e1e5ea;"
            " border-radius: 6px; }"
        )
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(12, 8, 12, 8)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(3, 1)
        self.rows: dict[str, IndicatorRow] = {}
        self.empty = _label(style=f"color: {NOTE_COLOR};", wrap=True)
        self.grid.addWidget(self.empty, 0, 0, 1, 5)
        self.projection_name = _label(style="font-weight: bold;")
        self.projection = _label(wrap=True)
        self.projection.setObjectName("projection")
        self.projection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.method_button = QPushButton(_("Method and numbers…"))
        self.method_button.clicked.connect(self.methodRequested)
        self.over = False

    def show_indicators(self, lines: Sequence[IndicatorLine], empty_text: str) -> None:
        for row in self.rows.values():
            row.hide()
        for line in lines:
            if line.key not in self.rows:
                self.rows[line.key] = IndicatorRow(self.grid, len(self.rows) + 1)
            self.rows[line.key].show_line(line)
        self.empty.setText(empty_text)
        self.empty.setVisible(not lines)
        last = len(self.rows) + 1
        self.grid.addWidget(self.projection_name, last, 1, 1, 2)
        self.grid.addWidget(self.projection, last, 3)
        self.grid.addWidget(self.method_button, last, 4)

    def show_projection(
        self, name: str, sentence: str, over: bool, tooltip: str, has_method: bool
    ) -> None:
        """The projection sentence: red and bold when it passes the quota."""
        self.over = over
        style = f"color: {ERROR_COLOR}; font-weight: bold;" if over else ""
        self.projection_name.setText(name)
        self.projection.setStyleSheet(style)
        self.projection.setText(sentence)
        self.projection.setToolTip(tooltip)
        self.method_button.setVisible(has_method)
