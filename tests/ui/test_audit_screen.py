"""The audit screen: filters narrow the list, details show the values, the chain check speaks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures_office import click, column_texts, connect_screens, office_context, row_count
from PySide6.QtCore import QDate
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Role
from mibdesk.core.services import accounts, audit_log
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.audit_labels import action_label
from mibdesk.core.services.clock import Clock
from mibdesk.ui.accounts.listing import ERROR_COLOR, OK_COLOR
from mibdesk.ui.audit.view import AuditScreen
from mibdesk.ui.context import UiContext

NUMBER, ACTOR, ACTION = 0, 2, 3


@pytest.fixture
def ctx(qtbot: QtBot, data_dir: Path, clock: Clock) -> Iterator[UiContext]:
    with office_context(data_dir, clock) as ctx:
        accounts.lock_user(ctx.store, ctx.actor, "wangfang", "休假")
        accounts.unlock_user(ctx.store, ctx.actor, "wangfang")
        yield ctx


@pytest.fixture
def screen(qtbot: QtBot, ctx: UiContext) -> Iterator[AuditScreen]:
    screen = AuditScreen(ctx)
    qtbot.addWidget(screen)
    connect_screens(ctx, screen)
    screen.resize(1366, 768)
    screen.show()
    yield screen
    ctx.tasks.wait_idle()


def rows(screen: AuditScreen) -> int:
    return row_count(screen.grid)


def verify(qtbot: QtBot, screen: AuditScreen) -> None:
    click(screen.verify_button)
    assert not screen.verify_button.isEnabled()
    qtbot.waitUntil(screen.verify_button.isEnabled, timeout=5000)


def test_lists_every_entry_newest_first(ctx: UiContext, screen: AuditScreen) -> None:
    every = audit_log.entries(ctx.store, AuditFilter())
    assert rows(screen) == len(every) >= 6
    numbers = [int(n) for n in column_texts(screen.grid, NUMBER)]
    assert numbers == sorted(numbers, reverse=True)
    assert screen.selected_entry() is None


def test_filter_by_actor_narrows_the_rows(qtbot: QtBot, screen: AuditScreen) -> None:
    everyone = rows(screen)
    assert {"system", "zhangli"} <= set(column_texts(screen.grid, ACTOR))

    screen.actor.setCurrentIndex(screen.actor.findText("zhangli"))
    qtbot.waitUntil(lambda: rows(screen) < everyone)

    assert set(column_texts(screen.grid, ACTOR)) == {"zhangli"}
    assert rows(screen) == 3  # login, lock, unlock

    screen.clear_filter()
    qtbot.waitUntil(lambda: rows(screen) == everyone)


def test_typed_actor_and_action_filter(qtbot: QtBot, screen: AuditScreen) -> None:
    everyone = rows(screen)
    QTest.keyClicks(screen.actor, "system")
    qtbot.waitUntil(lambda: set(column_texts(screen.grid, ACTOR)) == {"system"})
    system_rows = rows(screen)

    screen.action.setCurrentIndex(screen.action.findData("user.add"))
    qtbot.waitUntil(lambda: rows(screen) < system_rows)
    assert set(column_texts(screen.grid, ACTION)) == {action_label("user.add")}
    assert rows(screen) == 2 < everyone


def test_text_and_date_filters(qtbot: QtBot, ctx: UiContext, screen: AuditScreen) -> None:
    everyone = rows(screen)
    screen.text.setText("休假")  # as an input method commits it (keyClicks is ASCII only)
    qtbot.waitUntil(lambda: rows(screen) == 1)
    assert column_texts(screen.grid, ACTION) == [action_label("user.lock")]
    screen.text.clear()
    qtbot.waitUntil(lambda: rows(screen) == everyone)

    tomorrow = QDate(2026, 11, 24)
    screen.date_from.date.setDate(tomorrow)
    screen.date_from.check.setChecked(True)
    qtbot.waitUntil(lambda: rows(screen) == 0)
    screen.date_from.check.setChecked(False)
    screen.date_to.date.setDate(tomorrow)
    screen.date_to.check.setChecked(True)
    qtbot.waitUntil(lambda: rows(screen) == everyone)


def test_details_show_before_and_after(screen: AuditScreen) -> None:
    row = column_texts(screen.grid, ACTION).index(action_label("user.lock"))
    screen.grid.go_to(row, 0)

    entry = screen.selected_entry()
    assert entry is not None and entry.action == "user.lock"
    before = json.loads(screen.before.toPlainText())
    after = json.loads(screen.after.toPlainText())
    assert (before["locked_by_head"], after["locked_by_head"]) == (False, True)
    assert "\n" in screen.after.toPlainText()  # pretty-printed, one key a line
    assert "休假" in screen.summary.text()


def test_new_entries_appear_on_audit_changes(
    qtbot: QtBot, ctx: UiContext, screen: AuditScreen
) -> None:
    shown = rows(screen)
    outcome = accounts.add_user(
        ctx.store, ctx.actor, NewUser("lisi", "李四", Role.REVIEWER, "Lisi2026pw")
    )
    assert rows(screen) == shown  # nothing published yet
    ctx.hub.publish(outcome.changes)
    assert rows(screen) == shown + 1
    assert "lisi" in [screen.actor.itemText(i) for i in range(screen.actor.count())]


def test_hidden_screen_refreshes_when_shown(qtbot: QtBot, ctx: UiContext) -> None:
    screen = AuditScreen(ctx)
    qtbot.addWidget(screen)
    connect_screens(ctx, screen)
    shown = rows(screen)
    ctx.hub.publish(accounts.set_active(ctx.store, ctx.actor, "wangfang", False).changes)
    assert rows(screen) == shown  # not visible: the reload waits

    screen.show()
    assert rows(screen) == shown + 1


def test_verify_reports_an_intact_chain(qtbot: QtBot, ctx: UiContext, screen: AuditScreen) -> None:
    verify(qtbot, screen)

    count = len(audit_log.entries(ctx.store, AuditFilter()))
    assert str(count) in screen.verdict.text()
    assert OK_COLOR in screen.verdict.styleSheet()


def test_verify_names_a_tampered_entry(qtbot: QtBot, ctx: UiContext, screen: AuditScreen) -> None:
    lock = audit_log.entries(ctx.store, AuditFilter(action="user.lock"))[0]
    with sqlite3.connect(ctx.store.paths.database) as db:
        db.execute("UPDATE audit_entry SET reason = ? WHERE id = ?", ("调岗", lock.id))
    db.close()

    verify(qtbot, screen)

    assert f"{lock.id}" in screen.verdict.text()
    assert ERROR_COLOR in screen.verdict.styleSheet()
    selected = screen.selected_entry()
    assert selected is not None and selected.id == lock.id  # the broken entry is shown,
    assert selected.reason == "调岗"  # as it now reads
