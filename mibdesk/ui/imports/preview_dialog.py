"""Import a workbook: show every difference and every error first, write only on confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_count, format_fen
from mibdesk.core.services import figure_import
from mibdesk.core.services.figure_import import CellDiff, ImportPreview
from mibdesk.core.table import Column, ListTableModel
from mibdesk.ui.context import UiContext
from mibdesk.ui.widgets.grid import GridView


@dataclass(frozen=True)
class DiffRow:
    month: str
    scheme: str
    line: str
    unit: str
    old: str
    new: str


def _amount(kind: str, value: int | None) -> str:
    if value is None:
        return _("(blank)")
    return format_count(value) if kind == "persons" else format_fen(value)


class ImportPreviewDialog(QDialog):
    """Reads `path` off the GUI thread, shows the preview, applies it when the user confirms."""

    def __init__(self, ctx: UiContext, kind: str, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.path = path
        self.preview: ImportPreview | None = None
        self.written = 0
        self.setWindowTitle(_("Import {name}").format(name=path.name))
        self.resize(900, 560)
        self.summary = QLabel(_("Reading the file…"))
        self.summary.setWordWrap(True)
        self.errors = QListWidget()
        self.errors.setObjectName("importErrors")
        self.table: ListTableModel[DiffRow] = ListTableModel(
            (
                Column("month", _("Month"), "text", width_hint=8),
                Column("scheme", _("Scheme"), "text", width_hint=14),
                Column("line", _("Line"), "text", width_hint=20),
                Column("unit", _("Reporting unit"), "text", width_hint=10),
                Column("old", _("Stored now"), "text", width_hint=12),
                Column("new", _("From the file"), "text", width_hint=12),
            ),
            [],
        )
        self.grid = GridView(self)
        self.grid.set_table(self.table)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(_("Import"))
        self.import_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(_("Errors (nothing is imported while there is one):")))
        layout.addWidget(self.errors, 1)
        layout.addWidget(QLabel(_("Differences against what is stored:")))
        layout.addWidget(self.grid, 3)
        layout.addWidget(self.buttons)
        read = (
            figure_import.preview_history if kind == "history" else figure_import.preview_template
        )
        ctx.tasks.run(
            lambda progress: read(ctx.store, ctx.profile, path),
            self.show_preview,
            self._failed,
            label=_("Reading {name}").format(name=path.name),
        )

    def _row(self, diff: CellDiff) -> DiffRow:
        scheme = self.ctx.profile.scheme(diff.scheme)
        line = scheme.line(diff.cell.line)
        return DiffRow(
            diff.month.label,
            scheme.name,
            line.name,
            diff.cell.unit or _("the county itself"),
            _amount(line.unit, diff.old),
            _amount(line.unit, diff.new),
        )

    def show_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.summary.setText(
            _(
                "{changes} figure(s) would change in {months} month(s); {same} unchanged; "
                "{errors} error(s)."
            ).format(
                changes=len(preview.diffs),
                months=len(preview.months),
                same=preview.unchanged,
                errors=len(preview.errors),
            )
        )
        self.errors.clear()
        self.errors.addItems([str(error) for error in preview.errors])
        self.table.replace_rows(self._row(diff) for diff in preview.diffs)
        self.grid.refresh()
        self.import_button.setEnabled(preview.ok and bool(preview.diffs))

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            self.ctx.tasks.show_error(error, _("Import"))
            return
        self.summary.setStyleSheet("color: #b00020;")
        self.summary.setText(str(error))

    def apply(self) -> None:
        if self.preview is None:
            return
        try:
            outcome = figure_import.apply_import(
                self.ctx.store, self.ctx.actor, self.ctx.profile, self.preview
            )
        except UserError as error:
            self._failed(error)
            return
        self.written = outcome.value
        self.ctx.hub.publish(outcome.changes)
        self.accept()
