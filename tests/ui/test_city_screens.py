"""The city office's window: city screens instead of the county's month work; the overview
of the counties with its drill-down; the plan review with approve, reduce and return, each
through its dialog (a refusal stays in the dialog, in Chinese, and nothing changes)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DEMO_NOW, FakeClock
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import NORTH, SOUTH, World, build_template, open_world, send_plan, send_report

from mibdesk.core.periods import Month
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import office_info
from mibdesk.ui.city.dialogs import ApproveDialog, ReduceDialog, ReturnDialog
from mibdesk.ui.city.overview_view import CityOverviewScreen
from mibdesk.ui.city.plans_view import PlanReviewScreen
from mibdesk.ui.city.publish_view import PublishScreen
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.main_window import MainWindow
from mibdesk.ui.tasks import TaskRunner

OCTOBER, DECEMBER = Month(2026, 10), Month(2026, 12)
SHOTS = Path("/tmp")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city-ui") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    send_report(
        opened.north,
        "EMP",
        OCTOBER,
        {("EXP_INPATIENT", ""): 100_000, ("EXP_OUTPATIENT", ""): 20_000, ("ENR_PUBLIC", ""): 10},
        sent_at="2026-11-09T10:00:00+08:00",
    )
    send_report(
        opened.south,
        "EMP",
        OCTOBER,
        {("EXP_INPATIENT", ""): 50_000},
        sent_at="2026-11-13T10:00:00+08:00",  # after the due date: late
    )
    send_plan(
        opened.north,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 5_000_000, "EXP_OUTPATIENT": 1_000_000},
        submitted_at="2026-11-20T15:00:00+08:00",
    )
    send_plan(
        opened.south,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 2_000_000},
        submitted_at="2026-11-20T09:00:00+08:00",
    )
    send_plan(
        opened.north,
        "RES",
        DECEMBER,
        {"EXP_INPATIENT": 3_000_000},
        submitted_at="2026-11-20T16:00:00+08:00",
    )
    sync(opened.city.store)
    yield opened
    opened.close()


@pytest.fixture
def ctx(world: World, qtbot: QtBot) -> Iterator[UiContext]:
    store = world.city.store
    tasks = TaskRunner()
    yield UiContext(store, office_info(store), world.profile, world.city.head, ChangeHub(), tasks)
    tasks.shutdown()


def _texts(table: QTableWidget, col: int) -> list[str]:
    return [table.item(row, col).text() for row in range(table.rowCount())]


def _shot(widget: QWidget, name: str) -> None:
    widget.resize(1280, 760)
    assert widget.grab().save(str(SHOTS / name))


def test_a_city_window_shows_the_city_screens(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    keys = window.screen_keys()
    assert keys == [
        "city_overview",
        "city_plans",
        "city_funding",
        "city_quotas",
        "city_transfers",
        "city_settlement",
        "city_publish",
        "exchange",
        "accounts",
        "audit",
        "settings",
        "about",
    ]
    assert [window.sidebar.item(i).text() for i in range(7)] == [
        "城市总览",
        "用款计划审核",
        "用款申请与拨付",
        "额度分配",
        "余额划转",
        "年终清算",
        "发布",
    ]
    for row, key in enumerate(keys):
        window.sidebar.setCurrentRow(row)
        assert window.stack.currentWidget() is window.screen_widget(key)
    window.show_screen("city_overview")
    _shot(window, "city_window.png")


def test_the_overview_shows_each_county_on_time_or_late_and_the_sums(
    qtbot: QtBot, ctx: UiContext
) -> None:
    screen = CityOverviewScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.picker.month() == OCTOBER
    table = screen.counties
    names = _texts(table, 0)
    assert names[:2] == ["北城区医疗保障局", "南湖县医疗保障局"]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    report_col, other_report_col = [c for c, h in enumerate(headers) if "月报" in h][:2]
    plan_col, other_plan_col = [c for c, h in enumerate(headers) if "用款计划" in h][:2]
    north_report, south_report = _texts(table, report_col)[:2]
    assert "按时" in north_report
    # due 10 November; sent Friday the 13th: 11, 12, 13 November
    assert south_report == "已收到 · 逾期3个工作日提交"
    # never sent; today is Monday the 23rd: 11–13 and 16–20 November and the 23rd
    assert _texts(table, other_report_col)[1] == "未报送，已逾期9个工作日"
    assert _texts(table, other_plan_col)[1] == "未到期"  # December's plans are due the 25th
    assert "已报送" in table.item(0, plan_col).text()
    assert "2026-11" in table.item(0, report_col).toolTip()
    # consolidated: one tab per scheme, the employee scheme's inpatient line summed
    assert screen.figures.count() == len(ctx.profile.schemes)
    figures = screen.figures.widget(0).findChild(QTableWidget)
    assert figures is not None
    row = _texts(figures, 0).index("住院医疗费用支出")
    assert figures.item(row, 1).text() == "1,500.00" and figures.item(row, 2).text() == "2"
    _shot(screen, "city_overview.png")

    # double-click the north county: its report line by line and its plan
    rect = table.visualItemRect(table.item(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = screen.drill_dialog
    assert dialog is not None and dialog.isVisible()
    labels = " ".join(label.text() for label in dialog.findChildren(type(screen.heading)))
    assert "版本" in labels or "修订" in labels
    dialog.resize(760, 560)
    assert dialog.grab().save(str(SHOTS / "city_drilldown.png"))
    dialog.reject()
    assert not dialog.isVisible()

    # another month: nobody has reported
    screen.picker.step(-1)
    assert screen.picker.month() == Month(2026, 9)
    assert "按时" not in " ".join(_texts(table, report_col))


def _select(screen: PlanReviewScreen, county: str, scheme: str) -> None:
    row = next(
        i
        for i, plan in enumerate(screen.controller.plans)
        if (plan.county, plan.scheme) == (county, scheme)
    )
    screen.plans.selectRow(row)


def test_the_city_approves_reduces_and_returns_plans(qtbot: QtBot, ctx: UiContext) -> None:
    screen = PlanReviewScreen(ctx)
    qtbot.addWidget(screen)
    ctx.hub.changed.connect(screen.on_changes)
    screen.show()
    assert screen.picker.month() == DECEMBER
    assert len(screen.controller.plans) == 3
    assert "3" in screen.count_label.text()
    _select(screen, NORTH, "EMP")
    assert _texts(screen.lines, 0) == ["住院医疗费用支出", "普通门诊（门诊统筹）支出"]
    _shot(screen, "city_plans.png")

    # approve the north county's employee plan
    qtbot.mouseClick(screen.approve_button, Qt.MouseButton.LeftButton)
    approve = screen.dialog
    assert isinstance(approve, ApproveDialog) and approve.isVisible()
    approve.note.setPlainText("同意")
    qtbot.mouseClick(approve.ok_button, Qt.MouseButton.LeftButton)
    assert not approve.isVisible()
    assert screen.selected_plan() is not None
    assert screen.selected_plan().status == "approved"  # type: ignore[union-attr]
    assert not screen.approve_button.isEnabled()
    assert "批准" in screen.message.text()

    # reduce the north county's resident plan: a bad amount is refused in the dialog
    _select(screen, NORTH, "RES")
    qtbot.mouseClick(screen.reduce_button, Qt.MouseButton.LeftButton)
    reduce = screen.dialog
    assert isinstance(reduce, ReduceDialog) and reduce.isVisible()
    reduce.amounts["EXP_INPATIENT"].setText("40000")  # more than the 30,000.00 asked
    reduce.reasons["EXP_INPATIENT"].setText("超序时进度")
    qtbot.mouseClick(reduce.ok_button, Qt.MouseButton.LeftButton)
    assert reduce.isVisible()
    assert "申请" in reduce.error.text() or "减" in reduce.error.text()
    assert screen.selected_plan().status == "submitted"  # type: ignore[union-attr]
    assert reduce.grab().save(str(SHOTS / "city_reduce_dialog.png"))
    reduce.amounts["EXP_INPATIENT"].setText("25000")
    qtbot.mouseClick(reduce.ok_button, Qt.MouseButton.LeftButton)
    assert not reduce.isVisible()
    plan = screen.selected_plan()
    assert plan is not None and plan.status == "approved" and plan.approved == 2_500_000
    assert _texts(screen.lines, 3) == ["25,000.00"]
    assert _texts(screen.lines, 4) == ["超序时进度"]

    # return the south county's plan: a return without reasons is refused
    _select(screen, SOUTH, "EMP")
    qtbot.mouseClick(screen.return_button, Qt.MouseButton.LeftButton)
    back = screen.dialog
    assert isinstance(back, ReturnDialog) and back.isVisible()
    qtbot.mouseClick(back.ok_button, Qt.MouseButton.LeftButton)
    assert back.isVisible() and "退回" in back.error.text()
    back.reason.setPlainText("住院支出超过序时进度，请核实后重报")
    qtbot.mouseClick(back.ok_button, Qt.MouseButton.LeftButton)
    assert not back.isVisible()
    plan = screen.selected_plan()
    assert plan is not None and plan.status == "returned"
    assert "退回" in _texts(screen.plans, 3)[screen.controller.plans.index(plan)]
    assert "0" in screen.count_label.text()


def test_the_countys_signed_pdf_opens_saves_and_goes_to_verification(
    qtbot: QtBot, ctx: UiContext, world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pdf = "%PDF-1.4\n% 南湖县2026年12月城乡居民基金使用计划\n%%EOF\n".encode()
    send_plan(
        world.south,
        "RES",
        DECEMBER,
        {"EXP_INPATIENT": 1_000_000},
        submitted_at="2026-11-21T09:00:00+08:00",
        pdf=pdf,
    )
    sync(world.city.store)
    opened: list[Path] = []
    monkeypatch.setattr(
        "mibdesk.ui.forms.button.QDesktopServices.openUrl",
        lambda url: opened.append(Path(url.toLocalFile())) or True,
    )
    checked: list[Path] = []
    monkeypatch.setattr(
        "mibdesk.ui.city.plan_pdf_button.verify_file",
        lambda parent, ctx, path: checked.append(path),
    )
    saved = tmp_path / "南湖县.pdf"
    monkeypatch.setattr(
        "mibdesk.ui.city.plan_pdf_button.QFileDialog.getSaveFileName",
        lambda *args: (str(saved), "PDF (*.pdf)"),
    )
    screen = PlanReviewScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    _select(screen, NORTH, "EMP")  # sent without a PDF
    assert not screen.pdf_button.isEnabled()
    _select(screen, SOUTH, "RES")
    assert screen.pdf_button.isEnabled() and screen.pdf_button.text() == "县局签章件"
    actions = {action.text(): action for action in screen.pdf_button.menu().actions()}
    actions["用系统PDF阅读器打开"].trigger()
    actions["验证签章…"].trigger()
    actions["另存为PDF…"].trigger()
    assert [path.read_bytes() for path in (*opened, *checked, saved)] == [pdf, pdf, pdf]
    assert opened[0] != checked[0]  # a viewer may hold the first open: never the same name
    assert str(saved) in screen.message.text()
    _shot(screen, "city_plans_pdf.png")


def test_a_decided_plan_cannot_be_decided_again_from_an_open_dialog(
    qtbot: QtBot, ctx: UiContext
) -> None:
    screen = PlanReviewScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    _select(screen, SOUTH, "EMP")
    first = screen.approve()
    assert isinstance(first, ApproveDialog)
    plan = screen.selected_plan()
    assert plan is not None
    screen.controller.approve(plan)  # decided meanwhile (another user, another window)
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    assert first.isVisible() and "已" in first.error.text()
    first.reject()
    assert not first.isVisible()
    assert isinstance(first, QDialog)


def test_registering_a_card_from_the_publish_screen_opens_the_exchange_screen(
    qtbot: QtBot, ctx: UiContext
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_screen("city_publish")
    screen = window.screen_widget("city_publish")
    assert isinstance(screen, PublishScreen)
    screen.tabs.setCurrentIndex(2)  # 信任名单
    qtbot.mouseClick(screen.register_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screen_widget("exchange")
