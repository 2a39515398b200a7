"""Start the GUI: choose the office, set it up or open it, log in, show the main window.

mibdesk                  the office in the per-user data folder (setup wizard if none)
mibdesk --data-dir DIR   the office in DIR
mibdesk --demo           the demo office (created on first use), logged in as its head

Before any window: a bundle that lacks a resource, a data folder on a network drive and an
office already open in another mibdesk are refused with a message. Then the log file and
the crash dialog are set up (ui/crash.py), and the office's writer lock is held until exit.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSize, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from mibdesk import __version__
from mibdesk.core.db.engine import check_local_disk
from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _, set_language
from mibdesk.core.logs import start_logging
from mibdesk.core.paths import DataPaths, default_data_dir, default_demo_dir
from mibdesk.core.resources import check_resources, resources_root
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts, backup
from mibdesk.core.services.office_lock import OfficeLock
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import (
    CorruptDatabaseError,
    Store,
    office_exists,
    open_store,
)
from mibdesk.ui import crash
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.main_window import MainWindow
from mibdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
CJK_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimSun",
]
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
"""The sizes resources/icons/mibdesk-<size>.png was drawn at (tools/build_icons.py)."""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mibdesk")
    parser.add_argument("--demo", action="store_true", help="open the demo office")
    parser.add_argument("--data-dir", type=Path, default=None, help="the office's data folder")
    parser.add_argument("--version", action="version", version=f"mibdesk {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="print the wall-clock time when the main window is shown, then quit "
        "(benchmarks and installer smoke tests)",
    )
    return parser.parse_args(list(argv))


def make_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName("mibdesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())  # every window's, the main window's included
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    return app


def application_icon() -> QIcon:
    """The mibdesk icon, each size as drawn (Qt reads a file only when that size is shown;
    a missing file leaves that size out, and check_resources names it in a bundle)."""
    icon = QIcon()
    folder = resources_root() / "icons"
    for size in ICON_SIZES:
        icon.addFile(str(folder / f"mibdesk-{size}.png"), QSize(size, size))
    return icon


_qt_translator: QTranslator | None = None


def apply_language(app: QApplication, language: str) -> None:
    """Our catalogs and Qt's own (buttons, file dialogs) in `language`."""
    global _qt_translator
    set_language(language)
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language != "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(chinese)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(chinese, "qtbase", "_", folder):
        app.installTranslator(translator)
        _qt_translator = translator


def open_or_restore(data_dir: Path) -> Store | None:
    """Open the office; on a damaged database offer a restore from the last good backup."""
    while True:
        try:
            return open_store(
                data_dir, backup_before_migration=lambda s: backup.create_backup(s, "pre-migration")
            )
        except CorruptDatabaseError as error:
            box = QMessageBox(QMessageBox.Icon.Critical, _("Database damaged"), str(error))
            restore = box.addButton(_("Restore from a backup…"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not restore:
                return None
            from mibdesk.ui.restore_dialog import RestoreDialog  # only after damage

            dialog = RestoreDialog(data_dir, preselect=error.last_good_backup)
            if dialog.exec() != RestoreDialog.DialogCode.Accepted:
                return None


def office_folder(args: argparse.Namespace) -> Path:
    """The data folder the command line asks for."""
    if args.data_dir is not None:
        return Path(args.data_dir)
    return default_demo_dir() if args.demo else default_data_dir()


def prepare_office(args: argparse.Namespace, data_dir: Path) -> tuple[Store, bool] | None:
    """The open office to show, creating the demo or running the setup wizard as needed."""
    if args.demo:
        if not office_exists(data_dir):
            from mibdesk.core.services import demo  # the demo generator, first run only

            demo.create_demo_office(data_dir)
    else:
        if not office_exists(data_dir):
            from mibdesk.ui.setup.wizard import SetupWizard  # first run only

            wizard = SetupWizard(data_dir)
            if wizard.exec() != SetupWizard.DialogCode.Accepted or wizard.store is None:
                return None
            return wizard.store, False
    store = open_or_restore(data_dir)
    return (store, args.demo) if store is not None else None


def log_in(store: Store, office_name: str, is_demo: bool) -> Actor | None:
    if is_demo:
        return accounts.demo_login(store).value
    from mibdesk.ui.login.dialog import LoginDialog  # not needed for the demo office

    dialog = LoginDialog(store, office_name)
    return dialog.actor if dialog.exec() == LoginDialog.DialogCode.Accepted else None


def build_window(store: Store, actor: Actor, is_demo: bool) -> MainWindow:
    info = office_info(store)
    ctx = UiContext(
        store=store,
        office=info,
        profile=None,  # loaded on first use, after the window is up
        actor=actor,
        hub=ChangeHub(),
        tasks=TaskRunner(),
        demo=is_demo,
    )
    return MainWindow(ctx)


def _collect_garbage_again() -> None:
    """Start-up is over (see mibdesk.gui): keep its objects out of later collections."""
    gc.freeze()
    gc.enable()


class Session:
    """The open office and the window of whoever is logged in; a logout asks for a new login."""

    def __init__(self, app: QApplication, store: Store, is_demo: bool) -> None:
        self.app = app
        self.store = store
        self.is_demo = is_demo
        self.window: MainWindow | None = None

    def start(self, auto_login: bool, smoke: bool = False) -> bool:
        actor = log_in(self.store, office_info(self.store).name, auto_login)
        if actor is None:
            return False
        self.window = build_window(self.store, actor, self.is_demo)
        self.window.logout.connect(self._relogin)
        self.window.show()
        QTimer.singleShot(0, _collect_garbage_again)
        if smoke:
            QTimer.singleShot(0, self._report_shown)
        return True

    def _report_shown(self) -> None:
        """Smoke mode: when the window is up, and when its first screen has its data."""
        print(f"shown {time.time():.6f}", flush=True)
        if self.window is not None:
            self.window.ctx.tasks.wait_idle(30_000)
            QApplication.processEvents()
            print(f"ready {time.time():.6f}", flush=True)
            self.window.close()
        self.app.quit()

    def _relogin(self) -> None:
        if self.window is not None:
            self.window.close()
        if not self.start(auto_login=False):
            self.app.quit()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = make_application(sys.argv[:1])
    try:
        check_resources()  # before the catalogs: they may be what is missing
    except UserError as error:
        QMessageBox.critical(None, "mibdesk", str(error))
        return 1
    apply_language(app, "zh_CN")
    data_dir = office_folder(args)
    try:
        check_local_disk(data_dir)  # before anything is written there
    except UserError as error:
        QMessageBox.critical(None, _("mibdesk cannot open the office"), str(error))
        return 1
    logs = DataPaths(data_dir).logs
    start_logging(logs, "gui")
    crash.install(logs)
    office_lock = OfficeLock(DataPaths(data_dir))
    try:
        return _run(app, args, data_dir, office_lock)
    finally:
        office_lock.release()


def _run(app: QApplication, args: argparse.Namespace, data_dir: Path, lock: OfficeLock) -> int:
    """With the checks passed: take the office, open it, log in, run the window."""
    try:
        lock.acquire()
        prepared = prepare_office(args, data_dir)
    except UserError as error:
        log.info("office not opened: %s", error)
        QMessageBox.critical(None, _("mibdesk cannot open the office"), str(error))
        return 1
    if prepared is None:
        return 0
    store, is_demo = prepared
    apply_language(app, str(load_settings(store)["language"]))
    session = Session(app, store, is_demo)
    code = app.exec() if session.start(auto_login=is_demo, smoke=args.smoke) else 0
    store.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
