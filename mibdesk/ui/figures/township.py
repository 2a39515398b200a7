"""The township breakdown tab (乡镇明细): who has reported this month, who has not, the totals.

County staff type into it what a township reported on paper while the month is editable; the
grid is the same spreadsheet-like `GridView` as the month's form.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell
from mibdesk.core.tables.township_table import reporting_summary
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.figures.controller import FiguresController
from mibdesk.ui.widgets.grid import GridView


class TownshipView(QWidget):
    """A summary line (reported / not reported) above the township grid."""

    def __init__(self, controller: FiguresController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.summary = message_label("townshipSummary")
        self.grid = GridView(self)
        self.grid.verticalHeader().hide()
        self.grid.set_table(controller.townships)
        hint = message_label("townshipHint")
        show_message(
            hint,
            _(
                "Type here what each township reported on paper; the county's figure is the sum "
                "of the townships and its own entry."
            ),
            "note",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid, 1)
        layout.addWidget(hint)
        self.refresh()

    def refresh(self) -> None:
        """Show the controller's breakdown as it is now."""
        self.grid.refresh()
        controller = self._controller
        if not controller.has_townships:
            show_message(
                self.summary, _("This scheme's figures are not reported per township."), "note"
            )
            return
        breakdown = controller.townships.breakdown
        show_message(
            self.summary, reporting_summary(breakdown), "error" if breakdown.missing else "ok"
        )

    def current_cell(self) -> Cell | None:
        """The stored cell under the grid's current cell, if any."""
        where = self.grid.current_cell()
        return None if where is None else self._controller.townships.history_cell(*where)
