"""The fund-use plan screen (用款计划) on the demo office: real widgets typed into and clicked,
by the preparer, the reviewer and the head on one shared office (today 2026-11-23)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from fixtures_office import click
from helpers import CHINA
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.money import daxie, format_fen
from mibdesk.core.periods import Month
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.services import accounts, audit_log, demo, plan_flow, plans
from mibdesk.core.services.plans import PlanView, status_label
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.core.tables.plan_table import APPROVED, JUSTIFICATION, REASON, REQUESTED, SPENT
from mibdesk.ui.app import build_window
from mibdesk.ui.context import UiContext
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.plans.dialogs import DecisionDialog, DisbursementDialog, SuggestionDialog
from mibdesk.ui.plans.view import PlanScreen
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.widgets.grid import GridView

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)
DECEMBER, NOVEMBER = Month(2026, 12), Month(2026, 11)
CTRL = Qt.KeyboardModifier.ControlModifier
SHOTS = Path("/tmp/shots")
PROFILE = load_profile("shaoxing")


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


@pytest.fixture
def hub() -> ChangeHub:
    return ChangeHub()


@pytest.fixture
def open_screen(
    qtbot: QtBot, store: Store, hub: ChangeHub
) -> Iterator[Callable[[str], PlanScreen]]:
    """Open the screen for a demo user, on one shared office and hub."""
    runners: list[TaskRunner] = []

    def open_for(username: str) -> PlanScreen:
        actor = accounts.login(store, username, demo.DEMO_PASSWORD).value
        info = office_info(store)
        runners.append(TaskRunner())
        ctx = UiContext(store, info, load_profile(info.profile_id), actor, hub, runners[-1])
        screen = PlanScreen(ctx)
        qtbot.addWidget(screen)
        hub.changed.connect(screen.on_changes)
        screen.resize(1200, 740)
        screen.show()
        qtbot.waitExposed(screen)
        return screen

    yield open_for
    for runner in runners:
        runner.shutdown()


def stored(store: Store, month: Month = DECEMBER) -> PlanView:
    found = plans.plan_view(store, PROFILE, "EMP", month)
    assert found is not None
    return found


def row(screen: PlanScreen, line: str) -> int:
    found = screen.controller.table.row_of(line)
    assert found is not None
    return found


def shown(screen: PlanScreen, line: str, col: int) -> str:
    return str(screen.grid.model().index(row(screen, line), col).data())


def type_cell(qtbot: QtBot, grid: GridView, at: tuple[int, int], text: str) -> None:
    """Select a cell, press F2, type `text` over what is there and press Enter (Chinese text
    arrives as an input method commits it: QTest types ASCII keys only)."""
    grid.setFocus()
    grid.go_to(*at)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    [editor] = [e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible()]
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:
        editor.insert(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the editor commits on the next event loop turn
    qtbot.waitUntil(lambda: grid.state() != GridView.State.EditingState)


def type_plan(qtbot: QtBot, screen: PlanScreen, line: str, col: int, text: str) -> None:
    type_cell(qtbot, screen.grid, (row(screen, line), col), text)
    qtbot.waitUntil(lambda: not screen.controller.pending)


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
    assert widget.grab().save(str(SHOTS / f"plans-{name}.png"))


def submit_by_services(store: Store) -> None:
    """December's plan reviewed, signed and submitted (the way the workflow test clicks it)."""
    args = (store, PROFILE, "EMP", DECEMBER)
    reviewer = accounts.login(store, "liuqiang", demo.DEMO_PASSWORD).value
    head = accounts.login(store, "zhangli", demo.DEMO_PASSWORD).value
    plan_flow.review_plan(args[0], reviewer, *args[1:])
    plan_flow.sign_plan(args[0], head, *args[1:])
    plan_flow.submit_plan(args[0], head, *args[1:])


def test_december_draft_shows_lines_deadlines_and_versions(
    open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    screen = open_screen("wangfang")
    assert screen.controller.month == DECEMBER
    assert screen.month_combo.currentText() == "2026年12月"
    assert status_label("draft") in screen.status_label.text()
    assert "第1版" in screen.status_label.text()
    view = stored(store)
    assert screen.grid.model().rowCount() == len(view.lines) + 1
    inpatient = view.lines[row(screen, "EXP_INPATIENT")]
    assert shown(screen, "EXP_INPATIENT", SPENT) == format_fen(inpatient.spent)
    header = [screen.grid.model().headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert "本年已拨付" in header and "上月计划（10月）" in header
    totals = screen.totals.requested.text()
    assert format_fen(view.requested_total) in totals and daxie(view.requested_total) in totals
    assert "剩余额度" in screen.totals.quota.text()
    # the deadline chain: four steps, each with its due date and weekday
    steps = [labels for labels in screen.steps.rows[1:] if labels[0].isVisible()]
    assert len(steps) == 4
    assert steps[0][1].text() == "2026-11-25（星期三）" and steps[0][3].text() == "未到期"
    assert [s[0].text() for s in steps][-1] == "市经办机构拨付至县区支出户"
    assert screen.versions.model().rowCount() == 1
    # the preparer neither reviews nor signs
    assert screen.review_button.isHidden() and screen.sign_button.isHidden()
    assert not screen.submit_button.isEnabled()


def test_typing_a_request_saves_at_once(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    screen = open_screen("wangfang")
    type_plan(qtbot, screen, "EXP_OUTPATIENT", REQUESTED, "8,800,000")
    assert screen.message.isHidden()
    line = stored(store).lines[row(screen, "EXP_OUTPATIENT")]
    assert line.requested == 880_000_000
    assert shown(screen, "EXP_OUTPATIENT", REQUESTED) == "8,800,000.00"
    total = stored(store).requested_total
    assert daxie(total) in screen.totals.requested.text()

    QGuiApplication.clipboard().setText("575,100\r\n0\r\n750,000\r\n")  # a block from Excel
    screen.grid.setFocus()
    screen.grid.go_to(row(screen, "EXP_TRANSFER_OUT"), REQUESTED)
    qtbot.keyClick(screen.grid, Qt.Key.Key_V, CTRL)
    qtbot.waitUntil(lambda: stored(store).lines[row(screen, "EXP_OTHER")].requested == 75_000_000)
    assert stored(store).lines[row(screen, "EXP_TRANSFER_OUT")].requested == 57_510_000
    assert screen.grid.undo_stack.count() == 2  # the typed cell, then the block
    assert len(audit_log.entries(store, AuditFilter(action="plan.edit"))) == 2  # one save each


def test_far_above_the_suggestion_asks_for_the_reason(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    screen = open_screen("wangfang")
    before = stored(store)
    line = before.lines[row(screen, "EXP_OTHER")]
    assert line.suggested is not None
    far = format_fen(line.suggested * 2)
    type_plan(qtbot, screen, "EXP_OTHER", REQUESTED, far)
    text = screen.message.text()
    assert screen.message.isVisible() and "理由" in text and "其他支出" in text
    assert stored(store) == before  # not saved
    assert screen.grid.current_cell() == (row(screen, "EXP_OTHER"), JUSTIFICATION)
    shot(screen, "reason-needed")
    type_plan(qtbot, screen, "EXP_OTHER", JUSTIFICATION, "年底集中结算异地就医费用")
    type_plan(qtbot, screen, "EXP_OTHER", REQUESTED, far)
    saved = stored(store).lines[row(screen, "EXP_OTHER")]
    assert saved.requested == line.suggested * 2
    assert saved.justification == "年底集中结算异地就医费用"


def test_total_beyond_the_remaining_quota_is_refused(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    screen = open_screen("wangfang")
    view = stored(store)
    line = view.lines[row(screen, "EXP_INPATIENT")]
    headroom = view.position.remaining_for_plans - view.requested_total
    type_plan(qtbot, screen, "EXP_INPATIENT", JUSTIFICATION, "年底住院费用集中结算")
    type_plan(qtbot, screen, "EXP_INPATIENT", REQUESTED, format_fen(line.requested + headroom + 1))
    text = screen.message.text()
    assert format_fen(view.position.available) in text and "预算调整" in text
    shot(screen, "quota-refused")
    assert stored(store).lines[row(screen, "EXP_INPATIENT")].requested == line.requested
    type_plan(qtbot, screen, "EXP_INPATIENT", REQUESTED, format_fen(line.requested + headroom))
    assert "本计划后剩余 0.00" in screen.totals.quota.text()


def test_workflow_by_three_people_to_money_received(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    preparer, reviewer, head = (open_screen(u) for u in ("wangfang", "liuqiang", "zhangli"))
    type_plan(qtbot, preparer, "EXP_OUTPATIENT", REQUESTED, "8,800,000")

    assert head.sign_button.isVisible() and not head.sign_button.isEnabled()
    click(reviewer.review_button)
    assert stored(store).status == "reviewed" and "审核通过" in reviewer.message.text()
    assert status_label("reviewed") in preparer.status_label.text()  # the hub told the others
    assert head.sign_button.isEnabled()
    click(head.sign_button)
    assert stored(store).status == "signed"
    qtbot.waitUntil(preparer.submit_button.isEnabled)
    click(preparer.submit_button)
    assert stored(store).status == "submitted"
    assert status_label("submitted") in preparer.status_label.text()
    assert preparer.decision_button.isEnabled()

    inpatient = stored(store).lines[row(preparer, "EXP_INPATIENT")]
    cut = inpatient.requested - 200_000_000

    def decide(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        click(dialog.buttons["reduced"])
        assert dialog.grid.isVisible()
        where = dialog.table.rows.index(
            next(r for r in dialog.table.rows if r.line == "EXP_INPATIENT")
        )
        type_cell(qtbot, dialog.grid, (where, 2), format_fen(cut))
        click(dialog.ok_button)  # no reason for the cut: refused, the dialog stays
        assert dialog.isVisible() and dialog.error.text().startswith("住院医疗费用支出：")
        type_cell(qtbot, dialog.grid, (where, 3), "超出上年同期水平")
        dialog.date.setDate(QDate(2026, 11, 27))
        shot(dialog, "decision-dialog")
        click(dialog.ok_button)

    answer(decide)
    click(preparer.decision_button)
    view = stored(store)
    assert view.status == "approved" and view.decided_on == "2026-11-27"
    assert view.approved_total == view.requested_total - 200_000_000
    assert shown(preparer, "EXP_INPATIENT", APPROVED) == format_fen(cut)
    assert shown(preparer, "EXP_INPATIENT", REASON) == "超出上年同期水平"
    assert daxie(view.approved_total) in preparer.totals.approved.text()
    assert not preparer.grid.isColumnHidden(APPROVED)

    approved = view.approved_total

    def receive(dialog: QDialog) -> None:
        assert isinstance(dialog, DisbursementDialog)
        dialog.amount.setText(format_fen(approved + 100))
        click(dialog.ok_button)
        assert dialog.isVisible() and format_fen(approved) in dialog.error.text()
        dialog.amount.clear()
        qtbot.keyClicks(dialog.amount, format_fen(approved - 50_000_000))
        dialog.date.setDate(QDate(2026, 12, 9))
        click(dialog.ok_button)

    answer(receive)
    click(preparer.disbursement_button)
    view = stored(store)
    assert view.status == "disbursed" and view.disbursed_amount == approved - 50_000_000
    assert view.disbursed_on == "2026-12-09"
    assert status_label("disbursed") in preparer.status_label.text()
    assert "2026-12-09" in preparer.notice.text()
    steps = [labels for labels in preparer.steps.rows[1:5]]
    assert [s[2].text() for s in steps] == ["2026-11-23", "2026-11-27", "2026-12-09", "2026-12-09"]
    assert steps[0][3].text() == "按时完成"


def test_returned_plan_is_drafted_again_as_version_two(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    submit_by_services(store)
    reviewer = open_screen("liuqiang")
    assert reviewer.decision_button.isEnabled()

    def return_it(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        click(dialog.buttons["returned"])
        assert not dialog.grid.isVisible()
        click(dialog.ok_button)  # no reasons: refused
        assert dialog.isVisible() and dialog.error.text()
        dialog.note.setPlainText("住院费用申请额偏高，请按上年同期水平调整后重报")
        click(dialog.ok_button)

    answer(return_it)
    click(reviewer.decision_button)
    assert stored(store).status == "returned"
    assert reviewer.notice.isVisible() and "偏高" in reviewer.notice.text()
    assert reviewer.redraft_button.isVisible() and reviewer.draft_button.isHidden()
    assert reviewer.steps.rows[3][3].text() == "已退回，待县区修订重报"
    shot(reviewer, "returned")

    click(reviewer.redraft_button)
    view = stored(store)
    assert (view.version, view.status) == (2, "draft")
    assert [(v.version, v.status) for v in view.versions] == [(1, "returned"), (2, "draft")]
    assert "第2版" in reviewer.status_label.text()
    model = reviewer.versions.model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["第2版", "第1版"]
    assert model.index(1, 1).data() == status_label("returned")
    # liuqiang drafted version 2: another person must review it
    assert reviewer.review_button.isVisible() and not reviewer.review_button.isEnabled()
    assert "须由他人审核" in reviewer.notice.text()


def test_send_back_needs_a_reason(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    reviewer = open_screen("liuqiang")
    click(reviewer.review_button)
    assert reviewer.send_back_button.isEnabled()

    def send_back(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        click(dialog.ok_button)
        assert dialog.isVisible() and dialog.error.text()
        dialog.reason.setPlainText("门诊统筹申请额请与结算清单核对")
        click(dialog.ok_button)

    answer(send_back)
    click(reviewer.send_back_button)
    assert stored(store).status == "draft" and "退回" in reviewer.message.text()


def test_suggestion_working_and_a_month_without_quota(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen]
) -> None:
    screen = open_screen("wangfang")

    def working(dialog: QDialog) -> None:
        assert isinstance(dialog, SuggestionDialog)
        names = [r.name for r in dialog.lines.rows]
        assert dialog.lines.rows[names.index("住院医疗费用支出")].method == "上年同月×增长系数"
        assert "住院医疗费用支出" in dialog.step_title.text()
        labels = [step.label for step in dialog.working.rows]
        assert any("2025年12月" in label for label in labels)
        shot(dialog, "working-dialog")

    answer(working)
    screen.grid.go_to(row(screen, "EXP_INPATIENT"), 0)
    click(screen.working_button)

    screen.month_combo.setCurrentIndex(screen.month_combo.findData(str(NOVEMBER)))
    assert status_label("disbursed") in screen.status_label.text()
    assert "2026-11-08" in screen.notice.text()
    assert not screen.grid.isColumnHidden(APPROVED)


def test_hidden_screen_refreshes_when_shown(
    qtbot: QtBot, open_screen: Callable[[str], PlanScreen], store: Store
) -> None:
    reviewer, preparer = open_screen("liuqiang"), open_screen("wangfang")
    preparer.hide()
    click(reviewer.review_button)
    assert preparer.controller.view is not None and preparer.controller.view.status == "draft"
    preparer.show()
    qtbot.waitExposed(preparer)
    assert preparer.controller.view is not None and preparer.controller.view.status == "reviewed"


def test_screenshots_at_1366_by_768(qtbot: QtBot, store: Store) -> None:
    window = build_window(store, accounts.login(store, "liuqiang", demo.DEMO_PASSWORD).value, True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        window.show_screen("plans")
        screen = window.screen_widget("plans")
        assert isinstance(screen, PlanScreen)
        QApplication.processEvents()
        shot(window, "draft")
        header = screen.grid.horizontalHeader()
        assert header.length() <= screen.grid.viewport().width()  # no sideways scroll
        screen.month_combo.setCurrentIndex(screen.month_combo.findData(str(NOVEMBER)))
        QApplication.processEvents()
        shot(window, "disbursed")
        assert header.length() <= screen.grid.viewport().width()
        assert date.today() is not None
    finally:
        window.ctx.tasks.shutdown()
