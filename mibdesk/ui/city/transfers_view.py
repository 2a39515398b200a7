"""The balance-transfer screen (余额划转): per the city's profile, each county's retained balance
typed by the city, citywide spending prefilled from the reports, what every county transfers
and the working (rule and source of every step); saved inputs, an exported workbook; the
head issues it (下达…), signs its form (正式报表) and sends each county its notice. A profile
without a transfer rule shows a note instead."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.city.common import fill, source_tips, text_table
from mibdesk.ui.city.quota_dialogs import PublishDialog
from mibdesk.ui.city.transfer_form import TransferFormButton, TransferRequest
from mibdesk.ui.city.transfers_controller import TransfersController, amount_text
from mibdesk.ui.context import UiContext
from mibdesk.ui.widgets.refreshing import RefreshingScreen

if TYPE_CHECKING:
    from mibdesk.core.services.city.transfer_issue import IssuedTransfer
    from mibdesk.core.services.city.transfers import TransferInputs
    from mibdesk.core.services.exchange.sending import Sending

BALANCE, DEMAND, TRANSFER, NOW, DEFERRED, REMAINING = 2, 3, 4, 5, 6, 7
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TransfersScreen(RefreshingScreen):
    """Reloads when shown after a change (`Area.OFFICE`: keys, packages; `Area.FIGURES`);
    follows an issue or notices sent elsewhere (`Area.SETTLEMENT`)."""

    areas = (Area.OFFICE, Area.FIGURES)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = TransfersController(ctx)
        controller = self.controller
        heading = QLabel(_("Balance transfers"))
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.rule_label = QLabel()
        self.rule_label.setObjectName("transferRule")
        self.rule_label.setWordWrap(True)
        self.message = message_label("transferMessage")
        self.message.hide()
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.message)
        rule = controller.rule
        if rule is None:
            self.rule_label.setText(
                _(
                    "The city's policy profile ({profile}) has no rule for moving the counties' "
                    "historical balances to the city: there is nothing to compute here. {text}"
                ).format(profile=ctx.profile.name, text=controller.rule_text())
            )
            layout.addStretch(1)
            return
        self.rule_label.setText(controller.rule_text())

        self.year = QSpinBox()
        self.year.setObjectName("transferYear")
        self.year.setRange(2000, 2999)
        self.year.setValue(controller.year)
        self.scheme = QComboBox()
        self.scheme.setObjectName("transferScheme")
        for code in rule.schemes:
            self.scheme.addItem(controller.scheme_name(code), code)
        top.addWidget(QLabel(_("Year")))
        top.addWidget(self.year)
        top.addWidget(QLabel(_("Scheme")))
        top.addWidget(self.scheme)
        top.addStretch(1)
        self.year.valueChanged.connect(self.refresh)
        self.scheme.currentIndexChanged.connect(self.refresh)

        form = QFormLayout()
        self.spending = QLineEdit()
        self.spending.setObjectName("citySpending")
        self.spending.setAlignment(RIGHT)
        self.spending_note = QLabel()
        self.spending_note.setObjectName("spendingNote")
        self.pooled = QLineEdit()
        self.pooled.setObjectName("pooledFund")
        self.pooled.setAlignment(RIGHT)
        if rule.needs_spending:
            for field in (self.spending, self.pooled):
                field.setFixedWidth(200)
            spending_row = QHBoxLayout()
            spending_row.addWidget(self.spending)
            spending_row.addWidget(self.spending_note, 1)
            pooled_row = QHBoxLayout()
            pooled_row.addWidget(self.pooled)
            pooled_row.addStretch(1)
            form.addRow(_("Citywide spending, last 12 months (yuan)"), spending_row)
            form.addRow(_("Pooled fund now (yuan)"), pooled_row)

        self.table = QTableWidget(0, 8)
        self.table.setObjectName("transferCounties")
        self.table.setHorizontalHeaderLabels(
            [
                _("County"),
                _("Code"),
                _("Retained balance (yuan)"),
                _("Demand deposits (yuan)"),
                _("Transfer (yuan)"),
                _("Now"),
                _("When time deposits mature"),
                _("Kept by the county"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        if rule.needs_spending:  # Shaoxing: no demand/time deposit split
            for column in (DEMAND, NOW, DEFERRED):
                self.table.setColumnHidden(column, True)
        self.compute_button = QPushButton(_("Compute"))
        self.save_button = QPushButton(_("Save the figures typed"))
        self.export_button = QPushButton(_("Export workbook…"))
        self.compute_button.clicked.connect(self.compute)
        self.save_button.clicked.connect(self.save)
        self.export_button.clicked.connect(self.export)
        self.save_button.setEnabled(controller.can_save)
        self.issue_button = QPushButton(_("Publish…"))
        self.issue_button.setToolTip(_("Issue the transfer with the city's document number"))
        self.issue_button.clicked.connect(self.issue)
        self.issue_button.setVisible(controller.can_issue)
        self.form_button = TransferFormButton(ctx, self.form_request, self)
        self.send_button = QPushButton(_("Send transfer notices"))
        self.send_button.clicked.connect(self.send)
        self.send_button.setVisible(controller.can_issue)
        self.total_label = QLabel()
        self.total_label.setObjectName("transferTotal")
        self.issued_label = QLabel()
        self.issued_label.setObjectName("transferIssued")
        self.issued_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.total_label, 1)
        for button in (self.compute_button, self.save_button, self.export_button):
            buttons.addWidget(button)
        issuing = QHBoxLayout()
        issuing.addWidget(self.issued_label, 1)
        issuing.addWidget(self.issue_button)
        issuing.addWidget(self.form_button)
        issuing.addWidget(self.send_button)
        self.working = text_table(
            (_("County"), _("Working step"), _("Amount (yuan)"), _("Rule"), _("Source"))
        )
        self.working.setObjectName("transferWorking")
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(form)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addLayout(buttons)
        upper_layout.addLayout(issuing)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.working)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([320, 420])
        layout.addWidget(splitter, 1)
        self.refresh()

    # -- refreshing -------------------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        if self.controller.rule is None:
            return
        if changes.touches(Area.SETTLEMENT):  # issued, signed or sent: what is typed stays
            self.controller.reload_issued()
            self._show_result()
        super().on_changes(changes)

    def catch_up(self) -> None:
        """A sync brought reports or keys: the spending note follows; the typed figures stay
        unless the list of counties changed."""
        if self.controller.reload_reports():
            self.refresh()
        else:
            self.spending_note.setText(self.controller.spending_note())

    def refresh(self) -> None:
        controller = self.controller
        controller.load(self.year.value(), str(self.scheme.currentData()))
        saved = controller.saved
        balances = saved.balances if saved else {}
        self.spending.setText(controller.spending_prefill())
        self.spending_note.setText(controller.spending_note())
        self.pooled.setText(amount_text(saved.pooled_fund) if saved else "")
        self.table.setRowCount(len(controller.counties))
        for row, county in enumerate(controller.counties):
            balance, demand = balances.get(county.code, (None, None))
            cells = [county.name, county.code, amount_text(balance), amount_text(demand)]
            for column in range(8):
                item = QTableWidgetItem(cells[column] if column < len(cells) else "")
                if column not in (BALANCE, DEMAND):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column >= BALANCE:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
        self._show_result()

    def say(self, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
        show_message(self.message, text, tone)
        self.message.setVisible(bool(text))

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None
        return item

    def typed(self) -> dict[str, tuple[str, str]]:
        return {
            self._cell(row, 1).text(): (
                self._cell(row, BALANCE).text(),
                self._cell(row, DEMAND).text(),
            )
            for row in range(self.table.rowCount())
        }

    def _show_result(self) -> None:
        result = self.controller.result
        parts = {c.code: c for c in result.counties} if result else {}
        for row in range(self.table.rowCount()):
            part = parts.get(self._cell(row, 1).text())
            values = (
                (part.transfer, part.now, part.deferred, part.remaining) if part else (None,) * 4
            )
            for column, value in zip((TRANSFER, NOW, DEFERRED, REMAINING), values, strict=True):
                self._cell(row, column).setText(amount_text(value))
        self.table.resizeColumnsToContents()
        for column in range(BALANCE, REMAINING + 1):
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), 150))
        self.export_button.setEnabled(result is not None)
        found = self.controller.issued
        self.issued_label.setText(self.controller.issued_text())
        self.send_button.setEnabled(found is not None and not found.sent)
        if result is None:
            self.total_label.setText(_("Type every county's retained balance, then compute."))
            fill(self.working, [])
            return
        self.total_label.setText(
            _("All counties transfer {total} yuan.").format(total=format_fen(result.total))
        )
        steps = [(_("Whole city"), step) for step in result.working]
        for county in result.counties:
            steps += [(county.name, step) for step in county.working]
        rows = [
            (name, step.label, amount_text(step.amount), step.rule, step.source)
            for name, step in steps
        ]
        tips = source_tips(rows, 4, self.ctx.profile.sources)
        fill(self.working, rows, numeric=(2,), tips=tips)

    # -- actions ----------------------------------------------------------------------------

    def compute(self) -> None:
        try:
            inputs = self.controller.compute(self.typed(), self.pooled.text(), self.spending.text())
        except UserError as error:
            self.controller.result = None
            self.say(str(error))
        else:
            self.say("")
            self._show_typed(inputs)
        self._show_result()

    def _show_typed(self, inputs: TransferInputs) -> None:
        """What was typed, written back as amounts (1,234.00)."""
        self.spending.setText(amount_text(inputs.citywide_spending))
        self.pooled.setText(amount_text(inputs.pooled_fund))
        for row in range(self.table.rowCount()):
            balance, demand = inputs.balances.get(self._cell(row, 1).text(), (None, None))
            self._cell(row, BALANCE).setText(amount_text(balance))
            self._cell(row, DEMAND).setText(amount_text(demand))

    def save(self) -> None:
        try:
            self.controller.save(self.typed(), self.pooled.text(), self.spending.text())
        except UserError as error:
            self.say(str(error))
            return
        self.say(_("The figures typed were saved."), "ok")

    def export(self) -> None:
        result = self.controller.result
        if result is None:
            return
        name = f"{self.ctx.office.name}{result.year}年余额划转_{result.scheme}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export workbook"), name, _("Excel workbooks (*.xlsx)")
        )
        if not path:
            return
        self.controller.export(
            Path(path),
            lambda written: self.say(_("Workbook written: {path}").format(path=written), "ok"),
            lambda error: (
                self.say(str(error))
                if isinstance(error, UserError)
                else self.ctx.tasks.show_error(error)
            ),
        )

    # -- issuing, the form, the notices ------------------------------------------------------

    def form_request(self) -> TransferRequest:
        """The form of what the screen shows; while nothing is issued, of the figures typed."""
        try:
            draft = self.controller.inputs(self.typed(), self.pooled.text(), self.spending.text())
        except UserError:
            draft = None  # the saved figures then
        return TransferRequest(
            "execution", self.controller.scheme, year=self.controller.year, draft=draft
        )

    def issue(self) -> PublishDialog | None:
        """Compute what is typed, then ask the head to confirm it with the document."""
        self.compute()
        if self.controller.result is None:
            return None
        inputs = self.controller.inputs(self.typed(), self.pooled.text(), self.spending.text())
        dialog = PublishDialog(
            self.controller.confirmation(),
            self.controller.issued is not None,
            self.ctx.store.clock().date(),
            lambda doc, day, reason: self.controller.issue_job(inputs, doc, day, reason),
            self.ctx.tasks,
            self,
        )
        dialog.setWindowTitle(_("Issue the balance transfer"))
        dialog.accepted.connect(lambda: self._issued(dialog.outcome))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _issued(self, outcome: Outcome[IssuedTransfer]) -> None:
        self.controller.announce(outcome)
        self._show_result()
        found = outcome.value
        self.say(
            _("Version {version} issued ({doc}): {total} yuan.").format(
                version=found.version, doc=found.doc_no, total=format_fen(found.result.total)
            ),
            "ok",
        )

    def send(self) -> None:
        self.send_button.setEnabled(False)
        self.controller.send_notices(self._sent, self._refused)

    def _sent(self, outcome: Outcome[list[Sending]]) -> None:
        self.say(self.controller.sent(outcome), "ok")
        self._show_result()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            self.ctx.tasks.show_error(error)
            return
        self.say(str(error))
        self._show_result()
