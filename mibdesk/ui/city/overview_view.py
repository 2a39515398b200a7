"""The city overview (城市总览): for a month, every county's monthly report and plan per
scheme, on time or how many working days late, and the figures consolidated per scheme.
Double-click a county to see its report line by line and its plan (the drill-down)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.city.common import MonthPicker, fill, screen_header, text_table
from mibdesk.ui.city.overview_controller import (
    STATE_COLOURS,
    CityOverviewController,
    FigureRow,
)
from mibdesk.ui.context import UiContext
from mibdesk.ui.widgets.refreshing import RefreshingScreen


def figure_table(rows: list[FigureRow], count_title: str) -> QTableWidget:
    table = text_table((_("Line"), _("Value"), count_title))
    fill(
        table,
        [(row.name, row.value, str(row.counties)) for row in rows],
        numeric=(1, 2),
        colours=[("", "#5f6b7a" if row.computed else "", "") for row in rows],
    )
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class CityOverviewScreen(RefreshingScreen):
    """Refreshes on `Area.OFFICE` and `Area.PLANS` (packages applied, plans decided): at once
    when shown, otherwise the next time it is shown."""

    areas = (Area.OFFICE, Area.PLANS)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = CityOverviewController(ctx)
        self.drill_dialog: QDialog | None = None

        self.picker = MonthPicker(self.controller.months, self.controller.current)
        self.picker.chosen.connect(self.refresh)
        self.heading = QLabel()
        self.heading.setObjectName("overviewHeading")
        top = screen_header(_("City overview"), _("Report month"), self.picker, self.heading)
        self.message = message_label("overviewMessage")
        self.message.hide()

        self.counties = text_table((_("County"),))
        self.counties.setObjectName("countyStatus")
        self.counties.cellDoubleClicked.connect(lambda row, _col: self.open_drilldown(row))
        hint = QLabel(_("Double-click a county to see its report line by line and its plan."))
        hint.setStyleSheet("color: #5f6b7a;")
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.counties, 1)
        upper_layout.addWidget(hint)

        self.figures = QTabWidget()
        self.figures.setObjectName("consolidated")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        consolidated = QLabel(_("Consolidated figures"))
        consolidated.setStyleSheet("font-weight: bold;")
        lower_layout.addWidget(consolidated)
        lower_layout.addWidget(self.figures, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setSizes([260, 420])  # the sums get the larger share
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.refresh()

    def refresh(self) -> None:
        month = self.picker.month()
        self.heading.setText(self.controller.heading(month))
        try:
            self.controller.load(month)
        except UserError as error:
            show_message(self.message, str(error))
            self.message.show()
            return
        self.message.hide()
        controller = self.controller
        self.counties.setColumnCount(len(controller.columns))
        self.counties.setHorizontalHeaderLabels(controller.columns)
        fill(
            self.counties,
            [(row.name, *(cell.text for cell in row.cells)) for row in controller.rows],
            colours=[
                ("", *(STATE_COLOURS.get(cell.state, "") for cell in row.cells))
                for row in controller.rows
            ],
            tips=[("", *(cell.tip for cell in row.cells)) for row in controller.rows],
        )
        current = self.figures.currentIndex()
        self.figures.clear()
        for block in controller.figures:
            page = QWidget()
            page_layout = QVBoxLayout(page)
            summary = QLabel(block.summary)
            summary.setWordWrap(True)
            page_layout.addWidget(summary)
            page_layout.addWidget(figure_table(list(block.rows), _("Counties")), 1)
            self.figures.addTab(page, block.name)
        if 0 <= current < self.figures.count():
            self.figures.setCurrentIndex(current)

    def open_drilldown(self, row: int) -> QDialog:
        """Show the county on `row` in a dialog (not modal: the overview stays usable)."""
        month = self.picker.month()
        county = self.controller.rows[row]
        dialog = QDialog(self)
        dialog.setObjectName("drilldown")
        dialog.setWindowTitle(_("{county} — {month}").format(county=county.name, month=month.label))
        dialog.resize(760, 560)
        tabs = QTabWidget()
        for title, text, lines in self.controller.drilldown(row, month):
            page = QWidget()
            page_layout = QVBoxLayout(page)
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            page_layout.addWidget(label)
            if lines:
                page_layout.addWidget(figure_table(lines, _("Units")), 1)
            else:
                page_layout.addStretch(1)
            tabs.addTab(page, title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        dialog.show()
        self.drill_dialog = dialog
        return dialog
