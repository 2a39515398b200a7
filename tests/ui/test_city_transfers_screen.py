"""The city's balance-transfer screen (余额划转) on a real city office (Shaoxing) with two
registered counties: citywide spending prefilled from the reports, balances typed, the
transfers computed with their working, a bad amount refused, the figures kept, the workbook
exported; the head issues it (下达…), signs its form and sends the notices, a county reads
its notice; a profile without a transfer rule shows a note."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from forms_helpers import when_shown
from helpers import DEMO_NOW, REVIEWER_PASSWORD, FakeClock
from openpyxl import load_workbook
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import CITY, NAMES, NORTH, SOUTH, World, build_template, open_world, send_report

from mibdesk.core.catalog import load_profile
from mibdesk.core.periods import Month
from mibdesk.core.services import accounts
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.city.transfer_issue import issue, issued, versions
from mibdesk.core.services.city.transfers import TransferInputs, saved_inputs
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.forms import key_path
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.transfer_notices import transfer_notices
from mibdesk.core.signing.keys import create_office_key
from mibdesk.ui.city import transfers_view
from mibdesk.ui.city.quota_dialogs import PublishDialog
from mibdesk.ui.city.transfers_view import BALANCE, REMAINING, TRANSFER, TransfersScreen
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.dialogs import SignDialog
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city-transfers") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    for county, amount in ((opened.north, 80_000_000_00), (opened.south, 20_000_000_00)):
        send_report(
            county,
            "EMP",
            Month(2026, 9),
            {("EXP_INPATIENT", ""): amount},
            sent_at="2026-10-09T10:00:00+08:00",
        )
    sync(opened.city.store)
    yield opened
    opened.close()


def _ctx(world: World, profile_id: str = "") -> UiContext:
    store = world.city.store
    profile = load_profile(profile_id) if profile_id else world.profile
    return UiContext(store, office_info(store), profile, world.city.head, ChangeHub(), TaskRunner())


@pytest.fixture
def ctx(world: World, qtbot: QtBot) -> Iterator[UiContext]:
    context = _ctx(world)
    yield context
    context.tasks.shutdown()


def _type(qtbot: QtBot, table: QTableWidget, row: int, column: int, text: str) -> None:
    """Open the cell's editor as a double-click does, type, press Tab."""
    item = table.item(row, column)
    table.setCurrentCell(row, column)
    table.editItem(item)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # earlier editors
    cell = table.visualItemRect(item)
    editor = next(
        e
        for e in table.viewport().findChildren(QLineEdit)
        if e.isVisible() and e.geometry().intersects(cell)
    )
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert table.item(row, column).text() == text


def _texts(table: QTableWidget, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_shaoxing_transfers_computed_saved_and_exported(
    qtbot: QtBot,
    ctx: UiContext,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = TransfersScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1280, 760)
    screen.show()
    assert screen.year.value() == 2027 and screen.scheme.currentData() == "EMP"
    assert "000 附件 §3.4–3.5" in screen.rule_label.text()
    # September 2026: 80 + 20 million yuan of inpatient spending in the reports
    assert screen.spending.text() == "100,000,000.00"
    assert "1 个月" in screen.spending_note.text() and "2026" in screen.spending_note.text()
    # the city types the year's spending: 12亿 → 3 months are 3亿; the pooled fund holds 0.5亿
    screen.spending.setText("1200000000")
    screen.pooled.setText("50000000")
    table = screen.table
    assert _texts(table, 0) == ["北城区医疗保障局", "南湖县医疗保障局"]
    _type(qtbot, table, 0, BALANCE, "600000000")
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)  # south not typed
    assert "南湖县医疗保障局" in screen.message.text() and not screen.export_button.isEnabled()
    _type(qtbot, table, 1, BALANCE, "4e8")
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    assert "南湖县医疗保障局" in screen.message.text()  # not an amount
    _type(qtbot, table, 1, BALANCE, "400000000")
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    assert not screen.message.isVisible()
    # 2.5亿 of the 10亿 retained: 25 % of each county's balance
    assert _texts(table, TRANSFER) == ["150,000,000.00", "100,000,000.00"]
    assert _texts(table, REMAINING) == ["450,000,000.00", "300,000,000.00"]
    assert _texts(table, BALANCE) == ["600,000,000.00", "400,000,000.00"]  # as amounts
    assert screen.spending.text() == "1,200,000,000.00"
    assert "250,000,000.00" in screen.total_label.text()
    steps = _texts(screen.working, 1)
    assert any("25.0000%" in step for step in steps)
    assert "000 附件 §3.4" in _texts(screen.working, 4)
    screen.grab().save("/tmp/notes/D-transfers.png")

    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    kept = saved_inputs(ctx.store, 2027, "EMP")
    assert kept.citywide_spending == 1_200_000_000_00 and kept.pooled_fund == 50_000_000_00
    assert kept.balances["330602"] == (600_000_000_00, None)

    path = tmp_path / "上划.xlsx"
    monkeypatch.setattr(transfers_view.QFileDialog, "getSaveFileName", lambda *a: (str(path), ""))
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    assert "工作簿已写入" in screen.message.text()
    sheet = load_workbook(path)["上划金额"]
    assert sheet["D4"].value == 150_000_000 and sheet["B6"].value == "合计"

    # a new screen shows what was saved
    again = TransfersScreen(ctx)
    qtbot.addWidget(again)
    assert again.spending.text() == "1,200,000,000.00"
    assert _texts(again.table, BALANCE) == ["600,000,000.00", "400,000,000.00"]
    assert again.pooled.text() == "50,000,000.00"


def test_jining_shows_the_deferred_part_and_no_spending(qtbot: QtBot, world: World) -> None:
    ctx = _ctx(world, "jining")
    screen = TransfersScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    assert not screen.spending.isVisible()
    assert [screen.scheme.itemData(i) for i in range(screen.scheme.count())] == ["EMP"]
    _type(qtbot, screen.table, 0, BALANCE, "100000000")
    _type(qtbot, screen.table, 1, BALANCE, "200000000")
    _type(qtbot, screen.table, 1, BALANCE + 1, "10000000")  # demand deposits
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    assert _texts(screen.table, TRANSFER) == ["30,000,000.00", "60,000,000.00"]
    assert _texts(screen.table, TRANSFER + 2) == ["0.00", "50,000,000.00"]
    ctx.tasks.shutdown()


def test_a_profile_without_a_transfer_rule_shows_a_note(qtbot: QtBot, world: World) -> None:
    ctx = _ctx(world, "suzhou")
    screen = TransfersScreen(ctx)
    qtbot.addWidget(screen)
    assert "没有规定" in screen.rule_label.text() and "003 §3.3" in screen.rule_label.text()
    assert not hasattr(screen, "table")
    ctx.tasks.shutdown()


def test_a_sync_updates_the_spending_note_and_keeps_what_is_typed(
    qtbot: QtBot, ctx: UiContext, world: World
) -> None:
    screen = TransfersScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    ctx.hub.changed.connect(screen.on_changes)
    _type(qtbot, screen.table, 0, BALANCE, "123")
    assert "1 个月" in screen.spending_note.text()
    send_report(
        world.north,
        "EMP",
        Month(2026, 10),
        {("EXP_INPATIENT", ""): 1_000_00},
        sent_at="2026-11-09T10:00:00+08:00",
    )
    sync(world.city.store)
    ctx.hub.publish(Changes.of(Area.OFFICE))
    assert "2 个月" in screen.spending_note.text()
    assert screen.table.item(0, BALANCE).text() == "123"


KEY_PASSWORD = "CitySeal2027!"


def _shaoxing_typed(qtbot: QtBot, screen: TransfersScreen) -> None:
    screen.spending.setText("1200000000")
    screen.pooled.setText("50000000")
    _type(qtbot, screen.table, 0, BALANCE, "600000000")
    _type(qtbot, screen.table, 1, BALANCE, "400000000")


def _issue_dialog(qtbot: QtBot, screen: TransfersScreen) -> PublishDialog:
    qtbot.mouseClick(screen.issue_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, PublishDialog) and dialog.isVisible()
    return dialog


def test_the_head_issues_signs_and_sends(
    qtbot: QtBot,
    ctx: UiContext,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = TransfersScreen(ctx)
    qtbot.addWidget(screen)
    ctx.hub.changed.connect(screen.on_changes)
    screen.resize(1280, 800)
    screen.show()
    assert screen.issue_button.isVisible() and not screen.send_button.isEnabled()
    assert "尚未下达" in screen.issued_label.text()
    _shaoxing_typed(qtbot, screen)

    dialog = _issue_dialog(qtbot, screen)
    listing = dialog.findChild(QPlainTextEdit, "publishSummary")
    assert listing is not None
    text = listing.toPlainText()
    assert "北城区医疗保障局（330602）  150,000,000.00" in text
    assert "250,000,000.00" in text and "2 个县" in text
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no document number
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: "文号" in dialog.error.text(), timeout=30_000)
    assert issued(ctx.store, 2027, "EMP") is None
    dialog.doc_no.setText("绍医保〔2027〕3号")
    dialog.grab().save("/tmp/notes/H-transfer-issue-dialog.png")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    found = issued(ctx.store, 2027, "EMP")
    assert found is not None and found.version == 1 and found.result.total == 250_000_000_00
    assert "第 1 版" in screen.message.text() and "绍医保〔2027〕3号" in screen.issued_label.text()
    assert saved_inputs(ctx.store, 2027, "EMP").balances[NORTH] == (600_000_000_00, None)
    assert screen.send_button.isEnabled()

    # the head signs the form of the version issued
    create_office_key(key_path(ctx.store), KEY_PASSWORD, office_name=NAMES[CITY], office_code=CITY)
    signed = tmp_path / "上划-签章.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(signed), "PDF"))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Close)

    def sign(dialog: SignDialog) -> None:
        dialog.password.setText(KEY_PASSWORD)
        dialog.ok_button.click()

    when_shown(SignDialog, sign)
    assert screen.form_button.text() == "正式报表"
    screen.form_button.sign_action.trigger()
    assert ctx.tasks.wait_idle(60_000)
    qtbot.waitUntil(lambda: signed.exists() and not ctx.tasks.pending, timeout=30_000)
    verdict = screen.form_button.controller.verify(signed)
    assert verdict.ok and verdict.office_code == CITY
    kept = issued(ctx.store, 2027, "EMP")
    assert kept is not None and kept.pdf_fingerprint

    qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "划转通知" in screen.message.text(), timeout=30_000)
    assert "2 个县" in screen.message.text() and not screen.send_button.isEnabled()
    assert "已发送" in screen.issued_label.text()
    screen.grab().save("/tmp/notes/H-transfer-issued.png")
    sync(world.north.store)
    (notice,) = transfer_notices(world.north.store, 2027)
    assert notice.transfer == 150_000_000_00 and notice.doc_no == "绍医保〔2027〕3号"

    # issuing again is a new version, with a reason
    _type(qtbot, screen.table, 1, BALANCE, "900000000")
    again = _issue_dialog(qtbot, screen)
    again.doc_no.setText("绍医保〔2027〕5号")
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "原因" in again.error.text(), timeout=30_000)
    again.reason.setPlainText("南湖县累计结余更正")
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=30_000)
    assert [v.version for v in versions(ctx.store, 2027, "EMP")] == [1, 2]
    assert "第 2 版" in screen.issued_label.text() and screen.send_button.isEnabled()


def test_a_reviewer_does_not_issue(qtbot: QtBot, world: World) -> None:
    store = world.city.store
    actor = accounts.login(store, "liuqiang", REVIEWER_PASSWORD).value
    ctx = UiContext(store, office_info(store), world.profile, actor, ChangeHub(), TaskRunner())
    screen = TransfersScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    assert not screen.issue_button.isVisible() and not screen.send_button.isVisible()
    assert not screen.form_button.sign_action.isVisible()
    # the head issues on another computer: the screen follows, what is typed stays
    ctx.hub.changed.connect(screen.on_changes)
    _type(qtbot, screen.table, 0, BALANCE, "123")
    inputs = TransferInputs(0, 12 * 10**10, {NORTH: (10**10, None), SOUTH: (10**10, None)})
    outcome = issue(
        store, world.city.head, world.profile, 2027, "EMP", inputs, "绍医保1号", date(2027, 1, 5)
    )
    ctx.hub.publish(outcome.changes)
    assert "已下达：第 1 版，绍医保1号" in screen.issued_label.text()
    assert screen.table.item(0, BALANCE).text() == "123"
    ctx.tasks.shutdown()
