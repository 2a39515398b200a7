"""A county sees its settlement notice (清算通知): the city finalises 2025 and sends the
notices through a real drop folder; on the county's quota execution screen the 年度清算 tab
appears for 2025 (not for 2026) and shows, per scheme, who pays what and the working."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DEMO_NOW, FakeClock
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import World, build_template, open_world
from settlement_kit import TYPED, YEAR, send_year

from mibdesk.core.services.city.settlement import save
from mibdesk.core.services.city.settlement_run import finalise
from mibdesk.core.services.exchange.sending_settlement import send_notices
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import office_info
from mibdesk.ui.context import UiContext
from mibdesk.ui.execution.view import SETTLEMENT_TAB, ExecutionScreen
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("settlement-panel") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    send_year(opened)
    city = opened.city
    save(city.store, city.head, opened.profile, YEAR, TYPED)
    yield opened
    opened.close()


@pytest.fixture
def screen(world: World, qtbot: QtBot) -> Iterator[ExecutionScreen]:
    store = world.north.store
    tasks = TaskRunner()
    hub = ChangeHub()
    ctx = UiContext(store, office_info(store), world.profile, world.north.head, hub, tasks)
    screen = ExecutionScreen(ctx)
    qtbot.addWidget(screen)
    hub.changed.connect(screen.on_changes)
    screen.resize(1200, 760)
    screen.show()
    qtbot.waitExposed(screen)
    yield screen
    tasks.shutdown()


def _cells(table: object, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[attr-defined]


def test_the_county_reads_who_pays_what_and_the_working(
    qtbot: QtBot, world: World, screen: ExecutionScreen
) -> None:
    tabs = screen.tabs
    screen.choose("EMP", YEAR)
    assert not tabs.isTabVisible(SETTLEMENT_TAB)  # nothing from the city yet

    city = world.city
    finalise(city.store, city.head, world.profile, YEAR)
    send_notices(city.store, city.head, world.profile, YEAR)
    outcome = sync(world.north.store)  # the notice comes through the drop folder
    screen.controller._ctx.hub.publish(outcome.changes)
    assert tabs.isTabVisible(SETTLEMENT_TAB)
    assert tabs.tabText(SETTLEMENT_TAB) == "年终清算"
    tabs.setCurrentIndex(SETTLEMENT_TAB)
    panel = screen.settlement

    # 北城区 EMP: deficit 128,000 = caused 28,000 + balance 50,000 + pooled 25,000 + county
    # 25,000 (优秀, 50/50; 000 附件 §4.5.3)
    heading = panel.heading.text()
    assert "职工基本医疗保险" in heading and "2025" in heading
    assert "绍兴市医疗保障事务中心（330600）" in heading and "优秀" in heading
    assert _cells(panel.payers, 0) == [
        "基金收入",
        "基金支出",
        "当年缺口",
        "县区自身原因形成的缺口（县财政承担）",
        "动用县区基金累计结余",
        "市级统筹基金承担",
        "县财政分担",
        "县财政合计承担",
    ]
    assert _cells(panel.payers, 1) == [
        "1,212,000.00",
        "1,340,000.00",
        "128,000.00",
        "28,000.00",
        "50,000.00",
        "25,000.00",
        "25,000.00",
        "53,000.00",
    ]
    assert panel.payers.item(2, 1).font().bold() and not panel.payers.item(3, 1).font().bold()
    assert "50,000.00 → 0.00" in panel.balance.text()
    sources = _cells(panel.working, 3)
    assert "000 附件 §4.5.3" in sources and len(sources) == panel.working.rowCount() > 4
    cited = panel.working.item(sources.index("000 附件 §4.5.3"), 3).toolTip()
    assert cited.startswith("000：绍兴市关于全面做实基本医疗保险市级统筹的试点方案")
    assert "25,000.00" in _cells(panel.working, 1)
    assert "SHA-256" in panel.source.text() and "shaoxing" in panel.source.text()
    screen.grab().save("/tmp/notes/I-county-settlement-emp.png")

    # 北城区 RES: surplus 60,000, half into the city's pooled fund
    screen.choose("RES", YEAR)
    assert tabs.isTabVisible(SETTLEMENT_TAB) and "城乡居民基本医疗保险" in panel.heading.text()
    assert _cells(panel.payers, 0)[2:] == [
        "当年结余",
        "上解市级统筹基金",
        "县区留存",
        "县财政合计承担",
    ]
    assert _cells(panel.payers, 1)[2:] == ["60,000.00", "30,000.00", "30,000.00", "0.00"]
    screen.grab().save("/tmp/notes/I-county-settlement-res.png")

    screen.choose("RES", YEAR + 1)  # another year: no notice, no tab
    assert not tabs.isTabVisible(SETTLEMENT_TAB)
