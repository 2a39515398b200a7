"""A township office (乡镇医保站) on the monthly report screen: it sees and types only the lines
a township fills, sends them through a real drop folder to a real county, and the county's
own screen stays the full report with its township breakdown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_offices import COUNTY, TOWNSHIP, Office, make_office, register_all
from fixtures_office import click
from helpers import FakeClock
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.services import figures
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import OfficeLevel, office_info
from mibdesk.core.services.township_figures import township_breakdown
from mibdesk.core.tables.month_table import OWN, TOWNSHIPS, VALUE
from mibdesk.ui.context import UiContext
from mibdesk.ui.figures.view import TOWNSHIP_TAB, MonthlyReportScreen
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.main_window import MainWindow
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.widgets.grid import GridView

# Shaoxing's resident scheme as a township sees it: its seven lines and the three subtotals
# made only of them; 基金收入合计 and the rest need county-level lines, so they are not shown.
TOWNSHIP_ROWS = [
    "ENR_ADULT",
    "ENR_MINOR",
    "ENR_SELF_PAYING",
    "ENR_EXTREME_POOR",
    "ENR_LOW_INCOME",
    "ENR_VETERANS",
    "ENR_DISABLED",
    "ENR_ASSISTED",
    "ENR_TOTAL",
    "INC_PERSONAL",
]


@pytest.fixture
def offices(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Office, Office]]:
    drop = tmp_path / "drop"
    drop.mkdir()
    county = make_office(
        tmp_path, drop, clock, OfficeLevel.COUNTY, COUNTY, "青溪县医疗保障事务中心"
    )
    township = make_office(tmp_path, drop, clock, OfficeLevel.TOWNSHIP, TOWNSHIP, "青溪镇医保站")
    register_all(county, township)
    yield county, township
    county.store.close()
    township.store.close()


@pytest.fixture
def runners() -> Iterator[list[TaskRunner]]:
    made: list[TaskRunner] = []
    yield made
    for runner in made:
        runner.shutdown()


def context(office: Office, runners: list[TaskRunner]) -> UiContext:
    info = office_info(office.store)
    runners.append(TaskRunner())
    profile = load_profile(info.profile_id)
    return UiContext(office.store, info, profile, office.head, ChangeHub(), runners[-1])


def open_screen(qtbot: QtBot, ctx: UiContext) -> MonthlyReportScreen:
    screen = MonthlyReportScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def lines(screen: MonthlyReportScreen) -> list[str]:
    table = screen.controller.table
    return [table.row(r).line for r in range(table.row_count())]


def shown(screen: MonthlyReportScreen, line: str, col: int) -> str:
    row = screen.controller.table.row_of(line)
    assert row is not None
    return str(screen.grid.model().index(row, col).data())


def type_figure(qtbot: QtBot, screen: MonthlyReportScreen, line: str, text: str) -> None:
    """Select the entry cell of `line`, type `text` and press Enter, as a user would."""
    grid = screen.grid
    row = screen.controller.table.row_of(line)
    assert row is not None
    grid.setFocus()
    grid.go_to(row, OWN)
    qtbot.keyClicks(grid, text[0])
    [editor] = [e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    editing = GridView.State.EditingState
    qtbot.waitUntil(lambda: grid.state() != editing and not screen.controller.pending)


def test_a_township_sees_types_and_sends_only_its_own_lines(
    qtbot: QtBot, offices: tuple[Office, Office], runners: list[TaskRunner]
) -> None:
    county, township = offices
    ctx = context(township, runners)
    screen = open_screen(qtbot, ctx)
    combo = screen.scheme_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["RES"]  # no township lines
    assert lines(screen) == TOWNSHIP_ROWS
    assert not screen.tabs.isTabVisible(TOWNSHIP_TAB)
    assert screen.grid.isColumnHidden(TOWNSHIPS) and screen.grid.isColumnHidden(VALUE)
    header = screen.grid.model().headerData(OWN, Qt.Orientation.Horizontal)
    assert header == "本月数"
    total = screen.grid.model().index(TOWNSHIP_ROWS.index("ENR_TOTAL"), OWN)
    assert not total.flags() & Qt.ItemFlag.ItemIsEditable  # a total is added up, not typed
    assert total.data() == ""  # blank, not an editable zero

    type_figure(qtbot, screen, "ENR_ADULT", "1200")
    type_figure(qtbot, screen, "ENR_MINOR", "300")
    type_figure(qtbot, screen, "ENR_LOW_INCOME", "45")
    type_figure(qtbot, screen, "INC_PERSONAL", "450000")
    assert shown(screen, "ENR_SELF_PAYING", OWN) == "1,500"
    assert shown(screen, "ENR_TOTAL", OWN) == "1,545"
    assert shown(screen, "INC_PERSONAL", OWN) == "450,000.00"
    month = screen.controller.month
    assert {p.line for p in screen.controller.form.problems} <= set(TOWNSHIP_ROWS)

    workflow = (screen.prepare_button, screen.review_button, screen.approve_button)
    assert all(button.isHidden() for button in (*workflow, screen.send_back_button))
    assert screen.status_label.text() == "尚未报送县局"
    assert screen.send_button.text() == "报送县局" and screen.send_button.isEnabled()
    ctx.hub.changed.connect(screen.on_changes)
    click(screen.send_button)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    assert screen.message.text() == "数据包已放入交换文件夹，发往 330699。"
    assert screen.status_label.text().startswith("最近一次报送县局：")
    assert screen.status_label.text().endswith("已放入交换文件夹")
    sync(county.store)
    assert [(r.kind, r.status) for r in received(county.store)] == [("township_figures", "applied")]
    ctx.hub.publish(sync(township.store).changes)  # the county's acknowledgement comes back
    assert screen.status_label.text().endswith("对方已确认")
    screen.grab().save("/tmp/notes/K-township-sent.png")
    profile = load_profile("shaoxing")
    breakdown = township_breakdown(county.store, profile, "RES", month)
    assert {c.line: v for c, v in breakdown.cells.items() if c.unit == TOWNSHIP} == {
        "ENR_ADULT": 1200,
        "ENR_MINOR": 300,
        "ENR_LOW_INCOME": 45,
        "INC_PERSONAL": 45_000_000,
    }

    # the county's screen is the whole report, with the township's figures in its breakdown
    county_screen = open_screen(qtbot, context(county, runners))
    county_screen.scheme_combo.setCurrentIndex(county_screen.scheme_combo.findData("RES"))
    assert len(lines(county_screen)) == len(profile.scheme("RES").lines) == 30
    assert county_screen.tabs.isTabVisible(TOWNSHIP_TAB)
    assert not county_screen.grid.isColumnHidden(TOWNSHIPS)
    assert not county_screen.grid.isColumnHidden(VALUE)
    header = county_screen.grid.model().headerData(OWN, Qt.Orientation.Horizontal)
    assert header == "本级填报"
    assert shown(county_screen, "ENR_ADULT", TOWNSHIPS) == "1,200"
    assert shown(county_screen, "ENR_TOTAL", VALUE) == "1,545"
    assert shown(county_screen, "ENR_TOTAL", OWN) == ""  # the county's computed own entry


def test_a_township_cannot_save_a_county_line(offices: tuple[Office, Office]) -> None:
    _county, township = offices
    profile = load_profile("shaoxing")
    month = figures.month_form(township.store, profile, "RES", Month(2026, 10)).month
    with pytest.raises(ValidationError) as refused:
        figures.save_cells(
            township.store, township.head, profile, "RES", month, {Cell("INC_INTEREST"): 100}
        )
    assert refused.value.message == "乡镇经办机构不填报此行，由县局填报。"
    assert refused.value.where == "利息收入"
    form = figures.month_form(township.store, profile, "RES", month)
    assert form.township_office and form.cells == {}


def test_a_township_has_no_workbench_plan_or_quota_screens(
    qtbot: QtBot, offices: tuple[Office, Office], runners: list[TaskRunner]
) -> None:
    county, township = offices
    window = MainWindow(context(township, runners))
    qtbot.addWidget(window)
    assert window.screen_keys()[:2] == ["figures", "exchange"]
    assert not {"workbench", "plans", "execution"} & set(window.screen_keys())
    county_window = MainWindow(context(county, runners))
    qtbot.addWidget(county_window)
    assert county_window.screen_keys()[:4] == ["workbench", "figures", "plans", "execution"]
