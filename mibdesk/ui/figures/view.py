"""The monthly report screen (月报): one scheme's month as a spreadsheet-like grid, its
problems, its township breakdown, and the steps of its submission."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell, Problem
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.tables.month_table import TOWNSHIPS
from mibdesk.ui.accounts.listing import message_label, show_line
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange.sending import ReportSendButton
from mibdesk.ui.figures.controller import Action, FiguresController
from mibdesk.ui.figures.dialogs import (
    AmendmentDialog,
    CellHistoryDialog,
    ExplanationDialog,
    PrepareDialog,
    ReasonDialog,
)
from mibdesk.ui.figures.excel_menu import ExcelButton
from mibdesk.ui.figures.problems import ProblemsPanel
from mibdesk.ui.figures.township import TownshipView
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormRequest
from mibdesk.ui.widgets.grid import GridView
from mibdesk.ui.widgets.period_bar import SchemeMonthBar
from mibdesk.ui.widgets.step_screen import StepScreen

FORM_TAB, TOWNSHIP_TAB = range(2)


class MonthlyReportScreen(StepScreen):
    """Scheme and month at the top with the month's status and the steps that fit the user;
    the month's grid with its problems below, and the township breakdown in a second tab.

    Typed cells are saved at once (a pasted block as one save). Refreshes on `Area.FIGURES`
    published by others: at once when shown, otherwise the next time it is shown.
    """

    areas = (Area.FIGURES,)
    controller: FiguresController

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.controller = FiguresController(ctx, self.schedule_flush)

        self.bar = SchemeMonthBar(
            _("Monthly report"),
            _("Month"),
            self.controller.schemes,
            self.controller.months,
            self.controller.month,
            "monthStatus",
        )
        self.bar.chosen.connect(self._choose)
        self.scheme_combo, self.month_combo = self.bar.scheme_combo, self.bar.month_combo
        self.prev_button, self.next_button = self.bar.prev_button, self.bar.next_button
        self.status_label = self.bar.status_label

        self.prepare_button = self.step_button(_("Submit for review"), self._prepare)
        self.review_button = self.step_button(_("Pass review"), self._review)
        self.approve_button = self.step_button(_("Approve and submit"), self._approve)
        self.send_back_button = self.step_button(_("Send back…"), self._send_back)
        self.amend_button = self.step_button(_("Request amendment…"), self._amend)
        self.history_button = self.step_button(_("Cell history"), self.show_history)
        self.compare_button = self.step_button(_("Amendment differences"), self._compare)
        actions = QHBoxLayout()
        for button in (
            self.prepare_button,
            self.review_button,
            self.approve_button,
            self.send_back_button,
            self.amend_button,
        ):
            actions.addWidget(button)
        self.send_button = ReportSendButton(ctx, self.controller.current, self.say)
        actions.addWidget(self.send_button)
        actions.addStretch(1)
        self.excel_button = ExcelButton(ctx, self.controller.current, self)
        actions.addWidget(self.excel_button)
        self.form_button = FormButton(ctx, self._form_request, self)
        actions.addWidget(self.form_button)
        actions.addWidget(self.history_button)
        actions.addWidget(self.compare_button)

        self.notice = message_label("monthNotice")
        self.message = message_label("monthMessage")
        self.message.hide()

        self.grid = GridView(self)
        self.grid.verticalHeader().hide()
        self.grid.set_table(self.controller.table)
        self.grid.editsRejected.connect(self.edits_rejected)
        self.grid.doubleClicked.connect(self._double_clicked)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._context_menu)
        self.problems = ProblemsPanel()
        self.problems.problemActivated.connect(self.go_to_problem)
        self.problems.explainRequested.connect(self._explain)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.grid)
        splitter.addWidget(self.problems)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.township = TownshipView(self.controller)
        self.township.grid.editsRejected.connect(self.edits_rejected)
        self.township.grid.doubleClicked.connect(self._double_clicked)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, _("Monthly form"))
        self.tabs.addTab(self.township, _("Township breakdown"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(actions)
        layout.addWidget(self.notice)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.show_current()

    # -- refreshing -------------------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        if self.controller.township_office and changes.touches(Area.OFFICE):
            self.status_label.setText(self.controller.status_text())  # sent, acknowledged
        super().on_changes(changes)

    def refresh(self) -> None:
        """Read the month again (someone else changed figures or townships)."""
        self.controller.reload()
        self.reset_undo()
        self.show_current()

    def show_current(self) -> None:
        controller = self.controller
        form = controller.form
        self.grid.refresh()
        self.township.refresh()
        self.tabs.setTabEnabled(TOWNSHIP_TAB, controller.has_townships)
        self.tabs.setTabVisible(TOWNSHIP_TAB, not controller.township_office)
        hidden = controller.table.hidden_columns(controller.has_townships)
        for col in range(len(controller.table.columns)):
            self.grid.setColumnHidden(col, col in hidden)
        self.status_label.setText(controller.status_text())
        show_line(self.notice, controller.notice(), "error" if form.returned_reason else "note")
        self.problems.show_problems(
            form.problems, form.explanations, self._line_no, controller.can_explain
        )
        can = controller.actions()
        for button, action in (
            (self.prepare_button, can.prepare),
            (self.review_button, can.review),
            (self.approve_button, can.approve),
            (self.send_back_button, can.send_back),
            (self.amend_button, can.amend),
            (self.compare_button, can.compare),
        ):
            _set_action(button, action)
        self.send_button.update_for(form.status)
        self.bar.update_arrows()

    def _line_no(self, problem: Problem) -> str:
        row = self.controller.table.row_of(problem.line)
        return "" if row is None else str(row + 1)

    def reset_undo(self) -> None:
        """Undo steps belong to the figures they were typed over: drop them on a reload."""
        self.grid.undo_stack.clear()
        self.township.grid.undo_stack.clear()

    # -- saving typed cells -----------------------------------------------------------------

    def flush(self) -> None:
        """Save the cells typed since the last save (a pasted block as one save)."""
        error = self.controller.flush()
        if error is not None:
            self.say(error)
            self.controller.reload()
            self.reset_undo()
        self.show_current()

    # -- choosing the month -----------------------------------------------------------------

    def _choose(self) -> None:
        self.flush_pending()
        self.controller.load(self.bar.scheme(), self.bar.month())
        self.reset_undo()
        self.say("")
        self.show_current()

    def _form_request(self) -> FormRequest:
        """The 月报表 of the month shown, typed cells saved first."""
        self.flush_pending()
        return FormRequest.report(*self.controller.current())

    # -- workflow -------------------------------------------------------------------------

    def _prepare(self) -> None:
        done = _("{month} was submitted for review.")
        hard = any(p.severity == "hard" for p in self.controller.form.problems)
        warnings = self.controller.unexplained_warnings()
        if warnings and not hard:
            self.step_dialog(PrepareDialog(warnings, self.controller.prepare, self), done)
        else:
            self.run_step(self.controller.prepare, done)

    def _review(self) -> None:
        self.run_step(self.controller.review, _("{month} passed review."))

    def _approve(self) -> None:
        self.run_step(self.controller.approve, _("{month} was approved and submitted."))

    def _send_back(self) -> None:
        dialog = ReasonDialog(
            _("Send back"),
            _("The month goes back to its preparer, with your reason."),
            _("e.g. inpatient spending differs from the settlement list"),
            self.controller.send_back,
            self,
        )
        self.step_dialog(dialog, _("{month} was sent back."))

    def _amend(self) -> None:
        dialog = ReasonDialog(
            _("Request amendment"),
            _(
                "The submitted figures stay in the history; the amended ones are submitted "
                "again through review and approval."
            ),
            _("e.g. a late settlement from the city changed inpatient spending"),
            self.controller.open_amendment,
            self,
        )
        self.step_dialog(dialog, _("Amendment opened: {month} can be changed now."))

    def _explain(self, problem: Problem) -> None:
        current = self.controller.form.explanations.get(problem.key, "")
        dialog = ExplanationDialog(
            problem, current, lambda text: self.controller.explain(problem, text), self
        )
        self.step_dialog(dialog, _("Explanation saved."))

    def _compare(self) -> None:
        form = self.controller.form
        try:
            rows = self.controller.amendment_rows()
        except UserError as error:
            self.say(str(error))
            return
        AmendmentDialog(form.month.label, form.amendments, rows, self).exec()

    # -- cells ----------------------------------------------------------------------------

    def go_to_problem(self, problem: Problem) -> None:
        """Select the cell of `problem` in the month's grid."""
        where = self.controller.table.position_of(problem)
        if where is not None:
            self.tabs.setCurrentIndex(FORM_TAB)
            self.grid.go_to(*where)

    def current_cell(self) -> Cell | None:
        """The stored cell under the current cell of the grid shown."""
        if self.tabs.currentIndex() == TOWNSHIP_TAB:
            return self.township.current_cell()
        where = self.grid.current_cell()
        return None if where is None else self.controller.table.history_cell(*where)

    def show_history(self) -> None:
        """Show the history of the selected cell, or say why there is none."""
        cell = self.current_cell()
        if cell is None:
            where = self.grid.current_cell()
            self.say(
                _("Open the township breakdown to see a township's history.")
                if where is not None and where[1] == TOWNSHIPS
                else _("Select a figure that is entered (not a computed one) to see its history."),
                "note",
            )
            return
        changes = self.controller.cell_history(cell)
        title = self.controller.cell_title(cell)
        kind = self.controller.unit_kind(cell)
        CellHistoryDialog(title, changes, kind, self.controller.person, self).exec()

    def _double_clicked(self, index: QModelIndex) -> None:
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            self.show_history()

    def _context_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(_("Cell history"), self.show_history)
        menu.addAction(_("Copy"), self.grid.copy_selection)
        menu.exec(self.grid.viewport().mapToGlobal(point))


def _set_action(button: QPushButton, action: Action) -> None:
    button.setVisible(action.visible)
    button.setEnabled(action.enabled)
