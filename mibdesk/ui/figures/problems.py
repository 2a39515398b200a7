"""The problems panel of the monthly report: every problem of the month, hard ones (errors,
block submission) in red, soft ones (warnings, need a written explanation) in amber.

Clicking a problem asks the screen to select its cell; the selected problem is shown in full
underneath (what, where, why, the rule's source, the explanation given); a warning's
explanation is written or changed with the button beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.monthly import Problem
from mibdesk.core.tables.month_table import problem_text

SEVERITY, LINE_NO, MESSAGE, EXPLANATION = range(4)
SEVERITY_COLORS = {"hard": QColor("#b00020"), "soft": QColor("#b06000")}
"""Text colours of the severity column: darker than the grid's markers, to read on white."""


def severity_label(severity: str) -> str:
    return _("Error") if severity == "hard" else _("Warning")


def problems_title(problems: Sequence[Problem]) -> str:
    hard = sum(p.severity == "hard" for p in problems)
    if not problems:
        return _("Problems: none")
    return _("Problems: {errors} error(s), {warnings} warning(s)").format(
        errors=hard, warnings=len(problems) - hard
    )


class ProblemsPanel(QWidget):
    """A list of the month's problems with the selected one in full and an explain button.

    `problemActivated(Problem)`: the user picked a problem. `explainRequested(Problem)`: the
    user wants to write the explanation of the selected warning.
    """

    problemActivated = Signal(object)
    explainRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []
        self._items: list[QTreeWidgetItem] = []
        self._explanations: dict[str, str] = {}
        self._can_explain: Callable[[Problem], bool] = lambda problem: False
        self.title = QLabel(problems_title([]))
        self.title.setStyleSheet("font-weight: bold;")
        self.explain_button = QPushButton(_("Explain…"))
        self.explain_button.setEnabled(False)
        self.explain_button.clicked.connect(self._explain)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setHeaderLabels([_("Kind"), _("Line no."), _("Problem"), _("Explanation")])
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().horizontalAdvance("中")
        for column, chars in ((SEVERITY, 4), (LINE_NO, 3), (EXPLANATION, 16)):
            self.list.setColumnWidth(column, chars * char + 16)
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemClicked.connect(self._clicked)
        self.detail = QLabel()
        self.detail.setObjectName("problemDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.explain_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)

    def show_problems(
        self,
        problems: Sequence[Problem],
        explanations: Mapping[str, str],
        line_no: Callable[[Problem], str],
        can_explain: Callable[[Problem], bool],
    ) -> None:
        """List `problems` (keeping the selected one if it is still there)."""
        kept = self.selected()
        self.problems = list(problems)
        self._explanations = dict(explanations)
        self._can_explain = can_explain
        self.title.setText(problems_title(problems))
        self.list.blockSignals(True)
        self.list.clear()
        self._items = []
        bold = QFont(self.font())
        bold.setBold(True)
        for problem in problems:
            explanation = explanations.get(problem.key, "")
            if problem.severity == "soft" and not explanation:
                explanation = _("(not explained yet)")
            item = QTreeWidgetItem(
                [severity_label(problem.severity), line_no(problem), problem.message, explanation]
            )
            item.setForeground(SEVERITY, QBrush(SEVERITY_COLORS[problem.severity]))
            item.setFont(SEVERITY, bold)
            tip = problem_text(problem, explanations.get(problem.key, ""))
            for column in range(4):
                item.setToolTip(column, tip)
            self.list.addTopLevelItem(item)
            self._items.append(item)
        if kept is not None and kept in self.problems:
            self.list.setCurrentItem(self._items[self.problems.index(kept)])
        self.list.blockSignals(False)
        self._show_detail()

    def selected(self) -> Problem | None:
        item = self.list.currentItem()
        return self.problems[self._items.index(item)] if item in self._items else None

    def select(self, problem: Problem) -> None:
        """Make `problem` current (as a click would)."""
        self.list.setCurrentItem(self._items[self.problems.index(problem)])

    def _current_changed(self, *_items: object) -> None:
        self._show_detail()
        problem = self.selected()
        if problem is not None:
            self.problemActivated.emit(problem)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item in self._items:
            self.problemActivated.emit(self.problems[self._items.index(item)])

    def _show_detail(self) -> None:
        problem = self.selected()
        self.explain_button.setEnabled(problem is not None and self._can_explain(problem))
        if problem is None:
            self.detail.setText(
                _("Select a problem to see it in full and go to its cell.") if self.problems else ""
            )
            return
        explanation = self._explanations.get(problem.key, "")
        self.detail.setText(
            f"{severity_label(problem.severity)}：{problem_text(problem, explanation)}"
        )

    def _explain(self) -> None:
        problem = self.selected()
        if problem is not None:
            self.explainRequested.emit(problem)
