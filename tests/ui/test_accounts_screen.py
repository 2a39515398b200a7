"""The accounts screen: a head adds, locks, unlocks, disables accounts through real widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fixtures_office import (
    PREPARER_PASSWORD,
    click,
    column_texts,
    connect_screens,
    office_context,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mibdesk.core.errors import AuthError
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Role
from mibdesk.core.services import accounts, audit_log
from mibdesk.core.services.clock import Clock
from mibdesk.core.services.settings import load_settings
from mibdesk.ui.accounts.dialogs import (
    AddUserDialog,
    FormDialog,
    LockDialog,
    PasswordDialog,
    RoleDialog,
)
from mibdesk.ui.accounts.view import AccountsScreen
from mibdesk.ui.audit.view import AuditScreen
from mibdesk.ui.context import UiContext

USERNAME, STATE = 0, 4


@pytest.fixture
def ctx(qtbot: QtBot, data_dir: Path, clock: Clock) -> Iterator[UiContext]:
    with office_context(data_dir, clock) as ctx:
        yield ctx


@pytest.fixture
def screen(qtbot: QtBot, ctx: UiContext) -> AccountsScreen:
    screen = AccountsScreen(ctx)
    qtbot.addWidget(screen)
    connect_screens(ctx, screen)
    return screen


def answer_dialog(handle: Callable[[FormDialog], None]) -> None:
    """Let `handle` fill in the next modal dialog; whatever happens, it does not stay open."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FormDialog)
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)


def fill_new_user(
    dialog: AddUserDialog, username: str, password: str = "Lisi2026pw", repeat: str = ""
) -> None:
    dialog.username.setText(username)
    dialog.display_name.setText("李四")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.REVIEWER))
    dialog.password.setText(password)
    dialog.repeat.setText(repeat or password)


def state_of(screen: AccountsScreen, username: str) -> str:
    return column_texts(screen.grid, STATE)[column_texts(screen.grid, USERNAME).index(username)]


def user(ctx: UiContext, username: str) -> accounts.UserInfo:
    return next(u for u in accounts.list_users(ctx.store) if u.username == username)


def test_grid_lists_the_accounts(screen: AccountsScreen) -> None:
    assert column_texts(screen.grid, USERNAME) == ["zhangli", "wangfang"]
    assert screen.add_button.isEnabled()
    assert not screen.lock_button.isEnabled()  # nothing selected yet


def test_added_account_appears_in_grid_and_audit_log(
    qtbot: QtBot, ctx: UiContext, screen: AccountsScreen
) -> None:
    audit = AuditScreen(ctx)
    qtbot.addWidget(audit)
    audit.show()
    connect_screens(ctx, audit)
    seen: dict[str, str] = {}

    def add(dialog: FormDialog) -> None:
        assert isinstance(dialog, AddUserDialog)
        fill_new_user(dialog, "lisi")
        click(dialog.ok_button)
        seen["error"] = dialog.error.text()

    answer_dialog(add)
    click(screen.add_button)

    assert seen["error"] == ""
    assert column_texts(screen.grid, USERNAME) == ["zhangli", "wangfang", "lisi"]
    selected = screen.selected_user()
    assert selected is not None and selected.username == "lisi"
    assert selected.role == Role.REVIEWER
    newest = audit.controller.records[0]
    assert (newest.actor, newest.action, newest.entity_key) == ("zhangli", "user.add", "lisi")
    assert "lisi" in column_texts(audit.grid, 5)
    assert "lisi" in [audit.actor.itemText(i) for i in range(audit.actor.count())]


@pytest.mark.parametrize(
    ("username", "password", "repeat"),
    [
        ("Li Si", "Lisi2026pw", ""),  # not a valid username
        ("wangfang", "Lisi2026pw", ""),  # taken
        ("lisi", "short1", ""),  # password too short
        ("lisi", "Lisi2026pw", "Lisi2026px"),  # repeated differently
    ],
)
def test_refused_account_shows_error_and_adds_nothing(
    qtbot: QtBot, ctx: UiContext, screen: AccountsScreen, username: str, password: str, repeat: str
) -> None:
    entries_before = len(audit_log.entries(ctx.store, AuditFilter()))
    dialog = AddUserDialog(screen.controller, screen)
    qtbot.addWidget(dialog)
    fill_new_user(dialog, username, password, repeat)

    click(dialog.ok_button)

    assert dialog.error.text()
    assert dialog.result() != AddUserDialog.DialogCode.Accepted
    assert [u.username for u in accounts.list_users(ctx.store)] == ["zhangli", "wangfang"]
    assert column_texts(screen.grid, USERNAME) == ["zhangli", "wangfang"]
    assert len(audit_log.entries(ctx.store, AuditFilter())) == entries_before


def test_lock_then_unlock_changes_state(
    qtbot: QtBot, ctx: UiContext, screen: AccountsScreen
) -> None:
    active = state_of(screen, "wangfang")
    screen.select("wangfang")
    assert screen.lock_button.isEnabled() and not screen.unlock_button.isEnabled()

    def lock(dialog: FormDialog) -> None:
        assert isinstance(dialog, LockDialog)
        dialog.reason.setText("调离本中心")
        click(dialog.ok_button)

    answer_dialog(lock)
    click(screen.lock_button)

    assert user(ctx, "wangfang").locked
    assert state_of(screen, "wangfang") != active
    assert not screen.lock_button.isEnabled() and screen.unlock_button.isEnabled()
    with pytest.raises(AuthError):
        accounts.login(ctx.store, "wangfang", PREPARER_PASSWORD)
    entry = audit_log.entries(ctx.store, AuditFilter(action="user.lock"))[0]
    assert entry.reason == "调离本中心"

    click(screen.unlock_button)

    assert not user(ctx, "wangfang").locked
    assert state_of(screen, "wangfang") == active
    assert screen.lock_button.isEnabled() and not screen.unlock_button.isEnabled()
    assert screen.message.text() == ""


def test_lock_needs_a_reason(qtbot: QtBot, ctx: UiContext, screen: AccountsScreen) -> None:
    dialog = LockDialog(screen.controller, user(ctx, "wangfang"), screen)
    qtbot.addWidget(dialog)
    click(dialog.ok_button)
    assert dialog.error.text()
    assert not user(ctx, "wangfang").locked


def test_last_head_cannot_be_locked(qtbot: QtBot, ctx: UiContext, screen: AccountsScreen) -> None:
    screen.select("zhangli")
    seen: dict[str, object] = {}

    def lock(dialog: FormDialog) -> None:
        assert isinstance(dialog, LockDialog)
        dialog.reason.setText("测试")
        click(dialog.ok_button)
        seen["error"], seen["open"] = dialog.error.text(), dialog.isVisible()

    answer_dialog(lock)
    click(screen.lock_button)

    assert seen["error"] and seen["open"]  # refused inside the dialog, which stayed open
    assert not user(ctx, "zhangli").locked
    assert audit_log.entries(ctx.store, AuditFilter(action="user.lock")) == []
    assert screen.lock_button.isEnabled()


def test_last_head_cannot_be_disabled(ctx: UiContext, qtbot: QtBot, screen: AccountsScreen) -> None:
    screen.select("zhangli")
    click(screen.active_button)
    assert screen.message.text()
    assert user(ctx, "zhangli").active


def test_disable_and_enable(ctx: UiContext, qtbot: QtBot, screen: AccountsScreen) -> None:
    screen.select("wangfang")
    disable_text = screen.active_button.text()
    click(screen.active_button)
    assert not user(ctx, "wangfang").active
    assert screen.active_button.text() != disable_text
    click(screen.active_button)
    assert user(ctx, "wangfang").active
    assert screen.active_button.text() == disable_text


def test_change_role_and_reset_password(
    qtbot: QtBot, ctx: UiContext, screen: AccountsScreen
) -> None:
    screen.select("wangfang")

    def promote(dialog: FormDialog) -> None:
        assert isinstance(dialog, RoleDialog)
        dialog.role.setCurrentIndex(dialog.role.findData(Role.REVIEWER))
        click(dialog.ok_button)

    answer_dialog(promote)
    click(screen.role_button)
    assert user(ctx, "wangfang").role == Role.REVIEWER

    def reset(dialog: FormDialog) -> None:
        assert isinstance(dialog, PasswordDialog)
        dialog.password.setText("Neww2026pw")
        dialog.repeat.setText("Neww2026pw")
        click(dialog.ok_button)

    answer_dialog(reset)
    click(screen.password_button)
    assert accounts.login(ctx.store, "wangfang", "Neww2026pw").value.role == Role.REVIEWER


def test_double_click_opens_the_role_dialog(qtbot: QtBot, screen: AccountsScreen) -> None:
    screen.resize(1000, 600)
    screen.show()
    qtbot.waitExposed(screen)
    opened: list[str] = []
    answer_dialog(lambda dialog: opened.append(type(dialog).__name__))
    where = screen.grid.visualRect(screen.grid.model().index(1, 0)).center()
    # an item view takes a double click only after the press that starts it
    QTest.mouseClick(screen.grid.viewport(), Qt.MouseButton.LeftButton, pos=where)
    QTest.mouseDClick(screen.grid.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert opened == ["RoleDialog"]


def test_lockout_after_wrong_passwords_shows_and_unlocks(
    qtbot: QtBot, ctx: UiContext, screen: AccountsScreen
) -> None:
    active = state_of(screen, "wangfang")
    for _attempt in range(int(load_settings(ctx.store)["lockout_attempts"])):
        with pytest.raises(AuthError):
            accounts.login(ctx.store, "wangfang", "wrong-password-1")
    screen.refresh()
    screen.select("wangfang")
    assert state_of(screen, "wangfang") != active
    assert screen.unlock_button.isEnabled()

    click(screen.unlock_button)
    assert accounts.login(ctx.store, "wangfang", PREPARER_PASSWORD).value.username == "wangfang"


def test_actions_disabled_without_admin_permission(
    qtbot: QtBot, data_dir: Path, clock: Clock
) -> None:
    with office_context(data_dir, clock, "wangfang", PREPARER_PASSWORD) as ctx:
        screen = AccountsScreen(ctx)
        qtbot.addWidget(screen)
        screen.select("zhangli")
        assert screen.selected_user() is not None
        buttons = (
            screen.add_button,
            screen.lock_button,
            screen.unlock_button,
            screen.active_button,
            screen.role_button,
            screen.password_button,
        )
        assert not any(button.isEnabled() for button in buttons)
