"""The main window: sidebar, screens by role, status bar, idle lock, backup on close."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import backup
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.main_window import MainWindow
from mibdesk.ui.tasks import TaskRunner


def _window(qtbot: QtBot, store: Store, actor: Actor) -> MainWindow:
    info = office_info(store)
    ctx = UiContext(store, info, load_profile(info.profile_id), actor, ChangeHub(), TaskRunner())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_head_sees_every_screen_and_a_preparer_no_accounts(
    qtbot: QtBot, office: Store, head: Actor, preparer: Actor
) -> None:
    assert _window(qtbot, office, head).screen_keys() == [
        "workbench",
        "figures",
        "plans",
        "execution",
        "exchange",
        "accounts",
        "audit",
        "settings",
        "about",
    ]
    assert "accounts" not in _window(qtbot, office, preparer).screen_keys()


def test_clicking_the_sidebar_shows_each_screen(qtbot: QtBot, office: Store, head: Actor) -> None:
    window = _window(qtbot, office, head)
    for row, key in enumerate(window.screen_keys()):
        window.sidebar.setCurrentRow(row)
        assert window.stack.currentWidget() is window.screen_widget(key)


def test_status_bar_names_office_user_period_and_backup(
    qtbot: QtBot, office: Store, head: Actor
) -> None:
    window = _window(qtbot, office, head)
    texts = {k: label.text() for k, label in window._status_labels.items()}
    assert "330699" in texts["office"] and "张丽" in texts["user"]
    assert "2026年11月" in texts["period"]
    backup.create_backup(office)
    window.ctx.hub.publish(Changes.of(Area.BACKUPS))
    assert "2026-11-23 09:30" in window._status_labels["backup"].text()


def test_idle_lock_hides_the_data_until_the_password(
    qtbot: QtBot, office: Store, head: Actor, monkeypatch: object
) -> None:
    window = _window(qtbot, office, head)
    shown: list[bool] = []

    def fake_exec(dialog: object) -> int:
        body = window.centralWidget()
        assert body is not None
        shown.append(body.isVisible())
        return 1  # accepted

    import mibdesk.ui.login.dialog as login_module

    monkeypatch.setattr(login_module.LoginDialog, "exec", fake_exec)  # type: ignore[attr-defined]
    window.idle.minutes = 0
    window.idle.check()
    assert shown == [False]  # the data was hidden while the lock dialog was up
    body = window.centralWidget()
    assert body is not None and body.isVisible()


def test_closing_the_window_takes_a_verified_backup(
    qtbot: QtBot, office: Store, head: Actor
) -> None:
    window = _window(qtbot, office, head)
    window.close()
    kinds = [b.kind for b in backup.list_backups(office.paths.backups)]
    assert kinds == ["close"]
