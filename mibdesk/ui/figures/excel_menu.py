"""The month screen's Excel menu: templates out and in, history in, workbooks out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QToolButton,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.monthly import COUNTY
from mibdesk.core.periods import Month
from mibdesk.core.services import figure_exports
from mibdesk.core.services.townships import list_townships
from mibdesk.ui.context import UiContext
from mibdesk.ui.imports.preview_dialog import ImportPreviewDialog

XLSX_FILTER = "Excel (*.xlsx)"


class ExcelButton(QToolButton):
    """A button with the Excel actions for the scheme and month `current()` names."""

    def __init__(
        self, ctx: UiContext, current: Callable[[], tuple[str, Month]], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current = current
        self.setText(_("Excel"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        menu.addAction(_("Export the fill-in template…"), self.export_template)
        menu.addAction(_("Export a township's template…"), self.export_township_template)
        menu.addAction(_("Import a filled template…"), lambda: self.import_file("template"))
        menu.addSeparator()
        menu.addAction(_("Export this month as a workbook…"), self.export_month)
        menu.addAction(_("Export the whole year as a workbook…"), self.export_year)
        menu.addSeparator()
        menu.addAction(_("Import a history sheet…"), lambda: self.import_file("history"))
        self.setMenu(menu)

    def _target(self, suggested: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save as"), suggested, XLSX_FILTER)
        return Path(chosen) if chosen else None

    def _run(self, work: Callable[[], Path]) -> None:
        def done(path: Path) -> None:
            QMessageBox.information(self, _("Written"), _("Written: {path}").format(path=path))

        self.ctx.tasks.run(lambda progress: work(), done, label=_("Writing the workbook"))

    def export_template(self, units: tuple[str, ...] | None = None, tag: str = "") -> None:
        scheme, month = self.current()
        path = self._target(f"{self.ctx.office.code}-{scheme}-{month}{tag}-template.xlsx")
        if path is not None:
            self._run(
                lambda: figure_exports.export_template(
                    self.ctx.store, self.ctx.profile, scheme, month, path, units
                )
            )

    def export_township_template(self) -> None:

        towns = list_townships(self.ctx.store)
        names = [_("The county itself")] + [f"{t.name}（{t.code}）" for t in towns]
        choice, ok = QInputDialog.getItem(self, _("Template for"), _("Township"), names, 0, False)
        if ok:
            index = names.index(choice)
            code = COUNTY if index == 0 else towns[index - 1].code
            self.export_template((code,), f"-{code or 'county'}")

    def export_month(self) -> None:
        scheme, month = self.current()
        path = self._target(f"{self.ctx.office.code}-{scheme}-{month}.xlsx")
        if path is not None:
            self._run(
                lambda: figure_exports.export_month_workbook(
                    self.ctx.store, self.ctx.profile, scheme, month, path
                )
            )

    def export_year(self) -> None:
        _scheme, month = self.current()
        path = self._target(f"{self.ctx.office.code}-{month.year}.xlsx")
        if path is not None:
            self._run(
                lambda: figure_exports.export_year_workbook(
                    self.ctx.store, self.ctx.profile, month.year, path
                )
            )

    def import_file(self, kind: str) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Import"), "", XLSX_FILTER)
        if chosen:
            ImportPreviewDialog(self.ctx, kind, Path(chosen), self).exec()
