"""The dialogs of the quota execution screen: record the year's quota, record a budget
adjustment, and show the working behind a figure.

The amount is typed in yuan (`parse_yuan`: at most two decimals, thousands separators
allowed). OK calls the controller; when it or the service refuses, the message is shown under
the fields, the dialog stays open and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.rules.working import Step, large_yuan
from mibdesk.core.table import ListTableModel
from mibdesk.ui.accounts.dialogs import FormDialog
from mibdesk.ui.accounts.listing import message_label, row_list, show_message
from mibdesk.ui.execution.controller import ExecutionController
from mibdesk.ui.execution.readout import working_columns
from mibdesk.ui.widgets.grid import GridView

REASON_LINES = 3


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _chosen(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


def _default_date(controller: ExecutionController) -> date:
    """Today when the year is this year, else the first of the year (the city's documents
    usually come early in the year)."""
    today = controller.today
    return today if today.year == controller.year else date(controller.year, 1, 1)


class _QuotaForm(FormDialog):
    """What both dialogs ask: what the document applies to, amount, 文号 and date."""

    def __init__(
        self, controller: ExecutionController, title: str, ok_text: str, parent: QWidget | None
    ) -> None:
        super().__init__(title, ok_text, parent)
        self.setMinimumWidth(520)
        self.controller = controller
        self.form.addRow(_("Scheme"), QLabel(controller.current.name))
        self.form.addRow(_("Year"), QLabel(_("Year {year}").format(year=controller.year)))
        self.line = QComboBox()
        for code, name in controller.line_choices():
            self.line.addItem(name, code)
        if controller.by_line:
            self.form.addRow(_("Applies to"), self.line)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText(_("e.g. 绍医保发〔2026〕7号"))
        self.doc_date = _date_edit(_default_date(controller))

    def add_document_rows(self) -> None:
        self.form.addRow(_("Document number"), self.doc_no)
        self.form.addRow(_("Document date"), self.doc_date)

    @property
    def line_code(self) -> str:
        return str(self.line.currentData())


class QuotaDialog(_QuotaForm):
    """The year's expenditure quota as the city issued it; recorded once."""

    def __init__(self, controller: ExecutionController, parent: QWidget | None = None) -> None:
        super().__init__(controller, _("Record the quota"), _("Record quota"), parent)
        self.add_intro(
            _(
                "Type the annual expenditure quota (支出总量定额) exactly as the city's document "
                "gives it. Once recorded it changes only by a budget adjustment."
            )
        )
        self.amount.setPlaceholderText(_("in yuan, e.g. 85,131,000.00"))
        self.form.addRow(_("Quota (yuan)"), self.amount)
        self.add_document_rows()

    def submit(self) -> None:
        self.controller.record_quota(
            self.amount.text(), self.doc_no.text(), _chosen(self.doc_date), self.line_code
        )


class AdjustmentDialog(_QuotaForm):
    """A budget adjustment (预算调整): increase or decrease, amount, 文号, date and reason.

    Under the amount it says what the available quota becomes, against the plans already
    approved (an adjustment may not go below them; the service refuses it)."""

    def __init__(self, controller: ExecutionController, parent: QWidget | None = None) -> None:
        super().__init__(
            controller, _("Record a budget adjustment"), _("Record adjustment"), parent
        )
        self.add_intro(
            _(
                "A quota changes only by a budget adjustment issued by the city, recorded with "
                "its own document; the quota as first issued stays in the list."
            )
        )
        self.direction = QComboBox()
        self.direction.addItem(_("Increase (追加)"), True)
        self.direction.addItem(_("Decrease (调减)"), False)
        self.amount.setPlaceholderText(_("in yuan, without a sign, e.g. 5,000,000.00"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(_("e.g. inpatient spending above plan after the new DRG"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * REASON_LINES + 14)
        self.after = QLabel()
        self.after.setObjectName("afterAdjustment")
        self.after.setWordWrap(True)
        self.form.addRow(_("Direction"), self.direction)
        self.form.addRow(_("Amount (yuan)"), self.amount)
        self.form.addRow("", self.after)
        self.add_document_rows()
        self.form.addRow(_("Reason"), self.reason)
        self.direction.currentIndexChanged.connect(self._preview)
        self.amount.textChanged.connect(self._preview)
        self._preview()

    @property
    def increase(self) -> bool:
        return bool(self.direction.currentData())

    def _preview(self) -> None:
        position = self.controller.current.position
        if position is None:
            self.after.clear()
            return
        try:
            amount = self.controller.adjustment_amount(self.increase, self.amount.text())
        except UserError:
            amount = 0
        self.after.setText(
            _(
                "Available quota after the adjustment: {after} (now {now}; plans approved {plans})."
            ).format(
                after=large_yuan(position.available + amount),
                now=large_yuan(position.available),
                plans=large_yuan(position.approved_plans),
            )
        )

    def submit(self) -> None:
        self.controller.record_adjustment(
            self.increase,
            self.amount.text(),
            self.doc_no.text(),
            _chosen(self.doc_date),
            self.reason.toPlainText(),
            self.line_code,
        )


def wrap_rows(grid: GridView) -> None:
    """Long labels and sources wrap inside their cells instead of being cut off."""
    grid.setWordWrap(True)
    grid.resizeRowsToContents()


class WorkingDialog(QDialog):
    """The working behind a figure: each step with its amount, rule and source."""

    def __init__(
        self, title: str, heading: str, steps: Sequence[Step], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.heading = message_label("workingHeading")
        show_message(self.heading, heading, "note")
        self.grid = row_list(self)
        self.grid.set_table(ListTableModel(working_columns(), steps))
        wrap_rows(self.grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.grid, 1)
        layout.addWidget(buttons)
        self.resize(min(max(self.grid.horizontalHeader().length() + 40, 760), 1280), 420)
