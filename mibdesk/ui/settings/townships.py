"""The townships section of Settings: list, add or rename, deactivate."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Permission
from mibdesk.core.services import townships
from mibdesk.ui.context import UiContext


class TownshipsBox(QGroupBox):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(_("Townships"))
        self.ctx = ctx
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Township code"), _("Township name"), _("State")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(160)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 220)
        self.table.itemSelectionChanged.connect(self._selected)
        self.code = QLineEdit()
        self.code.setMaxLength(9)
        self.code.setPlaceholderText(_("9-digit code"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. 塔山街道"))
        self.save_button = QPushButton(_("Save township"))
        self.save_button.clicked.connect(self.save)
        self.toggle_button = QPushButton(_("Deactivate"))
        self.toggle_button.clicked.connect(self.toggle)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        for widget in (self.code, self.name, self.save_button, self.toggle_button):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)
        allowed = ctx.actor.can(Permission.CHANGE_SETTINGS)
        for widget in (self.code, self.name, self.save_button, self.toggle_button):
            widget.setEnabled(allowed)
        self.load()

    def load(self) -> None:
        self.rows = townships.list_townships(self.ctx.store, active_only=False)
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            state = _("active") if row.active else _("deactivated")
            for j, text in enumerate((row.code, row.name, state)):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def _selected(self) -> None:
        index = self.table.currentRow()
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.code.setText(row.code)
            self.name.setText(row.name)
            self.toggle_button.setText(_("Deactivate") if row.active else _("Activate"))

    def _write(self, active: bool) -> None:
        try:
            outcome = townships.save_township(
                self.ctx.store, self.ctx.actor, self.code.text(), self.name.text(), active
            )
        except UserError as error:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(str(error))
            return
        self.message.setStyleSheet("color: #1b7f3b;")
        self.message.setText(_("Saved."))
        self.ctx.hub.publish(outcome.changes)

    def save(self) -> None:
        current = next((r for r in self.rows if r.code == self.code.text().strip()), None)
        self._write(current.active if current else True)

    def toggle(self) -> None:
        current = next((r for r in self.rows if r.code == self.code.text().strip()), None)
        if current is not None:
            self._write(not current.active)
