"""The quota screen's draft panel: the budget, then one tab per way of drafting — amounts typed
per county (with the running sum against the budget, "差 X 元" live), a workbook imported, or
the budget split by weighted factors (with the arithmetic) — and the proposal they give.

Layout and input only: checking and proposals are the controller's (and its services').
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.tables.quota_tables import AmountTable, FactorColumn, FactorTable
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.city.common import fill, text_table
from mibdesk.ui.city.quotas_controller import (
    DEFAULT_FACTORS,
    Issued,
)
from mibdesk.ui.widgets.grid import GridView

TYPED, WORKBOOK, WEIGHTED = range(3)


class ProposalView(QWidget):
    """A proposal's counties (amount and share) beside its working."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.table = text_table((_("County"), _("Amount (yuan)"), _("Share")))
        self.table.setObjectName(f"{name}Proposal")
        self.working = QPlainTextEdit()
        self.working.setObjectName(f"{name}Working")
        self.working.setReadOnly(True)
        self.working.setPlaceholderText(_("The arithmetic appears here."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.working)
        splitter.setSizes([160, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def show_rows(self, rows: list[tuple[str, ...]], working: str) -> None:
        fill(self.table, rows, numeric=(1, 2))
        self.working.setPlainText(working)


class DraftPanel(QWidget):
    """Holds the grids' row models; the screen connects the buttons to its actions."""

    def __init__(self) -> None:
        super().__init__()
        self.kind_label = QLabel()
        self.kind_label.setObjectName("draftKind")
        self.kind_label.setStyleSheet("font-weight: bold;")
        self.budget_label = QLabel(_("Budget (yuan)"))
        self.budget = QLineEdit()
        self.budget.setObjectName("budget")
        self.budget.setMaximumWidth(220)
        top = QHBoxLayout()
        top.addWidget(self.kind_label)
        top.addSpacing(16)
        top.addWidget(self.budget_label)
        top.addWidget(self.budget)
        top.addStretch(1)

        self.methods = QTabWidget()
        self.methods.setObjectName("draftMethods")
        self.methods.addTab(self._typed_page(), _("Type amounts"))
        self.methods.addTab(self._workbook_page(), _("Import a workbook"))
        self.methods.addTab(self._weighted_page(), _("Weighted factors"))

        self.publish_button = QPushButton(_("Publish…"))
        self.publish_button.setObjectName("publishQuota")
        self.rights = QLabel()
        self.rights.setStyleSheet("color: #5f6b7a;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.rights, 1)
        bottom.addWidget(self.publish_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.methods, 1)
        layout.addLayout(bottom)
        self.amount_table: AmountTable | None = None
        self.factor_table: FactorTable | None = None
        self._key: tuple[str, int, str, tuple[str, ...]] | None = None

    def _typed_page(self) -> QWidget:
        self.amounts = GridView()
        self.amounts.setObjectName("typedAmounts")
        self.sum_label = message_label("sumCheck")
        hint = QLabel(
            _("Type each county's amount in yuan; you can paste a column from Excel or WPS.")
        )
        hint.setStyleSheet("color: #5f6b7a;")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.amounts, 1)
        layout.addWidget(self.sum_label)
        return page

    def _workbook_page(self) -> QWidget:
        self.template_button = QPushButton(_("Save a blank template…"))
        self.import_button = QPushButton(_("Import a workbook…"))
        self.file_label = QLabel(
            _("The workbook names 县区代码 and 金额（元） in a header row; one county a row.")
        )
        self.file_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.template_button)
        row.addWidget(self.import_button)
        row.addWidget(self.file_label, 1)
        self.imported = ProposalView("workbook")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.imported, 1)
        return page

    def _weighted_page(self) -> QWidget:
        self.factor_name = QLineEdit()
        self.factor_name.setPlaceholderText(_("new factor, e.g. 参保人数"))
        self.add_factor_button = QPushButton(_("Add factor"))
        self.remove_factor_button = QPushButton(_("Remove factor"))
        self.fill_button = QPushButton(_("Fill from reports…"))
        self.split_button = QPushButton(_("Split the budget"))
        self.split_button.setObjectName("splitBudget")
        self.weights_label = QLabel()
        self.weights_label.setObjectName("weightsTotal")
        row = QHBoxLayout()
        for widget in (
            self.factor_name,
            self.add_factor_button,
            self.remove_factor_button,
            self.fill_button,
        ):
            row.addWidget(widget)
        row.addWidget(self.weights_label, 1)
        row.addWidget(self.split_button)
        self.factors = GridView()
        self.factors.setObjectName("factorGrid")
        self.split_view = ProposalView("weighted")
        splitter = QSplitter()
        splitter.addWidget(self.factors)
        splitter.addWidget(self.split_view)
        splitter.setSizes([560, 640])
        hint = QLabel(
            _(
                "Row 1 holds each factor's weight (the weights add up to 100%); below it, each "
                "county's value (persons, yuan, a ratio). Select a factor's cell to remove or "
                "fill it."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6b7a;")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        return page

    # -- showing ----------------------------------------------------------------------------

    def set_issued(self, issued: Issued) -> bool:
        """Show the draft for `issued`'s next allocation; what was typed stays while the
        scheme, year, kind and counties stay the same (then True)."""
        adjustment = issued.kind == "adjustment"
        self.kind_label.setText(
            (
                _("Drafting a budget adjustment of the {year} quotas")
                if adjustment
                else _("Drafting the {year} annual quota")
            ).format(year=issued.year)
        )
        self.budget_label.setText(_("Net change (yuan)") if adjustment else _("Budget (yuan)"))
        self.budget.setPlaceholderText(_("0 when quota only moves") if adjustment else "")
        key = (issued.scheme, issued.year, issued.kind, tuple(sorted(issued.counties)))
        table = AmountTable(issued.counties, issued.quotas, issued.approved, negative_ok=adjustment)
        kept = key == self._key
        if kept and self.amount_table is not None:
            table.set_amounts(self.amount_table.typed())
            assert self.factor_table is not None
            factors = self.factor_table.factors
        else:
            self.budget.clear()
            factors = [FactorColumn(_(name)) for name in DEFAULT_FACTORS]
            self.imported.show_rows([], "")
            self.split_view.show_rows([], "")
        self._key = key
        self.amount_table = table
        self.amounts.set_table(table)
        self.factor_table = FactorTable(issued.counties, factors)
        self.factors.set_table(self.factor_table)
        return kept

    def show_sum(self, text: str, adds_up: bool) -> None:
        show_message(self.sum_label, text, "ok" if adds_up else "error")

    def show_weights(self) -> None:
        assert self.factor_table is not None
        total = self.factor_table.weights_total()
        text = _("Weights add up to {total}%").format(total=f"{total:f}")
        show_message(self.weights_label, text, "ok" if total == 100 else "error")

    def selected_factor(self) -> int | None:
        """The factor whose column holds the current cell."""
        current = self.factors.current_cell()
        return current[1] - 2 if current is not None and current[1] >= 2 else None

    def factor_names(self) -> Sequence[str]:
        assert self.factor_table is not None
        return [f.name for f in self.factor_table.factors]
