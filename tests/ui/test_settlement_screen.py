"""The year-end settlement screen (年终清算) on a city office: the worksheet prefilled from the
counties' reports (shaded, read-only), values typed into cells and checked as typed (a
refused value stays out, its reason shown), 计算 shows who pays what and a county's working;
the head finalises, exports the workbook and sends the notices."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import DEMO_NOW, FakeClock
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import SOUTH, World, build_template, open_world
from settlement_kit import YEAR, send_year

from mibdesk.core.services.city.settlement import worksheet
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.settlement_notices import notices
from mibdesk.core.services.setup import office_info
from mibdesk.ui.city.settlement_view import SettlementScreen
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.widgets.grid import GridView

GRADE, INCOME, BALANCE, CAUSED = 3, 4, 7, 8
Key = Qt.Key


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("settlement-ui") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    send_year(opened)
    yield opened
    opened.close()


@pytest.fixture
def ctx(world: World, qtbot: QtBot) -> Iterator[UiContext]:
    store = world.city.store
    tasks = TaskRunner()
    yield UiContext(store, office_info(store), world.profile, world.city.head, ChangeHub(), tasks)
    tasks.shutdown()


def _type_cell(qtbot: QtBot, grid: GridView, row: int, col: int, text: str) -> None:
    """Type `text` into a grid cell as a user does: start typing, then Enter."""
    grid.setFocus()
    grid.go_to(row, col)
    qtbot.keyClicks(grid, text[0])
    [editor] = [e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Key.Key_Return)
    state = QAbstractItemView.State.EditingState
    qtbot.waitUntil(lambda: grid.state() != state)


def _shown(grid: GridView, row: int, col: int) -> str:
    return str(grid.model().index(row, col).data())


def _idle(qtbot: QtBot, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)


def _fill(qtbot: QtBot, screen: SettlementScreen) -> None:
    """What the city types: rows 北城区 EMP, 北城区 RES, 南湖县 EMP, 南湖县 RES."""
    sheet, pooled = screen.sheet_grid, screen.pooled_grid
    for row, grade in ((0, "优秀"), (2, "良好")):  # pasted, as from a spreadsheet
        sheet.go_to(row, GRADE)
        assert sheet.paste_tsv(grade) == []
    for row, balance in ((0, "50,000"), (1, "0"), (2, "200000.00"), (3, "0")):
        _type_cell(qtbot, sheet, row, BALANCE, balance)
    _type_cell(qtbot, sheet, 0, CAUSED, "28000")
    _type_cell(qtbot, sheet, 3, CAUSED, "0")
    _type_cell(qtbot, pooled, 0, 1, "1000000")
    _type_cell(qtbot, pooled, 1, 1, "10000")


def test_type_the_worksheet_compute_and_see_the_working(
    qtbot: QtBot, ctx: UiContext, world: World
) -> None:
    screen = SettlementScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    sheet = screen.sheet_grid
    assert screen.year_box.currentData() == YEAR
    assert (
        _shown(sheet, 0, 0) == "北城区医疗保障局（330602）" and _shown(sheet, 0, 2) == "全部12个月"
    )
    assert _shown(sheet, 0, INCOME) == "1,212,000.00"  # from the reports, read-only
    assert not sheet.adapter.is_editable(0, INCOME) and sheet.adapter.is_editable(0, BALANCE)

    _type_cell(qtbot, sheet, 2, CAUSED, "1")  # 南湖县 EMP had a surplus: refused
    assert "超过当年缺口 0.00" in screen.message.text() and _shown(sheet, 2, CAUSED) == ""
    _fill(qtbot, screen)
    assert _shown(sheet, 0, BALANCE) == "50,000.00" and _shown(sheet, 1, GRADE) == "优秀"

    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)
    assert not screen.message.isVisible() or "尚不完整" not in screen.message.text()
    results = screen.result_table
    assert results.rowCount() == 4
    north = [results.item(0, c).text() for c in range(results.columnCount())]
    assert north[:3] == ["EMP", "北城区医疗保障局（330602）", "-128,000.00"]
    assert north[5] == "28,000.00" and north[8] == "25,000.00" and north[9] == "25,000.00"
    assert "1,035,000.00" in screen.pooled_label.text()
    results.selectRow(3)  # 南湖县 RES: 良好, pooled 45 % / county 55 %
    steps = screen.working_table
    sources = [steps.item(r, 3).text() for r in range(steps.rowCount())]
    assert "000 附件 §4.6" in sources
    assert "33,000.00" in [steps.item(r, 1).text() for r in range(steps.rowCount())]
    saved = worksheet(ctx.store, ctx.profile, YEAR)  # 计算 saved what was typed
    assert saved.status == "draft" and saved.county(SOUTH).grade == "良好"
    screen.grab().save("/tmp/notes/A-settlement-screen.png")


def test_an_incomplete_worksheet_says_what_is_missing(qtbot: QtBot, ctx: UiContext) -> None:
    screen = SettlementScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    _type_cell(qtbot, screen.sheet_grid, 0, BALANCE, "50000")
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)
    text = screen.message.text()
    assert (
        "工作底稿尚不完整" in text
        and "缺少考核等次" in text
        and "未填写本次清算前的归集基金" in text
    )
    assert screen.result_table.rowCount() == 0


def test_the_head_finalises_exports_and_sends_the_notices(
    qtbot: QtBot, ctx: UiContext, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    screen = SettlementScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    _fill(qtbot, screen)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.finalise_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)
    assert "已定稿" in screen.status.text() and not screen.save_button.isEnabled()
    assert not screen.sheet_grid.adapter.is_editable(0, BALANCE)
    assert screen.result_table.rowCount() == 4

    book = tmp_path / "settlement.xlsx"
    monkeypatch.setattr(screen, "ask_path", lambda *a: book)
    qtbot.mouseClick(screen.workbook_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)
    assert "计算过程" in load_workbook(book).sheetnames

    qtbot.mouseClick(screen.notice_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)
    assert "已向 2 个县区发送清算通知" in screen.message.text()
    sync(world.north.store)
    assert notices(world.north.store, YEAR)[0].schemes[0].county_pays == 5_300_000

    screen.grab().save("/tmp/notes/J-settlement-final.png")
    # a figure found wrong: the head reopens the year, with the reason, to correct it
    assert screen.reopen_button.isVisible() and screen.reopen_button.isEnabled()
    qtbot.mouseClick(screen.reopen_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason: refused
    assert dialog.isVisible() and "原因" in dialog.error.text()
    assert "已定稿" in screen.status.text()
    dialog.reason.setPlainText("北城区职工医保累计结余录入有误")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "草稿" in screen.status.text() and screen.save_button.isEnabled()
    assert not screen.reopen_button.isEnabled() and not screen.notice_button.isEnabled()
    assert screen.sheet_grid.adapter.is_editable(0, BALANCE)
    assert "重新定稿" in screen.message.text()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes answered at once (Close), recorded as (kind, text)."""
    seen: list[tuple[str, str]] = []

    def box(kind: str) -> Callable[..., object]:
        def show(parent: object, title: str, text: str, *rest: object) -> object:
            seen.append((kind, text))
            return QMessageBox.StandardButton.Close

        return show

    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    return seen


def test_the_form_menu_previews_and_the_head_signs_the_final_form(
    qtbot: QtBot,
    ctx: UiContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    from forms_helpers import when_shown
    from pypdf import PdfReader

    from mibdesk.core.services import forms
    from mibdesk.core.services.trust import pdf_trust_roots
    from mibdesk.core.signing.verify import verify_pdf
    from mibdesk.ui.forms.dialogs import SignDialog
    from mibdesk.ui.forms.printing import PreviewDialog

    screen = SettlementScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    button = screen.form_button
    assert [a.text() for a in button.menu().actions() if a.text()] == [
        "预览并打印…",
        "用系统PDF阅读器打开",
        "另存为PDF…",
        "签章并保存…",
    ]
    target = tmp_path / "年度清算表-签章.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), "PDF"))
    _fill(qtbot, screen)
    button.sign_action.trigger()  # a draft: refused before any password
    _idle(qtbot, ctx)
    assert messages[-1][0] == "warning" and "请先将 2025 年度清算定稿" in messages[-1][1]
    assert not target.exists()

    button.preview_action.trigger()  # a draft may be looked at and printed
    _idle(qtbot, ctx)
    preview = button.preview
    assert isinstance(preview, PreviewDialog) and preview.isVisible()
    assert "2025-年度清算表" in preview.windowTitle()
    preview.close()

    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.finalise_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ctx)
    forms.create_key(ctx.store, ctx.actor, "Seal2026key", "Seal2026key")

    def type_password(dialog: SignDialog) -> None:
        dialog.password.setText("Seal2026key")
        dialog.ok_button.click()

    when_shown(SignDialog, type_password)
    button.sign_action.trigger()
    qtbot.waitUntil(lambda: bool(messages) and messages[-1][0] == "information", timeout=30_000)
    assert str(target) in messages[-1][1]
    verdict = verify_pdf(target, pdf_trust_roots(ctx.store))
    assert verdict.signed and verdict.intact and verdict.trusted
    assert "年度医疗保障基金清算表" in PdfReader(target).pages[0].extract_text()
    screen.grab().save("/tmp/notes/I-settlement-form-button.png")
