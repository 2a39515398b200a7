"""The quota execution screen (预算额度与执行): one scheme's year against its quota.

At the top the scheme, the year (◀ year ▶) and the buttons that record a quota or a budget
adjustment; under them the summary band (available quota and its working, approved plans,
funds received, spending, what is left). Tabs below: the overview (risk indicators as traffic
lights, the projection, the cumulative chart and the chart by line), the per-line table, the
documents (quota and adjustments), the year's close once December is reported, and the
city's settlement (年终清算) and balance transfer (余额上划) notices once received.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area, Changes
from mibdesk.ui.accounts.listing import NOTE_COLOR, message_label, row_list, show_message
from mibdesk.ui.context import UiContext
from mibdesk.ui.execution.charts import CumulativeChart, LineBarChart
from mibdesk.ui.execution.controller import ExecutionController
from mibdesk.ui.execution.dialogs import (
    AdjustmentDialog,
    QuotaDialog,
    WorkingDialog,
    wrap_rows,
)
from mibdesk.ui.execution.panels import IndicatorPanel, SummaryBand
from mibdesk.ui.execution.readout import document_columns
from mibdesk.ui.execution.settlement_panel import SettlementPanel
from mibdesk.ui.execution.transfer_panel import TransferPanel
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormRequest
from mibdesk.ui.widgets.refreshing import RefreshingScreen

OVERVIEW_TAB, LINES_TAB, DOCUMENTS_TAB, CLOSING_TAB, SETTLEMENT_TAB, TRANSFER_TAB = range(6)
SCOPE_COLUMN = [column.key for column in document_columns()].index("scope")
WATCHED = (Area.QUOTAS, Area.FIGURES, Area.PLANS, Area.SETTLEMENT)


class ExecutionScreen(RefreshingScreen):
    """One scheme's budget execution for a year; refreshes on quota, figure and plan changes
    published by others: at once when shown, otherwise the next time it is shown."""

    areas = WATCHED

    def wants(self, changes: Changes) -> bool:
        return super().wants(changes) and not self.controller.publishing  # ours: shown

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.controller = ExecutionController(ctx)
        controller = self.controller

        title = QLabel(_("Quotas and execution"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.scheme_combo = QComboBox()
        for scheme in ctx.profile.schemes:
            self.scheme_combo.addItem(scheme.name, scheme.code)
        self.year_combo = QComboBox()
        for year in controller.years:
            self.year_combo.addItem(_("Year {year}").format(year=year), year)
        self.year_combo.setCurrentIndex(controller.years.index(controller.year))
        self.prev_button, self.next_button = QToolButton(), QToolButton()
        self.prev_button.setText("◀")
        self.next_button.setText("▶")
        self.prev_button.setToolTip(_("Previous year"))
        self.next_button.setToolTip(_("Next year"))
        self.prev_button.clicked.connect(lambda: self._step_year(-1))
        self.next_button.clicked.connect(lambda: self._step_year(1))
        self.scheme_combo.currentIndexChanged.connect(self._choose)
        self.year_combo.currentIndexChanged.connect(self._choose)
        self.through_label = QLabel()
        self.through_label.setStyleSheet(f"color: {NOTE_COLOR};")
        self.quota_button = QPushButton(_("Record quota…"))
        self.quota_button.clicked.connect(self.record_quota)
        self.adjust_button = QPushButton(_("Record budget adjustment…"))
        self.adjust_button.clicked.connect(self.record_adjustment)
        self.adjust_button.setVisible(controller.can_enter)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel(_("Scheme")))
        top.addWidget(self.scheme_combo)
        top.addSpacing(8)
        for widget in (self.prev_button, self.year_combo, self.next_button):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.through_label)
        top.addStretch(1)
        self.form_button = FormButton(ctx, lambda: FormRequest.execution(controller.year), self)
        top.addWidget(self.form_button)

        self.message = message_label("executionMessage")
        self.message.hide()

        self.band = SummaryBand()
        self.band.workingRequested.connect(self.show_working)
        self.missing = message_label("missingQuota")
        self.missing.setStyleSheet("color: #6b4e00;")
        self.missing_panel = QFrame()
        self.missing_panel.setObjectName("missingPanel")
        self.missing_panel.setStyleSheet(
            "QFrame#missingPanel { background: #fff8e1; border: 1px solid #f0d68a;"
            " border-radius: 6px; }"
        )
        missing_layout = QHBoxLayout(self.missing_panel)
        missing_layout.addWidget(self.missing, 1)

        self.indicators = IndicatorPanel()
        self.indicators.methodRequested.connect(self.show_method)
        self.cumulative_chart = CumulativeChart()
        self.line_chart = LineBarChart()
        charts = QHBoxLayout()
        charts.addWidget(self.cumulative_chart, 3)
        charts.addWidget(self.line_chart, 2)
        overview = QWidget()
        overview_layout = QVBoxLayout(overview)
        overview_layout.setContentsMargins(0, 6, 0, 0)
        overview_layout.addWidget(self.indicators)
        overview_layout.addLayout(charts, 1)

        self.lines_grid = row_list()
        self.lines_grid.set_table(controller.lines_table)
        self.lines_grid.horizontalHeader().setStretchLastSection(False)
        self.lines_note = message_label("linesNote")
        self.documents_grid = row_list()
        self.documents_grid.set_table(controller.documents_table)
        self.documents_note = message_label("documentsNote")
        self.closing_heading = message_label("closingHeading")
        self.closing_grid = row_list()
        self.closing_grid.set_table(controller.closing_table)

        self.tabs = QTabWidget()
        self.tabs.addTab(overview, _("Overview"))
        self.tabs.addTab(_page(self.lines_grid, self.lines_note), _("By expenditure line"))
        self.tabs.addTab(
            _page(self.documents_grid, self.documents_note), _("Quota and adjustment documents")
        )
        self.tabs.addTab(_page(self.closing_grid, self.closing_heading), _("Year-end summary"))
        self.settlement = SettlementPanel(ctx.profile.sources)
        self.tabs.addTab(self.settlement, _("Year-end settlement"))
        self.transfer = TransferPanel(ctx.profile.sources)
        self.tabs.addTab(self.transfer, _("Balance transfer"))

        corner = QWidget()
        buttons = QHBoxLayout(corner)
        buttons.setContentsMargins(0, 0, 0, 2)
        buttons.addWidget(self.quota_button)
        buttons.addWidget(self.adjust_button)
        self.tabs.setCornerWidget(corner)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.band)
        layout.addWidget(self.missing_panel)
        layout.addWidget(self.tabs, 1)
        self._show()

    # -- refreshing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the year again (someone else changed quotas, figures or plans)."""
        self.controller.reload()
        self._show()

    def _show(self) -> None:
        controller = self.controller
        current = controller.current
        self.through_label.setText(controller.through_text())
        missing = controller.missing_quota_text()
        self.missing.setText(missing)
        if not missing:
            self.band.show_figures(controller.summary())
        self.band.setVisible(not missing)
        self.missing_panel.setVisible(bool(missing))
        self.quota_button.setVisible(controller.can_enter and controller.can_record_quota())
        self.adjust_button.setEnabled(controller.can_adjust())
        self.adjust_button.setToolTip(
            "" if controller.can_adjust() else _("Record the year's quota first.")
        )

        empty = _("No monthly report for {year} yet: the indicators need the figures.").format(
            year=controller.year
        )
        self.indicators.show_indicators(controller.indicator_lines(), empty)
        sentence, over, tooltip = controller.projection_text()
        name = _("Year-end summary") if current.closing else _("Projected for the year")
        method = bool(controller.projection_working()) and current.closing is None
        self.indicators.show_projection(name, sentence, over, tooltip, method)

        self.cumulative_chart.show_year(controller.year, current.series, current.projection)
        self.line_chart.show_lines(controller.year, current.through, current.lines)

        for grid in (self.lines_grid, self.documents_grid, self.closing_grid):
            grid.refresh()
        wrap_rows(self.closing_grid)
        by_line = controller.by_line
        self.documents_grid.setColumnHidden(SCOPE_COLUMN, not by_line)
        note = ""
        if not by_line:
            note = _(
                "The city sets this scheme's quota as a whole, not per line ({source}): the "
                "quota, approved plans and what is left are on the total row."
            ).format(source=controller.scheme.quota_by_line.source)
        _note(self.lines_note, note)
        docs = "" if current.documents else _("No quota or adjustment recorded for this year.")
        _note(self.documents_note, docs)
        self.tabs.setTabVisible(CLOSING_TAB, current.closing is not None)
        if current.closing is not None:
            _note(self.closing_heading, sentence)
        settled = self.settlement.show_notice(controller.notices, controller.scheme_code)
        self.tabs.setTabVisible(SETTLEMENT_TAB, settled)
        transferred = self.transfer.show_notice(controller.transfers, controller.scheme_code)
        self.tabs.setTabVisible(TRANSFER_TAB, transferred)

        index = self.year_combo.currentIndex()
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.year_combo.count() - 1)

    def say(self, text: str, tone: Literal["error", "ok", "note"] = "ok") -> None:
        """Show `text` in the message line under the top bar ("" hides it)."""
        show_message(self.message, text, tone)
        self.message.setVisible(bool(text))

    # -- choosing -----------------------------------------------------------------------------

    def _choose(self) -> None:
        year = int(self.year_combo.currentData())
        self.controller.load(year, str(self.scheme_combo.currentData()))
        self.say("")
        self._show()

    def _step_year(self, step: int) -> None:
        index = self.year_combo.currentIndex() + step
        if 0 <= index < self.year_combo.count():
            self.year_combo.setCurrentIndex(index)

    def choose(self, scheme: str, year: int) -> None:
        """Show `scheme` in `year` (as picking them in the top bar does)."""
        self.scheme_combo.setCurrentIndex(self.scheme_combo.findData(scheme))
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))

    # -- recording ------------------------------------------------------------------------------

    def record_quota(self) -> None:
        self.say("")
        if QuotaDialog(self.controller, self).exec() == QDialog.DialogCode.Accepted:
            self._show()
            self.say(
                _("The {year} quota of {scheme} was recorded.").format(
                    year=self.controller.year, scheme=self.controller.current.name
                )
            )

    def record_adjustment(self) -> None:
        self.say("")
        if AdjustmentDialog(self.controller, self).exec() == QDialog.DialogCode.Accepted:
            self._show()
            self.say(_("The budget adjustment was recorded; the available quota is updated."))

    def show_working(self) -> None:
        WorkingDialog(
            _("Working"),
            _("{scheme}, {year}: from the quota to what is left.").format(
                scheme=self.controller.current.name, year=self.controller.year
            ),
            self.controller.available_working(),
            self,
        ).exec()

    def show_method(self) -> None:
        WorkingDialog(
            _("Projection method"),
            self.controller.projection_text()[0],
            self.controller.projection_working(),
            self,
        ).exec()


def _page(grid: QWidget, note: QLabel) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 6, 0, 0)
    layout.addWidget(note)
    layout.addWidget(grid, 1)
    return page


def _note(label: QLabel, text: str) -> None:
    """A grey note that takes no room while it is empty."""
    show_message(label, text, "note")
    label.setVisible(bool(text))
