"""The main window: sidebar of screens, status bar, idle lock, automatic backups."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import role_label
from mibdesk.core.services import backup
from mibdesk.core.services.backup import BackupError
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.settings import load_settings
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange.sync_runner import SyncStatusLabel
from mibdesk.ui.forms.menu import install_verify_action
from mibdesk.ui.idle import IdleWatcher
from mibdesk.ui.screens import SCREENS, ScreenSpec

BACKUP_CHECK_MS = 60 * 60 * 1000


class MainWindow(QMainWindow):
    """One office, one logged-in user. `logout` asks the application for a new login."""

    logout = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.locked = False
        self.setWindowTitle(self._title())
        self.resize(1280, 760)
        self.setMinimumSize(1024, 640)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(168)
        self.sidebar.setStyleSheet(
            "QListWidget#sidebar { font-size: 15px; background: #f3f5f8; border: none; }"
            "QListWidget#sidebar::item { padding: 10px 14px; }"
            "QListWidget#sidebar::item:selected { background: #1f5fa8; color: white; }"
        )
        self.stack = QStackedWidget()
        level = str(ctx.office.level)
        self._specs: list[ScreenSpec] = [s for s in SCREENS if s.serves(level, ctx.actor)]
        self._built: dict[str, QWidget] = {}
        for spec in self._specs:
            item = QListWidgetItem(_(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.sidebar.addItem(item)
            self.stack.addWidget(QWidget())
        self.sidebar.currentRowChanged.connect(self._show_row)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.verify_action = install_verify_action(self, ctx)  # Tools → 验证PDF…

        self._status_labels = {key: QLabel() for key in ("office", "user", "period", "backup")}
        for label in self._status_labels.values():
            label.setStyleSheet("padding: 0 10px; border-left: 1px solid #c8ccd2;")
            self.statusBar().addPermanentWidget(label)
        self.sync_status = SyncStatusLabel(ctx)  # also runs the automatic sync
        self.statusBar().addPermanentWidget(self.sync_status)
        self._refresh_status()

        ctx.hub.changed.connect(self._on_changes)
        minutes = int(load_settings(ctx.store)["idle_lock_minutes"])
        self.idle = IdleWatcher(minutes, self)
        self.idle.idle.connect(self.lock)
        # watch input once the window is up: a filter on every event of the start-up itself
        # costs ~30 ms of enum conversions before the window shows
        QTimer.singleShot(1000, self._watch_input)
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.daily_backup)
        self._backup_timer.start()
        self._first_backup = QTimer(self)  # the day's first backup, once the window is up
        self._first_backup.setSingleShot(True)
        self._first_backup.timeout.connect(self.daily_backup)
        self._first_backup.start(2_000)
        self.sidebar.setCurrentRow(0)

    def _watch_input(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    def _title(self) -> str:
        office = self.ctx.office
        demo = _(" [demo office]") if self.ctx.demo else ""
        return f"mibdesk — {office.name}（{office.code}）{demo}"

    def screen_widget(self, key: str) -> QWidget:
        """The screen `key`, built on first use."""
        if key not in self._built:
            index = next(i for i, s in enumerate(self._specs) if s.key == key)
            widget = self._specs[index].build(self.ctx)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self._built[key] = widget
        return self._built[key]

    def show_screen(self, key: str) -> None:
        row = next(i for i, s in enumerate(self._specs) if s.key == key)
        self.sidebar.setCurrentRow(row)

    def screen_keys(self) -> list[str]:
        return [s.key for s in self._specs]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        widget = self.screen_widget(self._specs[row].key)
        self.stack.setCurrentWidget(widget)

    def _on_changes(self, changes: Changes) -> None:
        for widget in self._built.values():
            handler = getattr(widget, "on_changes", None)
            if handler is not None:
                handler(changes)
        if changes.touches(Area.BACKUPS, Area.OFFICE, Area.SETTINGS):
            self._refresh_status()

    def _refresh_status(self) -> None:
        ctx = self.ctx
        labels = self._status_labels
        labels["office"].setText(f"{ctx.office.name}（{ctx.office.code}）")
        labels["user"].setText(f"{ctx.actor.display_name} · {role_label(ctx.actor.role)}")
        today = ctx.store.clock().date()
        labels["period"].setText(_("Period: {month}").format(month=Month.of(today).label))
        found = backup.list_backups(backup.backup_dir(ctx.store))
        labels["backup"].setText(
            _("Last backup: {at}").format(at=f"{found[0].taken_at:%Y-%m-%d %H:%M}")
            if found
            else _("Last backup: none yet")
        )

    def daily_backup(self) -> None:
        def done(info: object) -> None:
            if info is not None:
                self.ctx.hub.publish(Changes.of(Area.BACKUPS))

        self.ctx.tasks.run(
            lambda progress: backup.backup_if_due(self.ctx.store),
            done,
            self._backup_failed,
            label=_("Daily backup"),
        )

    def _backup_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(str(error), 30_000)

    def lock(self) -> None:
        """Hide the office's data until the same user enters the password again."""
        if self.locked:
            return
        self.locked = True
        body = self.centralWidget()
        assert body is not None
        body.hide()
        from mibdesk.ui.login.dialog import LoginDialog  # only when locking

        dialog = LoginDialog(self.ctx.store, self.ctx.office.name, self, locked_for=self.ctx.actor)
        unlocked = dialog.exec() == LoginDialog.DialogCode.Accepted
        self.locked = False
        if unlocked:
            body.show()
            self.idle.reset()
        else:
            self.logout.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        for timer in self.findChildren(QTimer):  # no backup or sync once the worker stops
            timer.stop()
        self.ctx.tasks.shutdown()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        try:
            backup.create_backup(self.ctx.store, "close")
        except BackupError as error:
            QMessageBox.warning(self, _("Backup not written"), str(error))
        event.accept()
