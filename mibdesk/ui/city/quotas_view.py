"""The quota screen (额度分配): for a scheme and year, what has been issued (each county's annual
quota, the adjustments with their documents, the plans approved against each quota), and the
draft of the next allocation — typed, imported from a workbook, or split by weighted factors —
which the head publishes to the counties (one package each; "Send pending" for the rest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.services.changes import Area, Outcome
from mibdesk.core.services.city.issued import PublishedAllocation
from mibdesk.core.services.city.quotas import Proposal
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.city.common import fill, text_table
from mibdesk.ui.city.quota_dialogs import FactorSourceDialog, PublishDialog
from mibdesk.ui.city.quota_draft import TYPED, WEIGHTED, DraftPanel
from mibdesk.ui.city.quotas_controller import (
    Issued,
    QuotasController,
    confirmation_text,
    document_columns,
    document_rows,
    issued_columns,
    issued_rows,
    issued_summary,
    proposal_rows,
    sent_message,
    working_text,
)
from mibdesk.ui.context import UiContext
from mibdesk.ui.widgets.refreshing import RefreshingScreen

XLSX_FILTER = "Excel (*.xlsx)"


class QuotasScreen(RefreshingScreen):
    """Refreshes on `Area.QUOTAS` (an allocation published or sent), `Area.PLANS` (plans
    approved against the quotas) and `Area.OFFICE` (counties registered)."""

    areas = (Area.QUOTAS, Area.PLANS, Area.OFFICE)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = QuotasController(ctx)
        self.dialog: QDialog | None = None
        self.issued: Issued | None = None
        self.workbook_proposal: Proposal | None = None

        self.scheme = QComboBox()
        for code, name in self.controller.schemes:
            self.scheme.addItem(name, code)
        self.year = QComboBox()
        for year in self.controller.years:
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(self.controller.years.index(self.controller.current_year))
        self.scheme.currentIndexChanged.connect(self.refresh)
        self.year.currentIndexChanged.connect(self.refresh)
        self.info = QLabel()
        self.info.setObjectName("quotaInfo")
        heading = QLabel(_("Quotas"))
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        for label, widget in ((_("Scheme"), self.scheme), (_("Year"), self.year)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addSpacing(16)
        top.addWidget(self.info, 1)
        self.message = message_label("quotaMessage")
        self.message.hide()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("quotaTabs")
        self.tabs.addTab(self._issued_page(), _("Issued"))
        self.draft = DraftPanel()
        self.tabs.addTab(self.draft, _("Draft and publish"))
        self._connect_draft()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def _issued_page(self) -> QWidget:
        self.counties = text_table(issued_columns())
        self.counties.setObjectName("issuedQuotas")
        self.documents = text_table(document_columns())
        self.documents.setObjectName("issuedDocuments")
        self.send_button = QPushButton(_("Send pending"))
        self.send_button.setObjectName("sendPending")
        self.send_button.clicked.connect(self.send_pending)
        documents_title = QLabel(_("Quotas and adjustments published"))
        documents_title.setStyleSheet("font-weight: bold;")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(documents_title, 1)
        row.addWidget(self.send_button)
        lower_layout.addLayout(row)
        lower_layout.addWidget(self.documents, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.counties)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        return splitter

    def _connect_draft(self) -> None:
        draft = self.draft
        draft.budget.textChanged.connect(self._budget_changed)
        draft.publish_button.clicked.connect(self.publish)
        draft.import_button.clicked.connect(lambda: self.import_workbook())
        draft.template_button.clicked.connect(lambda: self.save_template())
        draft.add_factor_button.clicked.connect(self.add_factor)
        draft.factor_name.returnPressed.connect(self.add_factor)
        draft.remove_factor_button.clicked.connect(self.remove_factor)
        draft.fill_button.clicked.connect(self.fill_factor)
        draft.split_button.clicked.connect(self.split)

    # -- refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        issued = self.controller.load(self.scheme.currentData(), self.year.currentData())
        self.issued = issued
        fill(self.counties, issued_rows(issued), numeric=(1, 2, 3, 4, 5))
        fill(self.documents, document_rows(issued), numeric=(3,))
        self.send_button.setEnabled(bool(issued.pending) and self.controller.can_publish)
        self.info.setText(issued_summary(issued))
        if not self.draft.set_issued(issued):
            self.workbook_proposal = None
        self.draft.amounts.adapter.dataChanged.connect(self._update_sum)
        self.draft.factors.adapter.dataChanged.connect(self.draft.show_weights)
        self.draft.publish_button.setEnabled(self.controller.can_publish and bool(issued.counties))
        self.draft.rights.setText(
            "" if self.controller.can_publish else _("Only the head publishes quotas.")
        )
        self._update_sum()
        self.draft.show_weights()

    def say(self, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
        show_message(self.message, text, tone)
        self.message.setVisible(bool(text))

    def _budget_changed(self) -> None:
        self.workbook_proposal = None
        self._update_sum()

    def _update_sum(self) -> None:
        """The running sum of the typed amounts against the budget, and the difference."""
        table, issued = self.draft.amount_table, self.issued
        if table is None or issued is None:
            return
        try:
            budget = self.controller.budget(self.draft.budget.text(), issued.kind)
        except UserError as error:
            self.draft.show_sum(str(error) if self.draft.budget.text().strip() else "", False)
            return
        check = table.check(budget)
        if check.adds_up:
            text = _("The counties add up to the budget: {total} yuan.").format(
                total=format_fen(check.total)
            )
        else:
            text = check.message()
        self.draft.show_sum(text, check.adds_up)

    def _budget(self) -> int:
        assert self.issued is not None
        return self.controller.budget(self.draft.budget.text(), self.issued.kind)

    # -- drafting ---------------------------------------------------------------------------

    def proposal(self) -> Proposal | None:
        """The proposal of the method shown; says why there is none (nothing changed)."""
        issued, method = self.issued, self.draft.methods.currentIndex()
        assert issued is not None
        try:
            if method == TYPED:
                assert self.draft.amount_table is not None
                return self.controller.typed(
                    issued, self._budget(), self.draft.amount_table.typed()
                )
            if method == WEIGHTED:
                return self.split()
        except UserError as error:
            self.say(str(error))
            return None
        if self.workbook_proposal is None:
            self.say(_("Import a workbook first (the budget must be typed before it)."))
        return self.workbook_proposal

    def import_workbook(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, _("Import a workbook"), "", XLSX_FILTER
            )
            if not chosen:
                return
            path = Path(chosen)
        issued = self.issued
        assert issued is not None
        self.workbook_proposal = None
        self.draft.imported.show_rows([], "")
        try:
            job = self.controller.workbook_job(issued, self._budget(), path)
        except UserError as error:
            self.say(str(error))
            return
        self.draft.file_label.setText(str(path))

        def done(proposal: Proposal) -> None:
            self.workbook_proposal = proposal
            self.draft.imported.show_rows(
                proposal_rows(proposal, issued.counties), working_text(proposal, issued.counties)
            )
            self.say(_("The workbook adds up; check it and publish."), "ok")

        self.ctx.tasks.run(lambda _p: job(), done, self._refused, _("Import a workbook"))

    def save_template(self, path: Path | None = None) -> None:
        issued = self.issued
        assert issued is not None
        if path is None:
            suggested = f"{issued.scheme}-{issued.year}-分配表.xlsx"
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Save a blank template"), suggested, XLSX_FILTER
            )
            if not chosen:
                return
            path = Path(chosen)
        job = self.controller.template_job(issued, path)

        def done(written: Path) -> None:
            self.say(_("Template written: {path}").format(path=written), "ok")

        self.ctx.tasks.run(lambda _p: job(), done, self._refused, _("Save a blank template"))

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self.say(str(error))
        else:
            self.ctx.tasks.show_error(error, _("Quotas"))

    def add_factor(self) -> None:
        name = self.draft.factor_name.text().strip()
        table = self.draft.factor_table
        if not name or table is None:
            self.say(_("Type the new factor's name first."))
            return
        if name in self.draft.factor_names():
            self.say(_("There is already a factor {name}.").format(name=name))
            return
        from mibdesk.core.tables.quota_tables import FactorColumn

        table.factors.append(FactorColumn(name))
        self.draft.factor_name.clear()
        self.draft.factors.refresh()
        self.draft.show_weights()

    def remove_factor(self) -> None:
        index, table = self.draft.selected_factor(), self.draft.factor_table
        if index is None or table is None:
            self.say(_("Select a cell of the factor to remove."))
            return
        del table.factors[index]
        self.draft.factors.refresh()
        self.draft.show_weights()

    def fill_factor(self) -> FactorSourceDialog | None:
        index, issued = self.draft.selected_factor(), self.issued
        if index is None or issued is None:
            self.say(_("Select a cell of the factor to fill."))
            return None
        name = self.draft.factor_names()[index]
        dialog = FactorSourceDialog(
            name,
            self.controller.report_lines(issued.scheme),
            self.controller.report_months(),
            self,
        )

        def chosen() -> None:
            assert dialog.chosen is not None and self.draft.factor_table is not None
            line, month = dialog.chosen
            values = self.controller.factor_values(issued.scheme, line, month)
            self.draft.factor_table.factors[index].values.update(values)
            self.draft.factors.refresh()
            self.say(
                _("{factor}: filled for {n} counties from the {month} reports.").format(
                    factor=name, n=len(values), month=month.label
                ),
                "ok" if values else "note",
            )

        dialog.accepted.connect(chosen)
        self.dialog = dialog
        dialog.open()
        return dialog

    def split(self) -> Proposal | None:
        """Split the budget by the factors and show the arithmetic (None and a message when
        refused)."""
        issued, table = self.issued, self.draft.factor_table
        assert issued is not None and table is not None
        try:
            proposal = self.controller.weighted(issued, self._budget(), table.to_factors())
        except UserError as error:
            self.say(str(error))
            self.draft.split_view.show_rows([], "")
            return None
        self.draft.split_view.show_rows(
            proposal_rows(proposal, issued.counties), working_text(proposal, issued.counties)
        )
        self.say("")
        return proposal

    # -- publishing -------------------------------------------------------------------------

    def publish(self) -> PublishDialog | None:
        """Check the draft, then ask the head to confirm it with the document."""
        issued = self.issued
        proposal = self.proposal()
        if proposal is None or issued is None:
            return None
        self.say("")
        summary = confirmation_text(
            proposal, issued.counties, self.controller.scheme_name(issued.scheme)
        )
        dialog = PublishDialog(
            summary,
            proposal.kind == "adjustment",
            self.ctx.store.clock().date(),
            lambda doc, day, reason: self.controller.publish_job(proposal, doc, day, reason),
            self.ctx.tasks,
            self,
        )
        dialog.accepted.connect(lambda: self._published(dialog.outcome))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _published(self, outcome: Outcome[PublishedAllocation]) -> None:
        allocation = self.controller.announce(outcome)
        self.refresh()  # at once, even when the hub is not connected
        self.tabs.setCurrentIndex(0)
        self._say_sent(allocation)

    def _say_sent(self, allocation: PublishedAllocation) -> None:
        self.say(sent_message(allocation), "note" if allocation.pending else "ok")

    def send_pending(self) -> None:
        issued = self.issued
        if issued is None:
            return
        for allocation in issued.pending:
            job = self.controller.send_job(allocation.id)
            self._run_send(job)

    def _run_send(self, job: Callable[[], Outcome[PublishedAllocation]]) -> None:
        self.ctx.tasks.run(lambda _p: job(), self._sent, self._refused, _("Send pending"))

    def _sent(self, outcome: Outcome[PublishedAllocation]) -> None:
        allocation = self.controller.announce(outcome)
        self.refresh()
        self._say_sent(allocation)
