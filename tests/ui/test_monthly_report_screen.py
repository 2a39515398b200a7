"""The monthly report screen on the demo office: real widgets typed into, clicked and pasted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fixtures_office import click
from helpers import CHINA
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.monthly import Cell, ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.services import accounts, audit_log, demo
from mibdesk.core.services.figures import MonthForm, month_form, save_cells
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.core.tables.figure_edits import format_figure
from mibdesk.core.tables.month_table import OWN, TOWNSHIPS, VALUE, YTD
from mibdesk.ui.app import build_window
from mibdesk.ui.context import UiContext
from mibdesk.ui.figures.dialogs import (
    AmendmentDialog,
    CellHistoryDialog,
    PrepareDialog,
    ReasonDialog,
)
from mibdesk.ui.figures.view import TOWNSHIP_TAB, MonthlyReportScreen
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.widgets.grid import GridView

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)
NOVEMBER, OCTOBER, SEPTEMBER = Month(2026, 11), Month(2026, 10), Month(2026, 9)
CTRL = Qt.KeyboardModifier.ControlModifier
SHOTS = Path("/tmp/shots")


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


@pytest.fixture
def hub() -> ChangeHub:
    return ChangeHub()


@pytest.fixture
def open_screen(
    qtbot: QtBot, store: Store, hub: ChangeHub
) -> Iterator[Callable[[str], MonthlyReportScreen]]:
    """Open the screen for a demo user, on one shared office and hub (as several PCs would
    see the same office, minus the network)."""
    runners: list[TaskRunner] = []

    def open_for(username: str) -> MonthlyReportScreen:
        actor = accounts.login(store, username, demo.DEMO_PASSWORD).value
        info = office_info(store)
        runners.append(TaskRunner())
        ctx = UiContext(store, info, load_profile(info.profile_id), actor, hub, runners[-1])
        screen = MonthlyReportScreen(ctx)
        qtbot.addWidget(screen)
        hub.changed.connect(screen.on_changes)
        screen.resize(1200, 700)
        screen.show()
        qtbot.waitExposed(screen)
        return screen

    yield open_for
    for runner in runners:
        runner.shutdown()


def stored(store: Store, scheme: str, month: Month) -> MonthForm:
    return month_form(store, load_profile("shaoxing"), scheme, month)


def choose(screen: MonthlyReportScreen, scheme: str, month: Month) -> None:
    screen.scheme_combo.setCurrentIndex(screen.scheme_combo.findData(scheme))
    screen.month_combo.setCurrentIndex(screen.month_combo.findData(str(month)))


def row(screen: MonthlyReportScreen, line: str) -> int:
    found = screen.controller.table.row_of(line)
    assert found is not None
    return found


def shown(screen: MonthlyReportScreen, line: str, col: int) -> str:
    return str(screen.grid.model().index(row(screen, line), col).data())


def type_figure(qtbot: QtBot, screen: MonthlyReportScreen, line: str, text: str) -> None:
    """Select the 本级填报 cell of `line`, type `text` and press Enter, as a user would."""
    grid = screen.grid
    grid.setFocus()
    grid.go_to(row(screen, line), OWN)
    qtbot.keyClicks(grid, text[0])
    [editor] = [e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the editor commits on the next event loop turn
    editing = GridView.State.EditingState
    qtbot.waitUntil(lambda: grid.state() != editing and not screen.controller.pending)


def saves(store: Store) -> int:
    return len(audit_log.entries(store, AuditFilter(action="figures.save")))


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


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"figures-{name}.png"))


def test_opens_on_last_month_with_its_status(
    open_screen: Callable[[str], MonthlyReportScreen],
) -> None:
    screen = open_screen("wangfang")
    assert screen.controller.month == OCTOBER
    assert screen.month_combo.currentText() == "2026年10月"
    assert "状态" in screen.status_label.text()
    assert screen.grid.isColumnHidden(TOWNSHIPS)  # the employee scheme has no townships
    assert not screen.tabs.isTabEnabled(TOWNSHIP_TAB)
    click(screen.next_button)
    assert screen.controller.month == NOVEMBER and not screen.next_button.isEnabled()
    click(screen.prev_button)
    assert screen.controller.month == OCTOBER


def test_typing_saves_at_once_blank_differs_from_zero(
    qtbot: QtBot, store: Store, open_screen: Callable[[str], MonthlyReportScreen]
) -> None:
    screen = open_screen("wangfang")
    choose(screen, "EMP", NOVEMBER)
    assert shown(screen, "ENR_PUBLIC", OWN) == ""

    type_figure(qtbot, screen, "ENR_PUBLIC", "12345")
    type_figure(qtbot, screen, "INC_OTHER", "1234567.8")
    type_figure(qtbot, screen, "ENR_FLEXIBLE", "0")
    type_figure(qtbot, screen, "INC_INTEREST", "0")

    form = stored(store, "EMP", NOVEMBER)
    assert form.cells[Cell("ENR_PUBLIC")] == 12345 and form.cells[Cell("INC_OTHER")] == 123456780
    assert shown(screen, "ENR_PUBLIC", OWN) == shown(screen, "ENR_PUBLIC", VALUE) == "12,345"
    assert shown(screen, "INC_OTHER", OWN) == "1,234,567.80"
    assert shown(screen, "INC_OTHER", YTD) == format_figure("fen", form.row("INC_OTHER").ytd)
    assert shown(screen, "ENR_IN_SERVICE", VALUE) == "12,345"
    assert (shown(screen, "ENR_FLEXIBLE", OWN), shown(screen, "INC_INTEREST", OWN)) == ("0", "0.00")
    assert shown(screen, "ENR_RETIRED", OWN) == ""  # blank: not reported, not zero
    align = (
        screen.grid.model()
        .index(row(screen, "INC_OTHER"), OWN)
        .data(Qt.ItemDataRole.TextAlignmentRole)
    )
    assert Qt.AlignmentFlag(align) & Qt.AlignmentFlag.AlignRight
    assert saves(store) == 4

    screen.grid.setFocus()
    qtbot.keyClick(screen.grid, Qt.Key.Key_Z, CTRL)  # undo the last figure typed
    qtbot.waitUntil(lambda: Cell("INC_INTEREST") not in stored(store, "EMP", NOVEMBER).cells)
    assert shown(screen, "INC_INTEREST", OWN) == ""
    qtbot.keyClick(screen.grid, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: Cell("INC_INTEREST") in stored(store, "EMP", NOVEMBER).cells)


@pytest.mark.parametrize(("line", "text"), [("ENR_PUBLIC", "-5"), ("INC_OTHER", "abc")])
def test_bad_figure_shows_an_error_and_changes_nothing(
    qtbot: QtBot,
    store: Store,
    open_screen: Callable[[str], MonthlyReportScreen],
    line: str,
    text: str,
) -> None:
    screen = open_screen("wangfang")
    choose(screen, "EMP", NOVEMBER)
    type_figure(qtbot, screen, line, text)
    assert screen.message.isVisible() and screen.message.text()
    assert stored(store, "EMP", NOVEMBER).cells == {}
    assert shown(screen, line, OWN) == "" and saves(store) == 0


def test_pasted_block_is_one_save_and_one_undo(
    qtbot: QtBot, store: Store, open_screen: Callable[[str], MonthlyReportScreen]
) -> None:
    screen = open_screen("wangfang")
    choose(screen, "EMP", NOVEMBER)
    QGuiApplication.clipboard().setText("19,562\r\n78330\r\n１５６３４\r\n")
    screen.grid.setFocus()
    screen.grid.go_to(row(screen, "ENR_PUBLIC"), OWN)
    qtbot.keyClick(screen.grid, Qt.Key.Key_V, CTRL)
    qtbot.waitUntil(lambda: saves(store) == 1)
    cells = stored(store, "EMP", NOVEMBER).cells
    assert [cells[Cell(c)] for c in ("ENR_PUBLIC", "ENR_ENTERPRISE", "ENR_FLEXIBLE")] == [
        19562,
        78330,
        15634,
    ]
    assert shown(screen, "ENR_IN_SERVICE", VALUE) == "113,526"
    assert screen.grid.undo_stack.count() == 1

    qtbot.keyClick(screen.grid, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: saves(store) == 2)
    assert stored(store, "EMP", NOVEMBER).cells == {}
    assert shown(screen, "ENR_IN_SERVICE", VALUE) == ""


def test_hard_problem_is_listed_and_selects_its_cell(
    qtbot: QtBot, open_screen: Callable[[str], MonthlyReportScreen]
) -> None:
    screen = open_screen("wangfang")
    choose(screen, "EMP", NOVEMBER)
    assert screen.problems.problems == []
    type_figure(qtbot, screen, "ENR_PUBLIC", "100")
    panel = screen.problems
    hard = [p for p in panel.problems if p.severity == "hard"]
    assert hard and "错误" in panel.title.text()
    problem = hard[-1]
    item = panel.list.topLevelItem(panel.problems.index(problem))
    assert item is not None and item.text(0) == "错误"
    panel.list.scrollToItem(item)
    rect = panel.list.visualItemRect(item)
    QTest.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen.grid.current_cell() == (row(screen, problem.line), OWN)
    assert problem.message in panel.detail.text() and problem.source in panel.detail.text()
    cell = screen.grid.model().index(row(screen, problem.line), OWN)
    assert problem.message in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_workflow_by_three_users(
    qtbot: QtBot, store: Store, open_screen: Callable[[str], MonthlyReportScreen]
) -> None:
    reviewer = open_screen("liuqiang")
    preparer = open_screen("wangfang")
    head = open_screen("zhangli")
    assert reviewer.review_button.isEnabled() and not preparer.review_button.isVisibleTo(preparer)

    def send_back(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason.setPlainText("住院支出与结算清单不符，请核对")
        click(dialog.ok_button)

    answer(send_back)
    click(reviewer.send_back_button)
    assert stored(store, "EMP", OCTOBER).status == ReportStatus.DRAFT
    assert "住院支出与结算清单不符" in preparer.notice.text()  # refreshed through the hub
    assert preparer.prepare_button.isEnabled()
    # October as generated holds no warning: the preparer books 6,000,000.00 more remote-care
    # settlement (the balance follows), so the month spends more than came in (当期结余为负)
    before = stored(store, "EMP", OCTOBER).cells
    actor = accounts.login(store, "wangfang", demo.DEMO_PASSWORD).value
    save_cells(
        store,
        actor,
        load_profile("shaoxing"),
        "EMP",
        OCTOBER,
        {
            Cell("EXP_REMOTE"): before[Cell("EXP_REMOTE")] + 6_000_000_00,
            Cell("BAL_END"): before[Cell("BAL_END")] - 6_000_000_00,
        },
    )
    preparer.refresh()
    warning = next(p for p in preparer.problems.problems if p.rule == "current_balance")

    def explain(dialog: QDialog) -> None:
        assert isinstance(dialog, PrepareDialog)
        assert warning.key in dialog.boxes
        for box in dialog.boxes.values():
            box.setPlainText("10月集中拨付异地就医清算款，当期支出增加")
        click(dialog.ok_button)

    answer(explain)
    click(preparer.prepare_button)
    form = stored(store, "EMP", OCTOBER)
    assert form.status == ReportStatus.PREPARED
    assert form.explanations[warning.key].startswith("10月集中拨付")
    assert "已提交审核" in preparer.message.text()
    assert not preparer.review_button.isVisibleTo(preparer)  # a preparer never reviews

    click(reviewer.review_button)
    assert stored(store, "EMP", OCTOBER).status == ReportStatus.REVIEWED
    click(head.approve_button)
    assert stored(store, "EMP", OCTOBER).status == ReportStatus.APPROVED
    assert "锁定" in preparer.notice.text()
    assert preparer.amend_button.isEnabled() and not preparer.prepare_button.isEnabled()

    # locked: the cells no longer open an editor, and a paste is refused
    own = preparer.grid.model().index(row(preparer, "INC_OTHER"), OWN)
    assert not own.flags() & Qt.ItemFlag.ItemIsEditable
    preparer.grid.go_to(row(preparer, "INC_OTHER"), OWN)
    errors = preparer.grid.paste_tsv("1.00")
    assert errors and preparer.message.text()
    assert stored(store, "EMP", OCTOBER).cells == form.cells


def test_amendment_with_differences_history_and_separation_of_duties(
    qtbot: QtBot, store: Store, open_screen: Callable[[str], MonthlyReportScreen]
) -> None:
    head = open_screen("zhangli")
    choose(head, "EMP", SEPTEMBER)
    before = stored(store, "EMP", SEPTEMBER).cells[Cell("ENR_RETIRED")]
    assert not head.compare_button.isEnabled() and head.amend_button.isEnabled()

    def amend(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        click(dialog.ok_button)  # no reason: refused, the dialog stays
        assert dialog.error.text() and dialog.isVisible()
        dialog.reason.setPlainText("退休人员数据迟报，补报12人")
        click(dialog.ok_button)

    answer(amend)
    click(head.amend_button)
    assert stored(store, "EMP", SEPTEMBER).status == ReportStatus.DRAFT
    assert "退休人员数据迟报" in head.notice.text() and "第1次更正" in head.status_label.text()

    type_figure(qtbot, head, "ENR_RETIRED", str(before + 12))
    assert stored(store, "EMP", SEPTEMBER).cells[Cell("ENR_RETIRED")] == before + 12
    assert head.compare_button.isEnabled()

    def compare(dialog: QDialog) -> None:
        assert isinstance(dialog, AmendmentDialog)
        shot(dialog, "amendment-dialog")
        model = dialog.grid.model()
        assert model.rowCount() == 1
        texts = [model.index(0, c).data() for c in range(model.columnCount())]
        assert texts == [
            "第1次更正",
            str(row(head, "ENR_RETIRED") + 1),
            "退休人员",
            "本级",
            format_figure("persons", before),
            format_figure("persons", before + 12),
            "12",
        ]
        assert "退休人员数据迟报" in dialog.heading.text()
        opened.append("compare")

    opened: list[str] = []
    answer(compare)
    click(head.compare_button)

    def history(dialog: QDialog) -> None:
        assert isinstance(dialog, CellHistoryDialog)
        model = dialog.grid.model()
        assert model.rowCount() == 1
        assert model.index(0, 1).data() == "张丽（zhangli）"
        assert model.index(0, 2).data() == format_figure("persons", before)
        assert model.index(0, 3).data() == format_figure("persons", before + 12)
        assert model.index(0, 5).data() == "第1次更正"
        shot(dialog, "history-dialog")
        opened.append("history")

    head.grid.go_to(row(head, "ENR_RETIRED"), VALUE)  # a read-only cell: double-click
    answer(history)
    where = head.grid.visualRect(head.grid.currentIndex()).center()
    # an item view takes a double click only after the press that starts it
    QTest.mouseClick(head.grid.viewport(), Qt.MouseButton.LeftButton, pos=where)
    QTest.mouseDClick(head.grid.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert opened == ["compare", "history"]

    click(head.prepare_button)
    assert stored(store, "EMP", SEPTEMBER).status == ReportStatus.PREPARED
    # the head prepared it herself: another person must review, so her button is off
    assert not head.review_button.isEnabled()
    assert stored(store, "EMP", SEPTEMBER).status == ReportStatus.PREPARED


def test_township_breakdown_reported_missing_and_totals(
    qtbot: QtBot, store: Store, open_screen: Callable[[str], MonthlyReportScreen]
) -> None:
    screen = open_screen("wangfang")
    choose(screen, "RES", OCTOBER)
    assert screen.tabs.isTabEnabled(TOWNSHIP_TAB) and not screen.grid.isColumnHidden(TOWNSHIPS)
    screen.tabs.setCurrentIndex(TOWNSHIP_TAB)
    view = screen.township
    model, table = view.grid.model(), screen.controller.townships
    assert model.rowCount() == 14
    assert [model.index(r, 2).data() for r in range(12)] == ["已报送"] * 12
    form = stored(store, "RES", OCTOBER)
    for col, line in enumerate(table.lines, start=3):
        assert model.index(table.total_row, col).data() == format_figure(
            line.unit, form.row(line.code).value
        )
    assert "已报送12个" in view.summary.text()

    choose(screen, "RES", NOVEMBER)
    assert [model.index(r, 2).data() for r in range(12)] == ["未报送"] * 12
    view.grid.setFocus()
    view.grid.go_to(0, 3)
    QGuiApplication.clipboard().setText("43,600\t43,300\r\n")
    qtbot.keyClick(view.grid, Qt.Key.Key_V, CTRL)
    qtbot.waitUntil(lambda: model.index(0, 2).data() == "已报送")
    assert model.index(1, 2).data() == "未报送" and "未报送" in view.summary.text()
    assert model.index(table.total_row, 3).data() == "43,600"
    assert shown(screen, "ENR_ADULT", TOWNSHIPS) == shown(screen, "ENR_ADULT", VALUE) == "43,600"
    code = table.breakdown.townships[0].code
    assert stored(store, "RES", NOVEMBER).cells[Cell("ENR_MINOR", code)] == 43300


def test_hidden_screen_refreshes_when_shown(
    qtbot: QtBot, store: Store, hub: ChangeHub, open_screen: Callable[[str], MonthlyReportScreen]
) -> None:
    reviewer, preparer = open_screen("liuqiang"), open_screen("wangfang")
    preparer.hide()
    click(reviewer.review_button)
    assert preparer.controller.form.status == ReportStatus.PREPARED  # not read while hidden
    preparer.show()
    qtbot.waitExposed(preparer)
    assert preparer.controller.form.status == ReportStatus.REVIEWED


def test_screenshots_at_1366_by_768(qtbot: QtBot, store: Store) -> None:
    window = build_window(store, accounts.login(store, "wangfang", demo.DEMO_PASSWORD).value, True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        window.show_screen("figures")
        screen = window.screen_widget("figures")
        assert isinstance(screen, MonthlyReportScreen)
        QApplication.processEvents()
        shot(window, "grid")
        choose(screen, "RES", OCTOBER)
        screen.tabs.setCurrentIndex(TOWNSHIP_TAB)
        QApplication.processEvents()
        shot(window, "townships")
        header = screen.township.grid.horizontalHeader()
        assert header.length() <= screen.township.grid.viewport().width()  # no sideways scroll
    finally:
        window.ctx.tasks.shutdown()
