"""Settings: office, drop folder, backups (with restore), security, language, calendar."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import LANGUAGES, _
from mibdesk.core.security.roles import Permission
from mibdesk.core.services import backup, calendar
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.settings import SettingValue, change_settings, load_settings
from mibdesk.core.services.setup import LEVEL_NAMES
from mibdesk.ui.context import UiContext
from mibdesk.ui.restore_dialog import RestoreDialog
from mibdesk.ui.settings.townships import TownshipsBox


def _folder_row(edit: QLineEdit, title: str, parent: QWidget) -> QHBoxLayout:
    browse = QPushButton(_("Browse…"))

    def choose() -> None:
        chosen = QFileDialog.getExistingDirectory(parent, title, edit.text())
        if chosen:
            edit.setText(chosen)

    browse.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


class SettingsScreen(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.can_change = ctx.actor.can(Permission.CHANGE_SETTINGS)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._office_box())
        self.townships = TownshipsBox(ctx)
        layout.addWidget(self.townships)
        layout.addWidget(self._general_box())
        layout.addWidget(self._backup_box())
        layout.addWidget(self._calendar_box())
        layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        title = QLabel(_("Settings"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        outer.addWidget(title)
        outer.addWidget(scroll)
        self.load()

    def _office_box(self) -> QGroupBox:
        office, profile = self.ctx.office, self.ctx.profile
        box = QGroupBox(_("Office"))
        form = QFormLayout(box)
        form.addRow(_("Office name"), QLabel(office.name))
        form.addRow(_("Division code"), QLabel(office.code))
        form.addRow(_("Office level"), QLabel(_(LEVEL_NAMES[office.level])))
        form.addRow(
            _("Policy profile"),
            QLabel(
                _("{name}, version {version}").format(name=profile.name, version=profile.version)
            ),
        )
        form.addRow(_("Data folder"), QLabel(str(self.ctx.store.paths.root)))
        return box

    def _general_box(self) -> QGroupBox:
        box = QGroupBox(_("Exchange, security and language"))
        form = QFormLayout(box)
        self.drop_folder = QLineEdit()
        form.addRow(_("Drop folder"), _folder_row(self.drop_folder, _("Drop folder"), self))
        self.sync_minutes = QSpinBox()
        self.sync_minutes.setRange(1, 1440)
        self.sync_minutes.setSuffix(_(" min"))
        form.addRow(_("Sync with the drop folder every"), self.sync_minutes)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 240)
        self.idle_minutes.setSuffix(_(" min"))
        form.addRow(_("Lock the window after idle minutes"), self.idle_minutes)
        self.lockout_attempts = QSpinBox()
        self.lockout_attempts.setRange(3, 20)
        form.addRow(_("Failed logins before an account locks"), self.lockout_attempts)
        self.lockout_minutes = QSpinBox()
        self.lockout_minutes.setRange(1, 1440)
        self.lockout_minutes.setSuffix(_(" min"))
        form.addRow(_("Minutes an account stays locked"), self.lockout_minutes)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        form.addRow(_("Interface language"), self.language)
        form.addRow("", QLabel(_("A new language applies the next time mibdesk starts.")))
        self.save_button = QPushButton(_("Save settings"))
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form.addRow(self.save_button, self.message)
        for widget in (
            self.drop_folder,
            self.sync_minutes,
            self.idle_minutes,
            self.lockout_attempts,
            self.lockout_minutes,
            self.language,
            self.save_button,
        ):
            widget.setEnabled(self.can_change)
        return box

    def _backup_box(self) -> QGroupBox:
        box = QGroupBox(_("Backups"))
        layout = QVBoxLayout(box)
        form = QFormLayout()
        self.backup_folder = QLineEdit()
        self.backup_folder.setPlaceholderText(str(self.ctx.store.paths.backups))
        form.addRow(_("Backup folder"), _folder_row(self.backup_folder, _("Backup folder"), self))
        self.daily = QCheckBox(_("Back up automatically every day and when mibdesk closes"))
        form.addRow("", self.daily)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(
                _(
                    "Kept: the newest backup of each of the last 7 days, 4 weeks "
                    "and 12 months; each one checked after writing."
                )
            )
        )
        self.backup_list = QListWidget()
        self.backup_list.setMinimumHeight(120)
        layout.addWidget(self.backup_list)
        buttons = QHBoxLayout()
        now = QPushButton(_("Back up now"))
        now.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(_("Restore from a backup…"))
        self.restore_button.clicked.connect(self.restore)
        self.restore_button.setEnabled(self.ctx.actor.can(Permission.RESTORE))
        buttons.addWidget(now)
        buttons.addWidget(self.restore_button)
        buttons.addStretch()
        layout.addLayout(buttons)
        for widget in (self.backup_folder, self.daily):
            widget.setEnabled(self.can_change)
        return box

    def _calendar_box(self) -> QGroupBox:
        box = QGroupBox(_("Working-day calendar"))
        layout = QVBoxLayout(box)
        layout.addWidget(
            QLabel(
                _(
                    "Statutory holidays and moved workdays are built in up to "
                    "2026; later years come from a calendar file supplied by the "
                    "city or prepared by the office."
                )
            )
        )
        self.calendar_table = QTableWidget(0, 4)
        self.calendar_table.setHorizontalHeaderLabels(
            [_("Year"), _("Source"), _("Holidays"), _("Moved workdays")]
        )
        self.calendar_table.horizontalHeader().setStretchLastSection(False)
        self.calendar_table.setColumnWidth(1, 420)
        self.calendar_table.setMinimumHeight(160)
        self.calendar_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.calendar_table)
        buttons = QHBoxLayout()
        self.import_calendar_button = QPushButton(_("Import a calendar file…"))
        self.import_calendar_button.clicked.connect(self.import_calendar)
        self.import_calendar_button.setEnabled(self.can_change)
        export = QPushButton(_("Export the selected year…"))
        export.clicked.connect(self.export_calendar)
        buttons.addWidget(self.import_calendar_button)
        buttons.addWidget(export)
        buttons.addStretch()
        layout.addLayout(buttons)
        return box

    def load(self) -> None:
        values = load_settings(self.ctx.store)
        self.drop_folder.setText(str(values["drop_folder"]))
        self.sync_minutes.setValue(int(values["sync_minutes"]))
        self.idle_minutes.setValue(int(values["idle_lock_minutes"]))
        self.lockout_attempts.setValue(int(values["lockout_attempts"]))
        self.lockout_minutes.setValue(int(values["lockout_minutes"]))
        self.language.setCurrentIndex(max(0, self.language.findData(values["language"])))
        self.backup_folder.setText(str(values["backup_dir"]))
        self.daily.setChecked(bool(values["daily_backup"]))
        self._load_backups()
        self._load_calendar()

    def _load_backups(self) -> None:
        self.backup_list.clear()
        for info in backup.list_backups(backup.backup_dir(self.ctx.store)):
            self.backup_list.addItem(info.describe())

    def _load_calendar(self) -> None:
        rows = calendar.calendar_status(self.ctx.store)
        rows = [r for r in rows if r.year >= self.ctx.store.clock().year - 2]
        self.calendar_table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            source = row.source + ("" if row.supplied else _(" (built in)"))
            for j, text in enumerate((str(row.year), source, str(row.holidays), str(row.workdays))):
                self.calendar_table.setItem(i, j, QTableWidgetItem(text))

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(Area.SETTINGS, Area.BACKUPS, Area.CALENDAR):
            self.load()
        if changes.touches(Area.OFFICE):
            self.townships.load()

    def save(self) -> None:
        updates: dict[str, SettingValue] = {
            "drop_folder": self.drop_folder.text().strip(),
            "sync_minutes": self.sync_minutes.value(),
            "idle_lock_minutes": self.idle_minutes.value(),
            "lockout_attempts": self.lockout_attempts.value(),
            "lockout_minutes": self.lockout_minutes.value(),
            "language": str(self.language.currentData()),
            "backup_dir": self.backup_folder.text().strip(),
            "daily_backup": self.daily.isChecked(),
        }
        try:
            outcome = change_settings(self.ctx.store, self.ctx.actor, updates)
        except UserError as error:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(str(error))
            return
        self.message.setStyleSheet("color: #1b7f3b;")
        self.message.setText(_("Saved."))
        self.ctx.hub.publish(outcome.changes)

    def backup_now(self) -> None:
        def done(info: backup.BackupInfo) -> None:
            self.message.setText(_("Backup written and verified: {path}").format(path=info.path))
            self.ctx.hub.publish(Changes.of(Area.BACKUPS))

        self.ctx.tasks.run(
            lambda progress: backup.create_backup(self.ctx.store, "manual"),
            done,
            label=_("Backing up"),
        )

    def restore(self) -> None:
        answer = QMessageBox.question(
            self,
            _("Restore from a backup"),
            _("Restoring closes the office and starts mibdesk again. Continue?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        folder = backup.backup_dir(self.ctx.store)
        self.ctx.tasks.shutdown()
        self.ctx.store.close()
        dialog = RestoreDialog(self.ctx.store.paths.root, self, folder=folder)
        if dialog.exec() == RestoreDialog.DialogCode.Accepted:
            QMessageBox.information(
                self,
                _("Restored"),
                _(
                    "The backup was restored; the previous database was kept as {path}. mibdesk "
                    "starts again now."
                ).format(path=dialog.moved_to or "-"),
            )
        QProcess.startDetached(sys.executable, sys.argv)
        QApplication.quit()

    def import_calendar(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Import a calendar file"), "", _("Calendar files (*.json)")
        )
        if chosen:
            self.import_calendar_file(Path(chosen))

    def import_calendar_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
            outcome = calendar.import_calendar(
                self.ctx.store, self.ctx.actor, text, where=path.name
            )
        except (UserError, OSError, UnicodeDecodeError) as error:
            QMessageBox.warning(self, _("Calendar not imported"), str(error))
            return
        self.ctx.hub.publish(outcome.changes)

    def export_calendar(self) -> None:
        item = self.calendar_table.item(self.calendar_table.currentRow(), 0)
        if item is None:
            return
        year = int(item.text())
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export the calendar"), f"calendar-{year}.json", _("Calendar files (*.json)")
        )
        if chosen:
            Path(chosen).write_text(
                calendar.export_calendar(self.ctx.store, year), encoding="utf-8"
            )
