"""Settings: values saved through the service, bad values refused, backups, calendar import."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from mibdesk.core.services import backup
from mibdesk.core.services.settings import load_settings
from mibdesk.ui.context import UiContext
from mibdesk.ui.settings.view import SettingsScreen

CALENDAR_2027 = {
    "year": 2027,
    "source": "测试用 2027 年日历（虚构数据）",
    "holidays": [{"date": "2027-01-01", "name": "元旦"}, {"date": "2027-02-08", "name": "春节"}],
    "workdays": [{"date": "2027-02-06", "name": "春节调休上班"}],
}


def _screen(qtbot: QtBot, ctx: UiContext) -> SettingsScreen:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    ctx.hub.changed.connect(screen.on_changes)
    return screen


def test_saving_settings_writes_them(qtbot: QtBot, ui_context: UiContext, tmp_path: Path) -> None:
    screen = _screen(qtbot, ui_context)
    screen.idle_minutes.setValue(25)
    screen.drop_folder.setText(str(tmp_path / "drop"))
    screen.save_button.click()
    values = load_settings(ui_context.store)
    assert values["idle_lock_minutes"] == 25 and values["drop_folder"] == str(tmp_path / "drop")


def test_back_up_now_lists_the_new_backup(qtbot: QtBot, ui_context: UiContext) -> None:
    screen = _screen(qtbot, ui_context)
    assert screen.backup_list.count() == 0
    screen.backup_now()
    qtbot.waitUntil(lambda: screen.backup_list.count() == 1, timeout=5000)
    assert backup.list_backups(ui_context.store.paths.backups)[0].kind == "manual"


def test_importing_a_calendar_file_adds_the_year(
    qtbot: QtBot, ui_context: UiContext, tmp_path: Path
) -> None:
    screen = _screen(qtbot, ui_context)
    path = tmp_path / "calendar-2027.json"
    path.write_text(json.dumps(CALENDAR_2027, ensure_ascii=False), encoding="utf-8")
    screen.import_calendar_file(path)
    years = [
        screen.calendar_table.item(r, 0).text()  # type: ignore[union-attr]
        for r in range(screen.calendar_table.rowCount())
    ]
    assert "2027" in years


def test_adding_a_township_lists_it(qtbot: QtBot, ui_context: UiContext) -> None:
    screen = _screen(qtbot, ui_context)
    box = screen.townships
    qtbot.keyClicks(box.code, "330699001")
    box.name.insert("青溪街道")
    box.save_button.click()
    assert box.table.rowCount() == 1
    assert box.table.item(0, 1).text() == "青溪街道"  # type: ignore[union-attr]
    box.code.setText("320506001")
    box.save_button.click()
    assert box.table.rowCount() == 1 and box.message.text()
