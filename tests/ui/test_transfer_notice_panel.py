"""A county sees its balance transfer notice (余额上划通知): the city issues the 2027 transfer
under its document number and sends the notices through a real drop folder; on the county's
quota execution screen the 余额上划 tab appears for that year and scheme only and shows the
retained balance, what is transferred (now and at maturity, Jining), what is kept, the
working, the version and what it replaces."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers import DEMO_NOW, FakeClock
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import NORTH, SOUTH, Office, World, build_template, open_world

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.services.city import transfer_issue
from mibdesk.core.services.city.transfers import TransferInputs
from mibdesk.core.services.exchange.sending_transfers import send_notices
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import office_info
from mibdesk.ui.context import UiContext
from mibdesk.ui.execution.view import TRANSFER_TAB, ExecutionScreen
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner

YEAR = 2027
YI = 10**10  # 1 亿元 in fen
WAN = 10**6  # 1 万元 in fen
DOC = "绍医保〔2027〕3号"
# Shaoxing (000 附件 §3.4): 3 months of 12 亿 = 3 亿, less the pooled fund's 0.5 亿 = 2.5 亿
# to transfer from 10 亿 retained: 25 % of each county's balance.
SHAOXING = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, None)})


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("transfer-panel") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    yield opened
    opened.close()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def _screen(world: World, county: Office, qtbot: QtBot, tasks: TaskRunner) -> ExecutionScreen:
    store = county.store
    hub = ChangeHub()
    ctx = UiContext(store, office_info(store), world.profile, county.head, hub, tasks)
    screen = ExecutionScreen(ctx)
    qtbot.addWidget(screen)
    hub.changed.connect(screen.on_changes)
    screen.resize(1200, 760)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _issue_and_send(
    world: World, profile: Profile, inputs: TransferInputs, doc: str, **kwargs: object
) -> None:
    city = world.city
    transfer_issue.issue(
        city.store,
        city.head,
        profile,
        YEAR,
        "EMP",
        inputs,
        doc,
        date(2027, 1, 15),
        **kwargs,  # type: ignore[arg-type]
    )
    send_notices(city.store, city.head, profile, YEAR, "EMP")


def _receive(screen: ExecutionScreen, county: Office) -> None:
    """The county syncs its drop folder; the screen hears of it on the hub."""
    screen.controller._ctx.hub.publish(sync(county.store).changes)


def _cells(table: object, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[attr-defined]


def test_the_county_reads_its_transfer_and_its_correction(
    qtbot: QtBot, world: World, runner: TaskRunner
) -> None:
    screen = _screen(world, world.north, qtbot, runner)
    tabs = screen.tabs
    screen.choose("EMP", YEAR)
    assert not tabs.isTabVisible(TRANSFER_TAB)  # nothing from the city yet

    _issue_and_send(world, world.profile, SHAOXING, DOC)
    _receive(screen, world.north)
    assert tabs.isTabVisible(TRANSFER_TAB)
    assert tabs.tabText(TRANSFER_TAB) == "余额上划"
    tabs.setCurrentIndex(TRANSFER_TAB)
    panel = screen.transfer

    heading = panel.heading.text()
    assert "职工基本医疗保险" in heading and "2027" in heading
    assert "绍兴市医疗保障事务中心（330600）" in heading
    assert DOC in heading and "2027-01-15" in heading
    # 北城区: 25 % of 6 亿 = 1.5 亿 transferred, 4.5 亿 kept; nothing waits for maturity
    assert _cells(panel.amounts, 0) == ["县区基金累计结余", "上划市级", "县区继续暂存"]
    assert _cells(panel.amounts, 1) == ["600,000,000.00", "150,000,000.00", "450,000,000.00"]
    assert panel.amounts.item(1, 1).font().bold() and not panel.amounts.item(0, 1).font().bold()
    assert "250,000,000.00" in panel.detail.text()  # the city's total
    labels, amounts = _cells(panel.working, 0), _cells(panel.working, 1)
    assert any("25.0000%" in label for label in labels)  # the city's share, then the county
    assert amounts[-2:] == ["150,000,000.00", "450,000,000.00"]
    assert all(s.startswith("000 附件 §3.4") for s in _cells(panel.working, 3)[-2:])
    assert panel.source.text() == "市局余额上划第 1 版。"
    screen.grab().save("/tmp/notes/J-county-transfer.png")

    screen.choose("RES", YEAR)  # another scheme: no notice, no tab
    assert not tabs.isTabVisible(TRANSFER_TAB)
    screen.choose("EMP", YEAR - 1)  # another year: no tab either
    assert not tabs.isTabVisible(TRANSFER_TAB)

    # the city corrects the balances: version 2 replaces version 1 (北城区 now 6 亿 of 15 亿
    # retained: 2.5 亿 ÷ 15 亿 = 16.6667 %, 1 亿 from 北城区)
    corrected = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (9 * YI, None)})
    _issue_and_send(world, world.profile, corrected, DOC, replaces=1, reason="南湖县累计结余更正")
    screen.choose("EMP", YEAR)
    _receive(screen, world.north)
    assert _cells(panel.amounts, 1) == ["600,000,000.00", "100,000,000.00", "500,000,000.00"]
    assert "南湖县累计结余更正" in panel.detail.text()
    assert panel.source.text() == "市局余额上划第 2 版。 本通知取代本年度此前收到的 1 份通知。"


def test_jining_shows_what_follows_at_maturity_and_what_stays_frozen(
    qtbot: QtBot, world: World, runner: TaskRunner
) -> None:
    # Jining (004 §4.5): 30 % of 南湖县's 2 亿 = 6,000 万; its demand deposits hold 1,000 万,
    # so 1,000 万 moves now and 5,000 万 when time deposits mature; 1.4 亿 stays, frozen.
    inputs = TransferInputs(balances={NORTH: (YI, None), SOUTH: (2 * YI, 1_000 * WAN)})
    screen = _screen(world, world.south, qtbot, runner)
    screen.choose("EMP", YEAR)
    _issue_and_send(world, load_profile("jining"), inputs, "济医保〔2027〕1号")
    _receive(screen, world.south)
    tabs, panel = screen.tabs, screen.transfer
    assert tabs.isTabVisible(TRANSFER_TAB)
    tabs.setCurrentIndex(TRANSFER_TAB)
    assert _cells(panel.amounts, 0) == [
        "县区基金累计结余",
        "上划市级",
        "其中：活期存款当即上划",
        "其中：定期存款到期后补足",
        "暂存县区财政专户",
    ]
    assert _cells(panel.amounts, 1) == [
        "200,000,000.00",
        "60,000,000.00",
        "10,000,000.00",
        "50,000,000.00",
        "140,000,000.00",
    ]
    assert "待定期存款到期后补足" in _cells(panel.working, 0)
    assert all(s.startswith("004 §4.5") for s in _cells(panel.working, 3))
    screen.grab().save("/tmp/notes/J-county-transfer-jining.png")
