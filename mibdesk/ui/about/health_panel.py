"""The health panel of the About screen: the core's checks (core/services/health.py), shown
as they are, with 'Check again' and 'Export diagnostics…'. Both run off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.diagnostics import DiagnosticsExport, export_diagnostics
from mibdesk.core.services.health import LEVEL_LABELS, HealthReport, Level, health_report
from mibdesk.ui.context import UiContext

LEVEL_COLOURS = {
    Level.OK: "#1b7f3b",
    Level.INFO: "#5f6b7a",
    Level.WARNING: "#a15c00",
    Level.PROBLEM: "#b00020",
}


class HealthPanel(QGroupBox):
    """One row per check: its level in colour, its subject, its sentence."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(_("Health"))
        self.ctx = ctx
        self.report: HealthReport | None = None
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setColumnStretch(2, 1)
        self.status = QLabel(_("Checking…"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.again = QPushButton(_("Check again"))
        self.again.clicked.connect(self.refresh)
        self.export = QPushButton(_("Export diagnostics…"))
        self.export.setToolTip(
            _(
                "One zip file for support: logs, versions, settings without secrets, the "
                "database check. No passwords, keys or figures."
            )
        )
        self.export.clicked.connect(self.choose_export_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.again)
        buttons.addWidget(self.export)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.rows)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.again.setEnabled(False)
        self.status.setText(_("Checking…"))
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda progress: health_report(store),
            self.show_report,
            self._failed,
            label=_("Checking the office's health"),
        )

    def show_report(self, report: HealthReport) -> None:
        self.report = report
        self.again.setEnabled(True)
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)  # gone from the panel now, deleted later
                widget.deleteLater()
        for row, check in enumerate(report.checks):
            level = QLabel(f"● {_(LEVEL_LABELS[check.level])}")
            level.setStyleSheet(f"color: {LEVEL_COLOURS[check.level]}; font-weight: bold;")
            title = QLabel(check.title)
            title.setStyleSheet("font-weight: bold;")
            text = QLabel(check.text)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setObjectName(f"health-{check.key}")
            for column, widget in enumerate((level, title, text)):
                self.grid.addWidget(widget, row, column, Qt.AlignmentFlag.AlignTop)
        self.status.setText(_("Checked at {time}.").format(time=f"{self.ctx.store.clock():%H:%M}"))

    def _failed(self, error: BaseException) -> None:
        self.again.setEnabled(True)
        self.ctx.tasks.show_error(error, _("Checking the office's health"))
        self.status.setText(_("The check did not finish."))

    def choose_export_file(self) -> None:
        suggested = Path.home() / (
            f"mibdesk-{_('diagnostics')}-{self.ctx.office.code}-{self.ctx.store.clock():%Y%m%d}.zip"
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export diagnostics"), str(suggested), _("Zip files (*.zip)")
        )
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, target: Path) -> None:
        self.export.setEnabled(False)
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda progress: export_diagnostics(store.paths.root, target, store=store),
            self._exported,
            self._export_failed,
            label=_("Export diagnostics"),
        )

    def _exported(self, result: DiagnosticsExport) -> None:
        self.export.setEnabled(True)
        self.status.setText(
            _("Diagnostics saved to {path}. Send this file to support.").format(path=result.path)
        )

    def _export_failed(self, error: BaseException) -> None:
        self.export.setEnabled(True)
        self.ctx.tasks.show_error(error, _("Export diagnostics"))

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(Area.BACKUPS, Area.SETTINGS, Area.CALENDAR):
            self.refresh()
