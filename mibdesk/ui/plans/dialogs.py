"""The dialogs of the fund-use plan screen: the city's decision (as asked, reduced lines, or
returned), the money received, and the working behind the suggested amounts. Sending a plan
back asks for a reason with the monthly report screen's `ReasonDialog`.

Dialogs that write call the controller from OK; when the service refuses, its message is
shown under the fields, the dialog stays open and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import N_, _
from mibdesk.core.money import format_fen, parse_yuan
from mibdesk.core.rules.working import Step
from mibdesk.core.services.plan_flow import Decision
from mibdesk.core.services.plans import PlanView
from mibdesk.core.table import ListTableModel
from mibdesk.core.tables.plan_table import (
    ReductionRow,
    reduction_columns,
    reduction_rows,
    reductions,
)
from mibdesk.ui.accounts.dialogs import FormDialog
from mibdesk.ui.accounts.listing import row_list
from mibdesk.ui.plans.rows import SuggestionRow, suggestion_columns, working_columns
from mibdesk.ui.widgets.grid import GridView
from mibdesk.ui.widgets.text_box import text_box

"""Height of a note or reason box, in lines of text."""

DECISIONS: tuple[tuple[Decision, str], ...] = (
    ("approved", N_("Approved as requested")),
    ("reduced", N_("Approved with reduced lines")),
    ("returned", N_("Returned")),
)


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def chosen_date(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


def _plan_title(view: PlanView) -> str:
    return _("{month} fund-use plan, version {version}").format(
        month=view.month.label, version=view.version
    )


class DecisionDialog(FormDialog):
    """The city's decision on a submitted plan, as its reply says: approved as requested,
    approved with some lines reduced (amount and reason each), or returned with reasons.

    OK runs `submit(decision, decided on, note, reduced lines)`.
    """

    def __init__(
        self,
        view: PlanView,
        today: date,
        submit: Callable[[Decision, date, str, Mapping[str, tuple[int, str]]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Enter the city's decision"), _("Save decision"), parent)
        self.setMinimumWidth(720)
        self._submit = submit
        self.add_intro(
            _(
                "{plan}: {amount} yuan requested. Enter the decision as the city's reply gives it."
            ).format(plan=_plan_title(view), amount=format_fen(view.requested_total))
        )
        self.choices = QButtonGroup(self)
        row = QHBoxLayout()
        self.buttons: dict[Decision, QRadioButton] = {}
        for number, (decision, label) in enumerate(DECISIONS):
            button = QRadioButton(_(label))
            self.choices.addButton(button, number)
            self.buttons[decision] = button
            row.addWidget(button)
        row.addStretch(1)
        self.buttons["approved"].setChecked(True)
        self.form.addRow(_("Decision"), row)
        self.date = date_edit(today)
        self.form.addRow(_("Decision date"), self.date)
        self.table: ListTableModel[ReductionRow] = ListTableModel(
            reduction_columns(), reduction_rows(view)
        )
        self.grid = GridView(self)
        self.grid.verticalHeader().hide()
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.set_table(self.table)
        rows = len(view.lines) + 1
        self.grid.setMinimumHeight(
            self.grid.horizontalHeader().sizeHint().height()
            + rows * self.grid.verticalHeader().defaultSectionSize()
        )
        self.grid_label = QLabel(_("Approved amounts"))
        self.form.addRow(self.grid_label, self.grid)
        self.note_label = QLabel()
        self.note = text_box("")
        self.form.addRow(self.note_label, self.note)
        self.choices.idToggled.connect(self._chosen)
        self._chosen()

    def decision(self) -> Decision:
        return DECISIONS[max(self.choices.checkedId(), 0)][0]

    def _chosen(self) -> None:
        decision = self.decision()
        self.grid.setVisible(decision == "reduced")
        self.grid_label.setVisible(decision == "reduced")
        if decision == "returned":
            self.note_label.setText(_("Reasons for return"))
            self.note.setPlaceholderText(_("As the city's reply gives them"))
        else:
            self.note_label.setText(_("Decision note"))
            self.note.setPlaceholderText(_("e.g. the city's document number"))
        self.adjustSize()

    def submit(self) -> None:
        decision = self.decision()
        cuts = reductions(self.table.rows) if decision == "reduced" else {}
        try:
            self._submit(decision, chosen_date(self.date), self.note.toPlainText(), cuts)
        except UserError as error:  # the service names a line by its code: say its name
            names = {row.line: row.name for row in self.table.rows}
            if error.where in names:
                raise UserError(error.message, where=names[error.where]) from error
            raise


class DisbursementDialog(FormDialog):
    """Money received for an approved plan: amount (at most the approved) and date.

    OK runs `submit(amount in fen, received on)`.
    """

    def __init__(
        self,
        view: PlanView,
        today: date,
        submit: Callable[[int, date], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Enter money received"), _("Save"), parent)
        self._submit = submit
        approved = view.approved_total or 0
        self.add_intro(
            _(
                "{plan}: {amount} yuan approved. The amount received may be less than "
                "approved, never more."
            ).format(plan=_plan_title(view), amount=format_fen(approved))
        )
        self.amount = QLineEdit(format_fen(approved))
        self.amount.setPlaceholderText(_("yuan, e.g. 1,234,567.89"))
        self.form.addRow(_("Amount received (yuan)"), self.amount)
        self.date = date_edit(today)
        self.form.addRow(_("Date received"), self.date)

    def submit(self) -> None:
        amount = parse_yuan(self.amount.text(), where=_("Amount received"))
        self._submit(amount, chosen_date(self.date))


class SuggestionDialog(QDialog):
    """How each line's suggested amount was found: the method and months behind it (top),
    and the working of the line selected (below)."""

    def __init__(
        self,
        heading: str,
        rows: Sequence[SuggestionRow],
        workings: Sequence[Sequence[Step]],
        current: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("How the suggestion was found"))
        self._workings = workings
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.lines: ListTableModel[SuggestionRow] = ListTableModel(suggestion_columns(), rows)
        self.grid = row_list(self)
        self.grid.set_table(self.lines)
        self.working: ListTableModel[Step] = ListTableModel(working_columns(), [])
        self.steps = row_list(self)
        self.steps.set_table(self.working)
        self.steps.setWordWrap(True)
        self.step_title = QLabel()
        self.step_title.setStyleSheet("font-weight: bold;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.grid, 3)
        layout.addWidget(self.step_title)
        layout.addWidget(self.steps, 2)
        layout.addWidget(buttons)
        selection = self.grid.selectionModel()
        if selection is not None:
            selection.currentRowChanged.connect(self._show_working)
        width = max(self.grid.horizontalHeader().length(), self.steps.horizontalHeader().length())
        self.resize(min(max(width + 60, 900), 1200), 620)
        if rows:
            self.grid.go_to(min(current, len(rows) - 1), 0)
            self.grid.selectRow(min(current, len(rows) - 1))
        self._show_working()

    def _show_working(self, *_changed: object) -> None:
        where = self.grid.current_cell()
        if where is None or not self.lines.rows:
            return
        row = where[0]
        self.step_title.setText(_("Working for {line}").format(line=self.lines.rows[row].name))
        self.working.replace_rows(self._workings[row])
        self.steps.refresh()
        self.steps.resizeRowsToContents()
