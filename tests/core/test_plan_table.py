"""The Qt-free grid of the monthly fund-use plan (用款计划), over the real plan services on a
copy of the demo office (today 2026-11-23: December is a draft, November disbursed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime

import pytest
from helpers import CHINA

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.rules.deadlines import Deadline
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts, demo, plans
from mibdesk.core.services.plan_flow import StepStatus
from mibdesk.core.services.plans import PlanView, status_label
from mibdesk.core.services.store import Store
from mibdesk.core.table import collect_problems
from mibdesk.core.tables.plan_table import (
    APPROVED,
    JUSTIFICATION,
    LAST_ACTUAL,
    LAST_PLAN,
    NAME,
    QUOTA,
    REASON,
    RECEIVED,
    REQUESTED,
    SPENT,
    SUGGESTED,
    PlanTable,
    ReductionRow,
    chain_states,
    quota_refusal,
    quota_summary,
    reductions,
    step_state_text,
)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)
DECEMBER, NOVEMBER = Month(2026, 12), Month(2026, 11)


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


class Saves:
    """The save callback of a plan table: calls `set_requests`, counts the calls."""

    def __init__(self, store: Store, month: Month = DECEMBER) -> None:
        self.store, self.month = store, month
        self.actor: Actor = accounts.login(store, "wangfang", demo.DEMO_PASSWORD).value
        self.profile: Profile = load_profile("shaoxing")
        self.calls: list[dict[str, tuple[int, str]]] = []

    def __call__(self, edits: Mapping[str, tuple[int, str]]) -> PlanView:
        self.calls.append(dict(edits))
        args = (self.store, self.actor, self.profile, "EMP", self.month)
        return plans.set_requests(*args, edits).value

    def view(self) -> PlanView:
        found = plans.plan_view(self.store, self.profile, "EMP", self.month)
        assert found is not None
        return found


def table_for(saves: Saves, deferred: Callable[[], None] | None = None) -> PlanTable:
    return PlanTable(saves.view(), saves, deferred=deferred)


def at(table: PlanTable, line: str) -> int:
    row = table.row_of(line)
    assert row is not None
    return row


def shown(table: PlanTable, row: int, col: int) -> str:
    return table.cell(row, col).display


def test_draft_shows_each_line_with_its_figures_and_a_total(store: Store) -> None:
    saves = Saves(store)
    table, view = table_for(saves), saves.view()
    assert table.row_count() == len(view.lines) + 1
    titles = [c.title for c in table.columns]
    assert titles[LAST_PLAN] == "上月计划（10月）" and titles[LAST_ACTUAL] == "上月实际（10月）"
    assert titles[RECEIVED] == "本年已拨付" and titles[REQUESTED] == "申请额"
    inpatient = at(table, "EXP_INPATIENT")
    line = view.lines[inpatient]
    assert shown(table, inpatient, NAME) == "住院医疗费用支出"
    assert shown(table, inpatient, RECEIVED) == format_fen(line.received)
    assert shown(table, inpatient, SPENT) == format_fen(line.spent) and line.spent > 0
    assert table.is_editable(inpatient, REQUESTED) and table.is_editable(inpatient, JUSTIFICATION)
    assert not table.cell(inpatient, REQUESTED).computed
    assert table.cell(inpatient, SPENT).computed and not table.is_editable(inpatient, SPENT)
    total = table.row_count() - 1
    assert shown(table, total, NAME) == "合计" and not table.is_editable(total, REQUESTED)
    assert table.cell(total, REQUESTED).value == view.requested_total
    # Shaoxing sets no quota per line; nothing decided yet
    assert table.hidden_columns() == {QUOTA, APPROVED, REASON}


def test_typed_request_is_saved_with_separators(store: Store) -> None:
    saves = Saves(store)
    table = table_for(saves)
    other = at(table, "EXP_OTHER")
    suggested = saves.view().lines[other].suggested
    assert suggested is not None
    amount = suggested + 100_000  # 1,000 yuan above the suggestion: no reason needed
    assert table.set_text(other, REQUESTED, format_fen(amount)) is None
    assert saves.calls == [{"EXP_OTHER": (amount, "")}]
    assert saves.view().lines[other].requested == amount
    assert shown(table, other, REQUESTED) == format_fen(amount)
    assert table.cell(table.row_count() - 1, REQUESTED).value == saves.view().requested_total
    # the contract: the text shown stores the same value again
    assert table.set_text(other, REQUESTED, shown(table, other, REQUESTED)) is None


def test_far_above_the_suggestion_needs_a_reason(store: Store) -> None:
    saves = Saves(store)
    table = table_for(saves)
    other = at(table, "EXP_OTHER")
    before = saves.view()
    suggested = before.lines[other].suggested
    assert suggested is not None
    far = suggested * 2
    error = table.set_text(other, REQUESTED, format_fen(far))
    assert error is not None and "理由" in error and "其他支出" in error
    assert table.wants_reason == "EXP_OTHER"
    assert saves.view() == before  # nothing stored
    assert table.set_text(other, JUSTIFICATION, "年底集中结算异地就医费用") is None
    assert table.set_text(other, REQUESTED, format_fen(far)) is None
    line = saves.view().lines[other]
    assert (line.requested, line.justification) == (far, "年底集中结算异地就医费用")
    assert line.justification_needed  # still well above: the reason answers the prompt
    assert collect_problems(table) == []


def test_pasted_edits_wait_for_one_save(store: Store) -> None:
    saves = Saves(store)
    waits: list[int] = []
    table = table_for(saves, deferred=lambda: waits.append(1))
    other, transfer = at(table, "EXP_OTHER"), at(table, "EXP_TRANSFER_OUT")
    assert table.set_text(other, REQUESTED, "750,000") is None
    assert table.set_text(transfer, REQUESTED, "575,100.5") is None
    assert table.set_text(other, JUSTIFICATION, "按上年同期") is None
    assert waits == [1] and table.pending and saves.calls == []
    assert shown(table, other, REQUESTED) == "750,000.00"  # shown while waiting
    assert table.flush() is None
    assert saves.calls == [
        {"EXP_TRANSFER_OUT": (57_510_050, ""), "EXP_OTHER": (75_000_000, "按上年同期")}
    ]
    assert not table.pending


def test_request_beyond_the_remaining_quota_is_refused_with_numbers(store: Store) -> None:
    saves = Saves(store)
    table = table_for(saves)
    view = saves.view()
    position = view.position
    inpatient = at(table, "EXP_INPATIENT")
    line = view.lines[inpatient]
    over = line.requested + position.remaining_for_plans - view.requested_total + 100
    table.set_text(inpatient, JUSTIFICATION, "年底集中结算")
    error = table.set_text(inpatient, REQUESTED, format_fen(over))
    assert error is not None
    assert format_fen(position.available) in error
    assert format_fen(position.approved_plans) in error
    assert saves.view().lines[inpatient].requested == line.requested


def test_bad_text_changes_nothing(store: Store) -> None:
    saves = Saves(store)
    table = table_for(saves)
    other = at(table, "EXP_OTHER")
    assert table.set_text(other, REQUESTED, "abc")
    assert table.set_text(other, SPENT, "1") == "此单元格不可修改"
    assert saves.calls == []


def test_decided_plan_is_read_only_and_shows_the_decision(store: Store) -> None:
    saves = Saves(store, NOVEMBER)
    table = table_for(saves)
    assert not any(
        table.is_editable(row, col)
        for row in range(table.row_count())
        for col in range(len(table.columns))
    )
    error = table.set_text(0, REQUESTED, "1")
    assert error is not None and status_label("disbursed") in error
    assert table.hidden_columns() == {QUOTA, SUGGESTED}
    assert shown(table, 0, APPROVED) == format_fen(saves.view().lines[0].approved or 0)


def test_stored_suggestion_first_else_todays(store: Store) -> None:
    saves = Saves(store)
    view = saves.view()
    bare = replace(view, lines=tuple(replace(line, suggested=None) for line in view.lines))
    table = PlanTable(bare, saves, live={"EXP_OTHER": 123_400})
    assert table.cell(at(table, "EXP_OTHER"), SUGGESTED).value == 123_400
    assert table.cell(at(table, "EXP_INPATIENT"), SUGGESTED).value is None
    stored = PlanTable(view, saves, live={"EXP_OTHER": 1})
    other = at(table, "EXP_OTHER")
    assert stored.cell(other, SUGGESTED).value == view.lines[other].suggested != 1


def test_quota_summary_and_refusal(store: Store) -> None:
    view = Saves(store).view()
    summary = quota_summary(view)
    position = view.position
    assert summary.left_after == position.remaining_for_plans - view.requested_total
    assert summary.refusal is None and quota_refusal(view) is None
    cut = replace(view, position=replace(position, available=position.approved_plans))
    refusal = quota_refusal(cut)
    assert refusal is not None and format_fen(view.requested_total) in refusal
    assert quota_summary(cut).refusal == refusal
    table = PlanTable(cut, Saves(store))
    total = table.cell(table.row_count() - 1, REQUESTED)
    assert total.severity == "hard" and total.problem == refusal
    decided = Saves(store, NOVEMBER).view()
    assert quota_summary(decided).left_after is None and quota_refusal(decided) is None


def test_reductions_name_the_cut_lines() -> None:
    rows = [
        ReductionRow("EXP_INPATIENT", "住院医疗费用支出", 1_000_000, 800_000, "超过上年同期"),
        ReductionRow("EXP_OTHER", "其他支出", 50_000, 50_000),
    ]
    assert reductions(rows) == {"EXP_INPATIENT": (800_000, "超过上年同期")}
    with pytest.raises(ValidationError, match="批复额"):
        reductions([replace(rows[1], approved=None)])


def test_step_states_say_who_is_late() -> None:
    due = date(2026, 11, 25)
    deadline = Deadline("city_apply", "市经办机构审核并向财政申请", "city", due, due, "", "")
    assert step_state_text(StepStatus(deadline, None, 2, "late")) == "市经办机构逾期2个工作日"
    late_done = StepStatus(deadline, date(2026, 11, 27), 2, "late")
    assert step_state_text(late_done) == "已完成，市经办机构逾期2个工作日"
    assert step_state_text(StepStatus(deadline, due, 0, "done")) == "按时完成"
    assert step_state_text(StepStatus(deadline, None, 0, "open")) == "未到期"
    unknown = replace(deadline, due=None, problem="尚无2027年工作日历")
    assert step_state_text(StepStatus(unknown, None, None, "unknown")) == "尚无2027年工作日历"


def test_nobody_is_late_for_a_step_that_has_not_reached_them() -> None:
    county = Deadline(
        "county_plan", "县区报送下月用款计划", "county", None, date(2026, 11, 25), "", ""
    )
    city = Deadline(
        "city_apply", "市经办机构审核并向财政申请", "city", None, date(2026, 11, 30), "", ""
    )
    finance = Deadline("finance_disburse", "市财政拨付至市经办机构", "finance", None, None, "", "")
    steps = [
        StepStatus(county, None, 3, "late"),
        StepStatus(city, None, 1, "late"),  # plan_steps counts from the due date alone
        StepStatus(finance, None, None, "unknown"),
    ]
    assert chain_states(steps) == [
        ("县区逾期3个工作日", "late"),
        ("等待县区办理", "open"),
        ("等待县区办理", "open"),
    ]
    submitted = [
        replace(steps[0], done_on=date(2026, 11, 24), late_days=0, state="done"),
        *steps[1:],
    ]
    assert chain_states(submitted)[:2] == [
        ("按时完成", "done"),
        ("市经办机构逾期1个工作日", "late"),
    ]
    assert chain_states(submitted)[2] == ("等待市经办机构办理", "open")
    decided = [submitted[0], replace(steps[1], done_on=date(2026, 11, 27), state="done")]
    assert chain_states([*decided, steps[2]], returned=True)[2] == (
        "已退回，待县区修订重报",
        "open",
    )
