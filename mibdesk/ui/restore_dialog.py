"""Restore the office database from a backup: a head chooses one and confirms with a password."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.paths import DataPaths
from mibdesk.core.services.backup import list_backups, restore


class RestoreDialog(QDialog):
    """The current database is moved aside (never overwritten); `moved_to` says where."""

    def __init__(
        self,
        data_dir: Path,
        parent: QWidget | None = None,
        *,
        folder: Path | None = None,
        preselect: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.moved_to: Path | None = None
        self.setWindowTitle(_("Restore from a backup"))
        self.setMinimumSize(560, 420)
        self.backups = QListWidget()
        for info in list_backups(folder or DataPaths(data_dir).backups):
            item = QListWidgetItem(info.describe())
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.backups.addItem(item)
            if preselect is not None and info.path == preselect:
                self.backups.setCurrentItem(item)
        if self.backups.currentRow() < 0 and self.backups.count():
            self.backups.setCurrentRow(0)
        other = QPushButton(_("Another file…"))
        other.clicked.connect(self._choose_file)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(_("Head's username"), self.username)
        form.addRow(_("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Restore"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._restore)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(_("The current database is kept in the set-aside folder; nothing is deleted."))
        )
        layout.addWidget(self.backups)
        layout.addWidget(other)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), str(self.data_dir), _("mibdesk backups (*.sqlite)")
        )
        if chosen:
            item = QListWidgetItem(Path(chosen).name)
            item.setData(Qt.ItemDataRole.UserRole, chosen)
            self.backups.addItem(item)
            self.backups.setCurrentItem(item)

    def _restore(self) -> None:
        item = self.backups.currentItem()
        if item is None:
            self.message.setText(_("Choose a backup first."))
            return
        try:
            self.moved_to = restore(
                self.data_dir,
                Path(item.data(Qt.ItemDataRole.UserRole)),
                self.username.text().strip(),
                self.password.text(),
            )
        except UserError as error:
            self.message.setText(str(error))
            return
        self.accept()
