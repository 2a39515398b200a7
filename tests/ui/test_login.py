"""The login dialog: typing into real fields, wrong passwords, lockout, the idle unlock."""

from __future__ import annotations

from helpers import HEAD_PASSWORD, PREPARER_PASSWORD
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mibdesk.core.security.roles import Actor
from mibdesk.core.services.store import Store
from mibdesk.ui.login.dialog import LoginDialog


def _dialog(qtbot: QtBot, store: Store, **kwargs: object) -> LoginDialog:
    dialog = LoginDialog(store, "青溪县医疗保障事务中心", **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_typing_the_right_password_logs_in(qtbot: QtBot, office: Store) -> None:
    dialog = _dialog(qtbot, office)
    qtbot.keyClicks(dialog.username, "zhangli")
    qtbot.keyClicks(dialog.password, HEAD_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "zhangli"


def test_a_wrong_password_shows_a_message_and_clears_the_field(qtbot: QtBot, office: Store) -> None:
    dialog = _dialog(qtbot, office)
    qtbot.keyClicks(dialog.username, "zhangli")
    qtbot.keyClicks(dialog.password, "nope12345")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is None and dialog.message.text() and dialog.password.text() == ""
    assert dialog.isVisible()


def test_five_wrong_passwords_lock_the_account_in_the_dialog(qtbot: QtBot, office: Store) -> None:
    dialog = _dialog(qtbot, office)
    qtbot.keyClicks(dialog.username, "wangfang")
    for _attempt in range(5):
        qtbot.keyClicks(dialog.password, "nope12345")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    locked_message = dialog.message.text()
    qtbot.keyClicks(dialog.password, PREPARER_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is None and "15" in locked_message


def test_only_the_locked_user_can_unlock(qtbot: QtBot, office: Store, head: Actor) -> None:
    dialog = _dialog(qtbot, office, locked_for=head)
    assert dialog.username.isReadOnly() and dialog.username.text() == "zhangli"
    qtbot.keyClicks(dialog.password, HEAD_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
