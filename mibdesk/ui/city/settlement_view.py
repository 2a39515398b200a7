"""The year-end settlement screen (年终清算): the year's worksheet (figures from the counties'
reports shaded, what the city types editable and checked per cell), the pooled funds; 计算
shows who pays what per scheme and county, and a county's working with rule and source;
保存, 定稿, 导出工作簿, 正式报表 (preview and print, open, save, and for the head sign:
`settlement_form.SettlementFormButton`) and 发送清算通知 (定稿 and the notices for the head)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.rules.settlement import CountySettlement
from mibdesk.core.services.changes import Changes
from mibdesk.core.tables.settlement_table import (
    pooled_lines,
    result_columns,
    result_rows,
    working_columns,
    working_rows,
)
from mibdesk.ui.accounts.listing import message_label
from mibdesk.ui.city.common import fill, selected, source_tips, text_table
from mibdesk.ui.city.settlement_controller import SettlementController
from mibdesk.ui.city.settlement_form import SettlementFormButton
from mibdesk.ui.context import UiContext
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.widgets.grid import GridView
from mibdesk.ui.widgets.refreshing import RefreshingScreen


class SettlementScreen(RefreshingScreen):
    """Worksheet on top, results and working below. Refreshes on `Area.SETTLEMENT`,
    `Area.FIGURES` and `Area.OFFICE` (a report came in) when nothing typed is pending."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(loaded=False)
        self.ctx = ctx
        self.controller = SettlementController(ctx)
        self.results: list[CountySettlement] = []

        heading = QLabel(_("Year-end settlement"))
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.year_box = QComboBox()
        self.year_box.setObjectName("settlementYear")
        for year in self.controller.years:
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(self.controller.years.index(self.controller.year))
        self.year_box.currentIndexChanged.connect(self.refresh)
        self.status = QLabel()
        self.status.setObjectName("settlementStatus")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(QLabel(_("Year")))
        top.addWidget(self.year_box)
        top.addSpacing(16)
        top.addWidget(self.status, 1)
        self.message = message_label("settlementMessage")
        self.message.hide()

        self.sheet_grid = GridView()
        self.sheet_grid.setObjectName("settlementWorksheet")
        self.pooled_grid = GridView()
        self.pooled_grid.setObjectName("settlementPooled")
        self.pooled_grid.setMaximumHeight(110)
        for grid in (self.sheet_grid, self.pooled_grid):
            grid.editsRejected.connect(self._rejected)

        self.save_button = QPushButton(_("Save"))
        self.compute_button = QPushButton(_("Compute"))
        self.finalise_button = QPushButton(_("Finalise…"))
        self.reopen_button = QPushButton(_("Reopen…"))
        self.dialog: ReasonDialog | None = None
        self.reopen_button.setToolTip(_("Reopen the final settlement to correct it"))
        self.workbook_button = QPushButton(_("Export workbook…"))
        self.form_button = SettlementFormButton(
            ctx, self.controller, lambda: self.controller.year, self
        )
        self.notice_button = QPushButton(_("Send settlement notices"))
        actions: list[tuple[QPushButton, Callable[[], None]]] = [
            (self.save_button, self.save),
            (self.compute_button, self.compute),
            (self.finalise_button, self.finalise),
            (self.reopen_button, self.reopen),
            (self.workbook_button, self.export_workbook),
            (self.notice_button, self.send_notices),
        ]
        buttons = QHBoxLayout()
        for button, slot in actions:
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.form_button.setMinimumHeight(self.save_button.sizeHint().height())
        buttons.insertWidget(5, self.form_button)
        buttons.addStretch(1)
        for button in (self.finalise_button, self.reopen_button, self.notice_button):
            button.setVisible(self.controller.is_head)

        self.result_table = text_table(result_columns())
        self.result_table.setObjectName("settlementResults")
        self.result_table.itemSelectionChanged.connect(self._show_working)
        self.pooled_label = QLabel()
        self.pooled_label.setObjectName("settlementPooledAccount")
        self.pooled_label.setWordWrap(True)
        self.working_table = text_table(working_columns())
        self.working_table.setObjectName("settlementWorking")

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.sheet_grid, 1)
        upper_layout.addWidget(QLabel(_("Pooled fund (归集基金) before this settlement")))
        upper_layout.addWidget(self.pooled_grid)
        upper_layout.addLayout(buttons)
        lower = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.result_table, 1)
        left_layout.addWidget(self.pooled_label)
        lower.addWidget(left)
        lower.addWidget(self.working_table)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    # -- showing ------------------------------------------------------------------------------

    def wants(self, changes: Changes) -> bool:
        return self.controller.cares(changes) and not self.controller.edits

    def refresh(self) -> None:
        self.controller.load(self.year_box.currentData())
        sheet_table, pooled_table = self.controller.tables()
        self.sheet_grid.set_table(sheet_table)
        self.pooled_grid.set_table(pooled_table)
        self._show_settlement()
        self._update()

    def _update(self) -> None:
        self.status.setText(self.controller.status_text())
        final = self.controller.final
        self.save_button.setEnabled(not final)
        self.finalise_button.setEnabled(not final)
        self.reopen_button.setEnabled(final)
        self.notice_button.setEnabled(final)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setVisible(bool(text))

    def _rejected(self, errors: list[Any]) -> None:
        if errors:
            self._say(errors[0].message, error=True)

    def _show_settlement(self) -> None:
        settled = self.controller.settled
        rows = result_rows(settled.result) if settled else []
        self.results = [item for item, _cells in rows]
        fill(self.result_table, [cells for _item, cells in rows], numeric=range(2, 12))
        names: dict[str, str] = {s.code: s.name for s in self.ctx.profile.schemes}
        self.pooled_label.setText("\n".join(pooled_lines(settled.result, names)) if settled else "")
        fill(self.working_table, [])

    def _show_working(self) -> None:
        row = selected(self.result_table)
        if row is None or row >= len(self.results):
            fill(self.working_table, [])
            return
        rows = working_rows(self.results[row])
        tips = source_tips(rows, 3, self.ctx.profile.sources)
        fill(self.working_table, rows, numeric=(1,), tips=tips)

    # -- actions ------------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], label: str) -> None:
        self._say("")
        self.ctx.tasks.run(lambda _progress: work(), done, self._refused, label)

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            raise error
        self._say(str(error), error=True)
        self.sheet_grid.refresh()

    def save(self) -> None:
        def done(_none: None) -> None:
            self.refresh()
            self._say(_("Saved."))

        self._run(self.controller.save, done, _("Save the worksheet"))

    def compute(self) -> None:
        def done(_settled: Any) -> None:
            self.sheet_grid.set_table(self.controller.tables()[0])
            self.pooled_grid.set_table(self.controller.tables()[1])
            self._show_settlement()
            self._update()
            if self.results:
                self.result_table.selectRow(0)

        self._run(self.controller.compute, done, _("Compute the settlement"))

    def finalise(self) -> None:
        asked = QMessageBox.question(
            self,
            _("Finalise the settlement"),
            _(
                "Finalise the {year} settlement? The worksheet can no longer change and the "
                "input file is kept with its SHA-256."
            ).format(year=self.controller.year),
        )
        if asked != QMessageBox.StandardButton.Yes:
            return

        def done(_settled: Any) -> None:
            self.refresh()
            self.compute()
            self._say(_("The settlement is final."))

        self._run(self.controller.finalise, done, _("Finalise the settlement"))

    def reopen(self) -> None:
        """Ask the head why (`self.dialog`); OK makes the worksheet a draft again (the reason
        is audited)."""
        dialog = ReasonDialog(
            _("Reopen the settlement"),
            _(
                "The {year} settlement becomes a draft again, to correct it. The file it was "
                "finalised from is kept in the audit log with your reason. Finalise it again, "
                "then send the notices: they replace the ones the counties already have."
            ).format(year=self.controller.year),
            _("e.g. 南湖县's balance was typed wrong"),
            self.controller.reopen,
            self,
        )
        dialog.accepted.connect(self._reopened)
        self.dialog = dialog
        dialog.open()

    def _reopened(self) -> None:
        self.refresh()
        self._say(_("The settlement is a draft again; correct it and finalise it again."))

    def ask_path(self, title: str, name: str, pattern: str) -> Path | None:
        """Where to save (a file dialog; tests replace it)."""
        chosen, _filter = QFileDialog.getSaveFileName(self, title, name, pattern)
        return Path(chosen) if chosen else None

    def export_workbook(self) -> None:
        target = self.ask_path(
            _("Export workbook"), self.controller.suggested_name("清算.xlsx"), "Excel (*.xlsx)"
        )
        if target is None:
            return
        self._run(
            lambda: self.controller.export_workbook(target),
            lambda path: self._say(_("Saved as {path}.").format(path=path)),
            _("Export workbook"),
        )

    def send_notices(self) -> None:
        def done(sent: list[Any]) -> None:
            waiting = [s for s in sent if s.waiting_because]
            text = _("Settlement notices sent to {n} counties.").format(n=len(sent))
            if waiting:
                text += " " + waiting[0].waiting_because
            self._say(text)

        self._run(self.controller.send_notices, done, _("Send settlement notices"))
