"""The city's quota screen (额度分配) on a real city office with two registered counties:
amounts typed into the grid with the difference to the budget shown live, refused while they
do not add up, then published (the counties receive their packages) and adjusted; a split by
weighted factors with its arithmetic, one factor filled from the counties' reports; a real
workbook imported, one bad cell refused in Chinese with nothing changed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from helpers import DEMO_NOW, FakeClock
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import NORTH, SOUTH, World, build_template, open_world, send_report
from sqlalchemy import func, select

from mibdesk.core.db.models import CityAllocation
from mibdesk.core.periods import Month
from mibdesk.core.services import quotas as county_side
from mibdesk.core.services.city import issued
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import office_info
from mibdesk.core.tables.quota_tables import AMOUNT
from mibdesk.ui.city.quota_dialogs import FactorSourceDialog, PublishDialog
from mibdesk.ui.city.quota_draft import TYPED, WEIGHTED, WORKBOOK
from mibdesk.ui.city.quotas_view import QuotasScreen
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.widgets.grid import GridView

YEAR = 2027  # the draft year in late November 2026
SHOTS = Path("/tmp/notes")
Key = Qt.Key


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city-quotas") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    for county, inpatient in ((opened.north, 100_000), (opened.south, 50_000)):
        send_report(
            county,
            "EMP",
            Month(2026, 10),
            {("EXP_INPATIENT", ""): inpatient},
            sent_at="2026-11-09T10:00:00+08:00",
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


@pytest.fixture
def screen(ctx: UiContext, qtbot: QtBot) -> QuotasScreen:
    shown = QuotasScreen(ctx)
    qtbot.addWidget(shown)
    ctx.hub.changed.connect(shown.on_changes)
    shown.resize(1280, 760)
    shown.show()
    shown.tabs.setCurrentIndex(1)
    return shown


def _allocations(world: World) -> int:
    with world.city.store.read() as session:
        return session.scalar(select(func.count()).select_from(CityAllocation)) or 0


def _type_cell(qtbot: QtBot, grid: GridView, row: int, col: int, text: str) -> None:
    """Type `text` into a grid cell as a user does: start typing, then Enter."""
    grid.setFocus()
    grid.go_to(row, col)
    qtbot.keyClicks(grid, text[0])
    [editor] = [e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Key.Key_Return)
    state = QAbstractItemView.State.EditingState
    qtbot.waitUntil(lambda: grid.state() != state)  # the delegate commits queued


def _idle(qtbot: QtBot, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)


def _shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def _publish(qtbot: QtBot, ctx: UiContext, dialog: PublishDialog, doc: str, reason: str) -> None:
    dialog.doc_no.setText(doc)
    dialog.doc_date.setDate(QDate(2027, 1, 5))
    dialog.reason.setPlainText(reason)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)


def test_typed_quotas_show_the_difference_then_publish_and_adjust(
    qtbot: QtBot, ctx: UiContext, screen: QuotasScreen, world: World
) -> None:
    draft = screen.draft
    assert draft.methods.currentIndex() == TYPED
    assert "2027" in draft.kind_label.text() and "年度定额" in draft.kind_label.text()
    assert "尚未下达" in screen.info.text()
    qtbot.keyClicks(draft.budget, "300,000,000")
    _type_cell(qtbot, draft.amounts, 0, AMOUNT, "180000000")
    _type_cell(qtbot, draft.amounts, 1, AMOUNT, "119999000")
    assert draft.amounts.model().index(2, AMOUNT).data() == "299,999,000.00"  # 合计
    assert "差 1,000.00 元" in draft.sum_label.text() and "少于" in draft.sum_label.text()
    _shot(screen, "quotas_typed.png")

    # publishing while the counties are short of the budget is refused, nothing changes
    assert screen.publish() is None
    assert "差 1,000.00 元" in screen.message.text()
    assert _allocations(world) == 0

    _type_cell(qtbot, draft.amounts, 1, AMOUNT, "120,000,000")
    assert "差" not in draft.sum_label.text() and "300,000,000.00" in draft.sum_label.text()
    qtbot.mouseClick(draft.publish_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, PublishDialog) and dialog.isVisible()
    summary = dialog.findChild(QWidget, "publishSummary").toPlainText()  # type: ignore[union-attr]
    assert "北城区医疗保障局（330602）  180,000,000.00" in summary
    assert "300,000,000.00" in summary and "2" in summary
    dialog.resize(620, 480)
    _shot(dialog, "quotas_publish_dialog.png")
    _publish(qtbot, ctx, dialog, "", "")
    assert dialog.isVisible() and "文号" in dialog.error.text()
    assert _allocations(world) == 0
    _publish(qtbot, ctx, dialog, "绍医保〔2027〕1号", "")
    assert not dialog.isVisible()

    assert issued.county_quotas(ctx.store, "EMP", YEAR) == {
        NORTH: 180_000_000_00,
        SOUTH: 120_000_000_00,
    }
    assert screen.tabs.currentIndex() == 0
    assert "已发送 2 个县" in screen.message.text()
    sent = screen.documents.item(0, 7).text()
    assert "2" in sent and "待发" not in sent
    assert screen.counties.item(0, 1).text() == "180,000,000.00"
    assert "绍医保〔2027〕1号" in screen.info.text()
    _shot(screen, "quotas_issued.png")
    # the packages lie in the drop: each county records its quota
    assert sync(world.north.store).value.delivered == 1
    documents = county_side.documents(world.north.store, "EMP", YEAR)
    assert [(d.kind, d.amount) for d in documents] == [("quota", 180_000_000_00)]

    # the next draft is an adjustment: 5 million yuan moves from north to south
    screen.tabs.setCurrentIndex(1)
    assert "调整" in draft.kind_label.text() and draft.budget.text() == ""
    _type_cell(qtbot, draft.amounts, 0, AMOUNT, "-5000000")
    _type_cell(qtbot, draft.amounts, 1, AMOUNT, "5000000")
    assert "差" not in draft.sum_label.text()
    dialog = screen.publish()
    assert dialog is not None
    _publish(qtbot, ctx, dialog, "绍医保调〔2027〕3号", "")
    assert dialog.isVisible() and "调整事由" in dialog.error.text()
    _publish(qtbot, ctx, dialog, "绍医保调〔2027〕3号", "南湖县新增定点医院")
    assert not dialog.isVisible()
    assert issued.county_quotas(ctx.store, "EMP", YEAR) == {
        NORTH: 175_000_000_00,
        SOUTH: 125_000_000_00,
    }
    assert screen.documents.rowCount() == 2
    assert screen.documents.item(1, 5).text() == "南湖县新增定点医院"
    assert screen.counties.item(1, 2).text() == "5,000,000.00"  # south's adjustments
    assert screen.counties.item(1, 3).text() == "125,000,000.00"


def test_weighted_factors_split_the_budget_and_show_the_arithmetic(
    qtbot: QtBot, ctx: UiContext, screen: QuotasScreen, world: World
) -> None:
    draft = screen.draft
    draft.methods.setCurrentIndex(WEIGHTED)
    assert draft.factor_names() == ["参保人数", "上年支出", "60岁及以上参保人数"]
    qtbot.keyClicks(draft.budget, "100")
    grid = draft.factors
    grid.go_to(0, 4)
    qtbot.mouseClick(draft.remove_factor_button, Qt.MouseButton.LeftButton)
    assert draft.factor_names() == ["参保人数", "上年支出"]
    for row, values in enumerate((("60", "40"), ("200000", "1"), ("100000", "2"))):
        for col, text in enumerate(values, start=2):
            _type_cell(qtbot, grid, row, col, text)
    assert "100%" in draft.weights_label.text()

    # a third factor with weight 0, its values filled from the October reports
    draft.factor_name.setText("住院支出")  # as an input method commits it
    qtbot.mouseClick(draft.add_factor_button, Qt.MouseButton.LeftButton)
    grid.go_to(1, 4)
    dialog = screen.fill_factor()
    assert isinstance(dialog, FactorSourceDialog)
    dialog.line.setCurrentIndex(dialog.line.findData("EXP_INPATIENT"))
    dialog.month.setCurrentIndex(dialog.month.findData("2026-10"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert grid.model().index(1, 4).data() == "1,000"  # 100,000 fen reported = 1,000 yuan
    assert grid.model().index(2, 4).data() == "500"
    _type_cell(qtbot, grid, 0, 4, "0")

    qtbot.mouseClick(draft.split_button, Qt.MouseButton.LeftButton)
    table, working = draft.split_view.table, draft.split_view.working.toPlainText()
    # north: 60% × 2/3 + 40% × 1/3 = 8/15 of 100.00 yuan
    assert [table.item(r, 1).text() for r in range(2)] == ["53.33", "46.67"]
    assert "参保人数：60% × 200,000 ÷ 300,000 = 40.0000%" in working
    assert "最大余数" in working
    _shot(screen, "quotas_weighted.png")

    dialog = screen.publish()
    assert isinstance(dialog, PublishDialog)
    _publish(qtbot, ctx, dialog, "绍医保〔2027〕2号", "")
    assert not dialog.isVisible()
    [published] = issued.published(ctx.store, "EMP", YEAR)
    assert published.method == "weighted"
    assert [ln.amount for ln in published.lines] == [5_333, 4_667]


def test_a_workbook_is_imported_and_a_bad_cell_is_refused_in_chinese(
    qtbot: QtBot, ctx: UiContext, screen: QuotasScreen, world: World, tmp_path: Path
) -> None:
    draft = screen.draft
    draft.methods.setCurrentIndex(WORKBOOK)
    qtbot.keyClicks(draft.budget, "300000000")
    blank = tmp_path / "分配表.xlsx"
    screen.save_template(blank)
    _idle(qtbot, ctx)
    book = openpyxl.load_workbook(blank)
    sheet = book["分配表"]
    assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == ["县区代码", NORTH, SOUTH]
    sheet["C3"] = 180_000_000
    sheet["C4"] = "一亿二"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    screen.import_workbook(bad)
    _idle(qtbot, ctx)
    assert "分配表!C4" in screen.message.text() and "未导入" in screen.message.text()
    assert draft.imported.table.rowCount() == 0 and screen.workbook_proposal is None
    assert screen.publish() is None and _allocations(world) == 0

    sheet["C4"] = "120,000,000.00"
    good = tmp_path / "good.xlsx"
    book.save(good)
    screen.import_workbook(good)
    _idle(qtbot, ctx)
    table = draft.imported.table
    assert [table.item(r, 1).text() for r in range(2)] == ["180,000,000.00", "120,000,000.00"]
    assert "分配表!C4" in draft.imported.working.toPlainText()
    _shot(screen, "quotas_workbook.png")
    dialog = screen.publish()
    assert isinstance(dialog, PublishDialog)
    _publish(qtbot, ctx, dialog, "绍医保〔2027〕1号", "")
    assert not dialog.isVisible()
    [published] = issued.published(ctx.store, "EMP", YEAR)
    assert published.method == "workbook" and published.total == 300_000_000_00


def test_a_county_not_sent_waits_and_send_pending_sends_it(
    qtbot: QtBot,
    ctx: UiContext,
    screen: QuotasScreen,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mibdesk.core.errors import ValidationError
    from mibdesk.core.services.city import quotas

    real = quotas.send_quota

    def south_refused(*args: object, **kwargs: object) -> object:
        if args[2] == SOUTH:
            raise ValidationError("南湖县的密钥已吊销")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(quotas, "send_quota", south_refused)
    draft = screen.draft
    qtbot.keyClicks(draft.budget, "1000")
    _type_cell(qtbot, draft.amounts, 0, AMOUNT, "600")
    _type_cell(qtbot, draft.amounts, 1, AMOUNT, "400")
    dialog = screen.publish()
    assert dialog is not None
    _publish(qtbot, ctx, dialog, "绍医保〔2027〕1号", "")
    assert not dialog.isVisible()
    assert "待发送：南湖县医疗保障局" in screen.message.text()
    assert "待发送" in screen.documents.item(0, 7).text()
    assert screen.send_button.isEnabled()

    monkeypatch.setattr(quotas, "send_quota", real)
    qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)
    assert "已发送 2 个县" in screen.message.text()
    assert "待发送" not in screen.documents.item(0, 7).text()
    assert not screen.send_button.isEnabled()
    sync(world.south.store)
    documents = county_side.documents(world.south.store, "EMP", YEAR)
    assert [(d.kind, d.amount) for d in documents] == [("quota", 400_00)]
