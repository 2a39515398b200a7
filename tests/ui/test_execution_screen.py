"""The quota execution screen on the demo office: real widgets, real dialogs, real charts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fixtures_office import click, column_texts, row_count
from helpers import CHINA
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.money import format_fen
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.rules.working import YI, large_yuan, yuan
from mibdesk.core.services import accounts, audit_log, demo, quotas
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.execution import SchemeExecution, scheme_execution
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.ui.app import build_window
from mibdesk.ui.context import UiContext
from mibdesk.ui.execution.dialogs import AdjustmentDialog, QuotaDialog
from mibdesk.ui.execution.panels import STATE_COLORS
from mibdesk.ui.execution.view import DOCUMENTS_TAB, ExecutionScreen
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)
PROFILE = load_profile("shaoxing")
SHOTS = Path("/tmp/shots")


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


@pytest.fixture
def ctx(store: Store) -> Iterator[UiContext]:
    actor = accounts.login(store, demo.DEMO_HEAD, demo.DEMO_PASSWORD).value
    tasks = TaskRunner()
    yield UiContext(store, office_info(store), PROFILE, actor, ChangeHub(), tasks)
    tasks.shutdown()


@pytest.fixture
def screen(qtbot: QtBot, ctx: UiContext) -> ExecutionScreen:
    screen = ExecutionScreen(ctx)
    qtbot.addWidget(screen)
    ctx.hub.changed.connect(screen.on_changes)
    screen.resize(1200, 720)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def service(store: Store, scheme: str = "EMP", year: int = 2026) -> SchemeExecution:
    return scheme_execution(store, PROFILE, scheme, year)


def answer(handle: Callable[[QDialog], None]) -> None:
    """Let `handle` deal with the next modal dialog; whatever happens, it does not stay open."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)


def fill_adjustment(
    dialog: QDialog,
    amount: str,
    *,
    increase: bool = True,
    doc_no: str = "绍医保发〔2026〕31号",
    reason: str = "住院费用增长较快，申请追加额度",
) -> None:
    assert isinstance(dialog, AdjustmentDialog)
    dialog.direction.setCurrentIndex(dialog.direction.findData(increase))
    dialog.amount.setText(amount)
    dialog.doc_no.setText(doc_no)
    dialog.doc_date.setDate(QDate(2026, 11, 20))
    dialog.reason.setPlainText(reason)


def adjustments(store: Store) -> int:
    return len(audit_log.entries(store, AuditFilter(action="quota.adjust")))


def test_summary_figures_equal_the_service(screen: ExecutionScreen, store: Store) -> None:
    for scheme in ("EMP", "RES"):
        screen.choose(scheme, 2026)
        position = service(store, scheme).position
        assert position is not None
        expected = {
            "available": position.available,
            "approved": position.approved_plans,
            "received": position.received,
            "spent": position.spent,
            "left_for_plans": position.remaining_for_plans,
            "left_for_spending": position.remaining_for_spending,
        }
        cards = screen.band.cards
        assert {key: cards[key].value.text() for key in expected} == {
            key: large_yuan(amount) for key, amount in expected.items()
        }
        for key, amount in expected.items():
            assert cards[key].toolTip().startswith(yuan(amount))  # the exact amount on hover
        available_tip = cards["available"].toolTip()
        assert "绍医保发〔2026〕" in available_tip and "004 §4.3" in available_tip
        total = column_texts(screen.lines_grid, 3)[-1]
        assert total == format_fen(position.spent)
    assert screen.through_label.text() == "数据截至2026年10月"


def test_indicator_sentence_and_colour(screen: ExecutionScreen, store: Store) -> None:
    screen.choose("RES", 2026)
    found = {i.key: i for i in service(store, "RES").indicators}
    balance = found["current_balance"]
    assert balance.state == "red"  # October: resident spending above income
    row = screen.indicators.rows["current_balance"]
    assert row.sentence.text() == balance.sentence
    assert row.state == "red"
    assert STATE_COLORS["red"] in row.dot.styleSheet()
    assert row.state_label.text() == "预警"
    assert row.name.text() == "当期结余"
    assert balance.source in row.sentence.toolTip()
    progress = screen.indicators.rows["spending_progress"]
    assert progress.sentence.text() == found["spending_progress"].sentence
    assert progress.state == "green" and STATE_COLORS["green"] in progress.dot.styleSheet()
    assert "序时进度" in progress.sentence.text()


def test_projection_sentence_and_method(screen: ExecutionScreen, store: Store) -> None:
    projection = service(store).projection
    assert projection is not None
    assert screen.indicators.projection.text() == projection.sentence
    assert not screen.indicators.over
    assert "font-weight: bold" not in screen.indicators.projection.styleSheet()
    assert screen.indicators.method_button.isVisible()


def test_a_projection_over_the_quota_is_red_and_names_the_month(
    screen: ExecutionScreen, store: Store, ctx: UiContext
) -> None:
    outcome = quotas.record_adjustment(
        store,
        ctx.actor,
        PROFILE,
        "EMP",
        2026,
        -5_000_000_000,  # 851.31 → 801.31 万 yuan: still above the 759.53 approved
        "绍医保发〔2026〕33号",
        NOW.date(),
        "市级统筹调减",
    )
    ctx.hub.publish(outcome.changes)
    projection = service(store).projection
    assert projection is not None and projection.runs_out is not None
    label = screen.indicators.projection
    assert label.text() == projection.sentence
    assert f"预计 {projection.runs_out.month} 月用完定额" in label.text()
    assert screen.indicators.over and "font-weight: bold" in label.styleSheet()
    marker = screen.cumulative_chart.runs_out
    assert marker.count() == 1 and marker.at(0).x() == projection.runs_out.month
    assert marker.name() == f"预计{projection.runs_out.month}月用完定额"


def test_adjustment_through_the_dialog_changes_the_quota_and_documents(
    qtbot: QtBot, screen: ExecutionScreen, store: Store, ctx: UiContext
) -> None:
    before = service(store).position
    assert before is not None
    published: list[Changes] = []
    ctx.hub.changed.connect(published.append)

    def handle(dialog: QDialog) -> None:
        fill_adjustment(dialog, "5,000,000.00")
        assert isinstance(dialog, AdjustmentDialog)
        assert large_yuan(before.available + 500_000_000) in dialog.after.text()
        click(dialog.ok_button)

    answer(handle)
    click(screen.adjust_button)
    after = service(store).position
    assert after is not None and after.available == before.available + 500_000_000
    assert screen.band.cards["available"].value.text() == large_yuan(after.available)
    assert "预算调整 +500.00 万元" in screen.band.cards["available"].note.text()
    assert published and published[0].touches(Area.QUOTAS)
    assert "预算调整已录入" in screen.message.text()
    screen.tabs.setCurrentIndex(DOCUMENTS_TAB)
    grid = screen.documents_grid
    assert row_count(grid) == 2
    assert column_texts(grid, 0) == ["定额", "预算调整（追加）"]
    assert column_texts(grid, 2)[1] == "绍医保发〔2026〕31号"
    assert column_texts(grid, 4)[1] == "5,000,000.00"
    assert column_texts(grid, 5)[1] == "张丽（zhangli）"
    assert column_texts(grid, 7)[1] == "住院费用增长较快，申请追加额度"


@pytest.mark.parametrize(
    ("amount", "increase", "expected"),
    [
        ("五百万", True, "不是有效金额"),
        ("5000000.123", True, "小数超过两位"),
        ("-5000000", True, "正负号"),
        ("100,000,000.00", False, "不得使定额低于"),  # 851.31 − 100 < 759.53 万 approved
    ],
)
def test_bad_adjustment_is_refused_in_the_dialog(
    screen: ExecutionScreen, store: Store, amount: str, increase: bool, expected: str
) -> None:
    before = service(store).position
    assert before is not None
    seen: dict[str, object] = {}

    def handle(dialog: QDialog) -> None:
        fill_adjustment(dialog, amount, increase=increase)
        assert isinstance(dialog, AdjustmentDialog)
        click(dialog.ok_button)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.error.text()

    answer(handle)
    click(screen.adjust_button)
    assert seen["open"] is True
    assert expected in str(seen["error"]), seen["error"]
    assert service(store).position == before
    assert adjustments(store) == 0
    assert screen.band.cards["available"].value.text() == large_yuan(before.available)


def test_a_year_without_quota_says_so_and_records_one(
    screen: ExecutionScreen, store: Store
) -> None:
    screen.choose("RES", 2027)
    assert screen.missing_panel.isVisible() and not screen.band.isVisible()
    assert "2027年城乡居民基本医疗保险尚未录入支出总量定额" in screen.missing.text()
    assert screen.quota_button.isVisible() and screen.quota_button.isEnabled()
    assert not screen.adjust_button.isEnabled()
    assert screen.through_label.text() == "2027年尚无月报数据。"

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, QuotaDialog)
        dialog.amount.setText("650,000,000")
        dialog.doc_no.setText("绍医保发〔2027〕2号")
        dialog.doc_date.setDate(QDate(2027, 1, 10))
        click(dialog.ok_button)

    answer(handle)
    click(screen.quota_button)
    position = service(store, "RES", 2027).position
    assert position is not None and position.available == 65_000_000_000
    assert screen.band.isVisible() and not screen.missing_panel.isVisible()
    assert screen.band.cards["available"].value.text() == "6.50 亿元"
    assert not screen.quota_button.isVisible()
    assert screen.adjust_button.isEnabled()


def test_a_second_quota_is_refused(store: Store, ctx: UiContext, qtbot: QtBot) -> None:
    screen = ExecutionScreen(ctx)
    qtbot.addWidget(screen)
    before = service(store)
    dialog = QuotaDialog(screen.controller, screen)
    dialog.amount.setText("1,000")
    dialog.doc_no.setText("绍医保发〔2026〕99号")
    dialog.try_accept()
    assert "2026年定额已录入" in dialog.error.text()
    after = service(store)
    assert after.position == before.position and after.documents == before.documents


def test_cumulative_chart_series(screen: ExecutionScreen, store: Store) -> None:
    chart = screen.cumulative_chart
    series = service(store).series
    assert chart.actual.count() == 10  # January to October
    assert chart.last_year.count() == 12
    assert chart.quota.count() == 12
    assert chart.time_progress.count() == 12
    assert chart.projected.count() == 3  # from October (joined) to December
    assert series.actual[9] is not None and series.quota is not None
    assert chart.actual.at(9).y() == pytest.approx(series.actual[9] / YI)
    assert chart.quota.at(0).y() == pytest.approx(series.quota[0] / YI)
    assert chart.last_year.pen().style() != chart.actual.pen().style()  # dashed
    names = [s.name() for s in chart.all_series()]
    assert names == [
        "2026年累计支出",
        "全年预计（按当前进度）",
        "可用定额",
        "序时进度",
        "2025年累计支出",
    ]
    assert "亿元" in chart.chart().title()
    labels = chart.months.categoriesLabels()
    assert labels[0] == "1月" and labels[-1] == "12月"
    assert not chart.grab().isNull()


def test_charts_of_a_year_without_quota_or_figures(screen: ExecutionScreen) -> None:
    screen.choose("EMP", 2027)
    chart = screen.cumulative_chart
    assert chart.actual.count() == 0 and chart.quota.count() == 0
    assert chart.time_progress.count() == 0 and chart.projected.count() == 0
    assert chart.last_year.count() == 10  # 2026 so far
    markers = chart.chart().legend().markers(chart.quota)
    assert markers and not markers[0].isVisible()
    assert screen.line_chart.this_year.count() == 0
    assert "尚无数据" in screen.line_chart.chart().title()


def test_line_chart_series(screen: ExecutionScreen, store: Store) -> None:
    lines = [ln for ln in service(store).lines if ln.spent or ln.spent_last_year]
    bars = screen.line_chart
    assert bars.this_year.count() == len(lines) == 9  # 上解上级支出 has nothing either year
    assert bars.last_year.count() == len(lines)
    assert bars.lines.categories() == [ln.name for ln in reversed(lines)]  # first at the top
    inpatient = lines[0]
    assert bars.this_year.at(len(lines) - 1) == pytest.approx(inpatient.spent / YI)
    assert bars.last_year.at(len(lines) - 1) == pytest.approx(inpatient.spent_last_year / YI)
    assert [bars.this_year.label(), bars.last_year.label()] == ["2026年", "2025年同期"]
    image = bars.grab().toImage()
    assert not image.isNull()
    assert len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 4)}) > 2


def test_year_end_summary_once_december_is_in(screen: ExecutionScreen, store: Store) -> None:
    screen.choose("EMP", 2025)
    closing = service(store, "EMP", 2025).closing
    assert closing is not None
    assert screen.tabs.isTabVisible(3)
    assert screen.indicators.projection_name.text() == "年终结算汇总"
    assert large_yuan(closing.unused) in screen.indicators.projection.text()
    assert screen.cumulative_chart.projected.count() == 0
    screen.choose("EMP", 2026)
    assert not screen.tabs.isTabVisible(3)


def test_refreshes_on_changes_made_elsewhere(
    qtbot: QtBot, screen: ExecutionScreen, store: Store, ctx: UiContext
) -> None:
    outcome = quotas.record_adjustment(
        store,
        ctx.actor,
        PROFILE,
        "EMP",
        2026,
        1_000_000,
        "绍医保发〔2026〕40号",
        NOW.date(),
        "市级统一调整",
    )
    screen.hide()
    ctx.hub.publish(outcome.changes)
    position = service(store).position
    assert position is not None
    card = screen.band.cards["available"]
    assert not card.toolTip().startswith(yuan(position.available))  # hidden: not read yet
    screen.show()
    qtbot.waitExposed(screen)
    assert card.toolTip().startswith(yuan(position.available))
    ctx.hub.publish(Changes.of(Area.FIGURES))  # shown: read again at once
    assert card.toolTip().startswith(yuan(position.available))


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_screenshots(qtbot: QtBot, store: Store, width: int, height: int) -> None:
    window = build_window(store, accounts.demo_login(store).value, is_demo=True)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    try:
        window.show_screen("execution")
        screen = window.screen_widget("execution")
        assert isinstance(screen, ExecutionScreen)
        QApplication.processEvents()
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SHOTS / f"execution-{width}x{height}.png"))
        screen.choose("RES", 2027)
        QApplication.processEvents()
        assert window.grab().save(str(SHOTS / f"execution-{width}x{height}-no-quota.png"))
        screen.choose("RES", 2026)
        screen.tabs.setCurrentIndex(1)
        QApplication.processEvents()
        assert window.grab().save(str(SHOTS / f"execution-{width}x{height}-lines.png"))
        header = screen.lines_grid.horizontalHeader()
        assert header.length() <= screen.lines_grid.viewport().width()  # no sideways scroll
    finally:
        window.ctx.tasks.shutdown()
