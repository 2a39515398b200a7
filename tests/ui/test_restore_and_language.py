"""Restore from the GUI after damage, Qt's own dialogs in Chinese, English on request."""

from __future__ import annotations

from pathlib import Path

from helpers import HEAD_PASSWORD
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from mibdesk.core.db.engine import integrity_check
from mibdesk.core.i18n import _
from mibdesk.core.services import backup
from mibdesk.core.services.store import Store
from mibdesk.ui.app import apply_language
from mibdesk.ui.restore_dialog import RestoreDialog


def test_a_head_restores_a_damaged_database_from_the_dialog(
    qtbot: QtBot, office: Store, data_dir: Path
) -> None:
    taken = backup.create_backup(office)
    office.close()
    (data_dir / "mibdesk.sqlite").write_bytes(b"damaged" * 300)
    dialog = RestoreDialog(data_dir, preselect=taken.path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.backups.currentItem() is not None
    qtbot.keyClicks(dialog.username, "zhangli")
    qtbot.keyClicks(dialog.password, "wrong-pass1")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.message.text() and integrity_check(data_dir / "mibdesk.sqlite") != "ok"
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, HEAD_PASSWORD)
    ok.click()
    assert dialog.result() == RestoreDialog.DialogCode.Accepted
    assert integrity_check(data_dir / "mibdesk.sqlite") == "ok"
    assert dialog.moved_to is not None and dialog.moved_to.read_bytes() == b"damaged" * 300


def test_qt_dialog_buttons_speak_chinese_and_english_can_be_chosen(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_language(app, "zh_CN")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert _("Settings") == "设置"
    apply_language(app, "en")
    try:
        english = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(english)
        assert english.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
        assert _("Settings") == "Settings"
    finally:
        apply_language(app, "zh_CN")
