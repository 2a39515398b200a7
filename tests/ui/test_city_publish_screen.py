"""The city's publish screen (发布) on a real city office with two registered counties:
next year's calendar marked by hand or imported from the notice's CSV and published (the
packages reach the drop and the counties); a bad profile file refused with a Chinese
message, a good one compared and published; a county's key revoked and the trust list sent."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers import DEMO_NOW, FakeClock
from openpyxl import Workbook
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import SOUTH, World, build_template, open_world

from mibdesk.core.services.calendar import calendar_year
from mibdesk.core.services.city.publishing import last_published
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.setup import office_info
from mibdesk.ui.city import calendar_panel, publish_view
from mibdesk.ui.city.calendar_panel import MonthTable
from mibdesk.ui.city.publish_view import PublishScreen
from mibdesk.ui.context import UiContext
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner

NOTICE = "国务院办公厅关于2027年部分节假日安排的通知"
CSV = (
    f"来源,{NOTICE}\n日期,类型,名称\n"
    "2027-01-01,休,元旦\n2027-02-08,休,春节\n2027-02-14,班,春节调休上班\n"
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city-publish") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    yield opened
    opened.close()


@pytest.fixture
def ctx(world: World, qtbot: QtBot) -> Iterator[UiContext]:
    store = world.city.store
    tasks = TaskRunner()
    yield UiContext(store, office_info(store), world.profile, world.city.head, ChangeHub(), tasks)
    tasks.shutdown()


@pytest.fixture
def screen(ctx: UiContext, qtbot: QtBot) -> PublishScreen:
    widget = PublishScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    ctx.hub.changed.connect(widget.on_changes)
    return widget


def _select(table: MonthTable, *days: date) -> None:
    for day in days:
        index = table.indexFromItem(table.cell_of(day))
        table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.Select)


def test_next_year_marked_by_hand_saved_and_published(
    qtbot: QtBot, ctx: UiContext, world: World, screen: PublishScreen
) -> None:
    panel = screen.calendar
    assert panel.year.value() == 2027
    assert "还没有" in panel.status.text() or "没有" in panel.status.text()
    october = panel.months[9]
    _select(october, date(2027, 10, 1), date(2027, 10, 4))
    qtbot.mouseClick(panel.holiday_button, Qt.MouseButton.LeftButton)
    assert october.cell_of(date(2027, 10, 1)).toolTip() == "节假日"
    _select(panel.months[8], date(2027, 9, 27))  # a Monday cannot be a moved workday
    qtbot.mouseClick(panel.workday_button, Qt.MouseButton.LeftButton)
    assert "星期六或星期日" in screen.message.text()
    panel.months[8].clearSelection()
    _select(panel.months[8], date(2027, 9, 26))
    qtbot.mouseClick(panel.workday_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)  # no source yet
    assert "来源" in screen.message.text() and calendar_year(ctx.store, 2027) is None
    panel.source.setText(NOTICE)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    saved = calendar_year(ctx.store, 2027)
    assert saved is not None and saved.holidays == {date(2027, 10, 1), date(2027, 10, 4)}
    assert saved.workdays == {date(2027, 9, 26)} and "已保存" in screen.message.text()
    assert "尚未发布" in panel.published.text()
    qtbot.mouseClick(panel.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    assert "2" in screen.message.text() and "尚未发布" not in panel.published.text()
    assert len(list(world.drop.glob("mibdesk_330600_to_330602_*.mibpkg"))) == 1
    sync(world.south.store)
    received = calendar_year(world.south.store, 2027)
    assert received is not None and received.source == NOTICE


def test_a_notice_workbook_is_imported_and_published_a_bad_csv_refused(
    qtbot: QtBot,
    ctx: UiContext,
    world: World,
    screen: PublishScreen,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = screen.calendar
    bad = tmp_path / "2027坏.csv"
    bad.write_text(CSV.replace("2027-02-14,班", "2027-02-15,班"), encoding="utf-8")
    good = tmp_path / "2027.xlsx"  # typed in Excel/WPS, laid out as the CSV file
    book = Workbook()
    for line in CSV.strip().splitlines():
        cells: list[object] = line.split(",")
        if cells[0].startswith("2027-"):
            cells[0] = date.fromisoformat(str(cells[0]))  # a date cell
        book.active.append(cells)
    book.save(good)
    chosen = [str(bad)]
    monkeypatch.setattr(calendar_panel.QFileDialog, "getOpenFileName", lambda *a: (chosen[0], ""))
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert "2027坏.csv 第 5 行" in screen.message.text()
    assert not panel.controller.draft.dirty and panel.controller.draft.data.holidays == set()
    chosen[0] = str(good)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert panel.source.text() == NOTICE
    assert panel.months[1].cell_of(date(2027, 2, 14)).toolTip() == "调休上班日"
    screen.grab().save("/tmp/notes/D-publish-calendar.png")
    qtbot.mouseClick(panel.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    published = last_published(ctx.store, "calendar", year=2027)
    assert published is not None and published.counties == 2 and published.delivered == 2
    stored = calendar_year(ctx.store, 2027)
    assert stored is not None and date(2027, 2, 8) in stored.holidays


def test_a_profile_file_is_checked_compared_and_published(
    qtbot: QtBot,
    ctx: UiContext,
    world: World,
    screen: PublishScreen,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen.tabs.setCurrentIndex(1)
    labels = [screen.parameters.item(r, 0).text() for r in range(screen.parameters.rowCount())]
    assert "余额划转" in labels and "方案版本" in labels
    bad = tmp_path / "坏方案.json"
    bad.write_text('{"id": "shaoxing", ', encoding="utf-8")
    document = office_profile(ctx.store).model_dump(mode="json")
    document["version"] = 2
    document["risk"]["reserve_months_amber"]["value"] = "5"
    good = tmp_path / "shaoxing-v2.json"
    good.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    chosen = [str(bad)]
    monkeypatch.setattr(publish_view.QFileDialog, "getOpenFileName", lambda *a: (chosen[0], ""))
    qtbot.mouseClick(screen.load_button, Qt.MouseButton.LeftButton)
    assert "坏方案.json" in screen.message.text() and "JSON" in screen.message.text()
    assert screen.diff.rowCount() == 0 and not screen.publish_profile_button.isEnabled()
    chosen[0] = str(good)
    qtbot.mouseClick(screen.load_button, Qt.MouseButton.LeftButton)
    rows = [
        tuple(screen.diff.item(r, c).text() for c in range(4))
        for r in range(screen.diff.rowCount())
    ]
    assert rows == [
        ("方案版本", "version", "1", "2"),
        ("风险指标", "risk.reserve_months_amber.value", "6", "5"),
    ]
    screen.grab().save("/tmp/notes/D-publish-profile.png")
    qtbot.mouseClick(screen.publish_profile_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    assert "第 2 版" in screen.message.text() or "2" in screen.message.text()
    assert office_profile(ctx.store).version == 2 and screen.diff.rowCount() == 0
    assert "尚未发布" not in screen.profile_published.text()
    sync(world.north.store)
    assert office_profile(world.north.store).version == 2


def test_a_key_is_revoked_and_the_trust_list_published(
    qtbot: QtBot, ctx: UiContext, world: World, screen: PublishScreen
) -> None:
    screen.tabs.setCurrentIndex(2)
    table = screen.trust
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["330602", SOUTH]
    assert table.item(1, 3).text() == "已登记"
    qtbot.mouseClick(screen.revoke_button, Qt.MouseButton.LeftButton)  # nothing selected
    assert "选择" in screen.message.text()
    table.selectRow(1)
    dialog = screen.revoke()
    assert isinstance(dialog, ReasonDialog) and dialog.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # a revocation needs its reason
    dialog.reason.setPlainText("县区电脑更换")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert table.item(1, 3).text() == "已吊销"
    screen.grab().save("/tmp/notes/D-publish-trust.png")
    qtbot.mouseClick(screen.publish_trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    published = last_published(ctx.store, "trust_list")
    assert published is not None and published.counties == 1
    assert "尚未发布" not in screen.trust_published.text()
    qtbot.mouseClick(screen.register_button, Qt.MouseButton.LeftButton)
    assert "数据交换" in screen.message.text() or "密钥" in screen.message.text()
