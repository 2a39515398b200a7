"""Quotas, adjustments, carry-over, the plan ceiling, the plan workflow and its deadlines.

Worked numbers follow 004 §4.3–4.4 (Jining: quota per county, carry-over of unused quota,
plans inside the quota) and 003 §3.3 (adjustments by procedure).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import CHINA

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.errors import AuthError, ValidationError
from mibdesk.core.periods import Month
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts, audit_log, demo, execution, plan_flow, plans, quotas
from mibdesk.core.services.store import Store

TODAY = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)
DEC = Month(2026, 12)


@pytest.fixture
def profile() -> Profile:
    return load_profile("shaoxing")


def _login(store: Store, name: str) -> Actor:
    return accounts.login(store, name, demo.DEMO_PASSWORD).value


def test_a_quota_is_recorded_once_and_changes_only_by_adjustment(
    office: Store, head: Actor
) -> None:
    profile = load_profile("shaoxing")
    quotas.record_quota(
        office,
        head,
        profile,
        "EMP",
        2027,
        100_000_000_00,
        "绍医保发〔2026〕88号",
        date(2026, 12, 20),
    )
    with pytest.raises(ValidationError):
        quotas.record_quota(
            office, head, profile, "EMP", 2027, 90_000_000_00, "x", date(2027, 1, 5)
        )
    quotas.record_adjustment(
        office,
        head,
        profile,
        "EMP",
        2027,
        5_000_000_00,
        "绍医保发〔2027〕12号",
        date(2027, 6, 30),
        "门诊慢特病待遇提标",
    )
    with office.read() as session:
        inputs = quotas.quota_inputs(session, profile, "EMP", 2027)
    assert inputs is not None and inputs.available == 105_000_000_00
    docs = quotas.documents(office, "EMP", 2027)
    assert [(d.amount, d.reason) for d in docs] == [
        (100_000_000_00, ""),
        (5_000_000_00, "门诊慢特病待遇提标"),
    ]
    assert audit_log.entries(office, AuditFilter(action="quota.adjust"))


@pytest.mark.parametrize(
    ("amount", "doc_no", "when"),
    [
        (-1, "文号", date(2027, 1, 1)),  # negative
        (0, "文号", date(2027, 1, 1)),
        (10**14, "文号", date(2027, 1, 1)),  # 10¹² yuan
        (100, " ", date(2027, 1, 1)),  # no document number
        (100, "文号", date(2020, 1, 1)),  # a date far from the year
    ],
)
def test_bad_quotas_are_refused(
    office: Store, head: Actor, amount: int, doc_no: str, when: date
) -> None:
    with pytest.raises(ValidationError):
        quotas.record_quota(
            office, head, load_profile("shaoxing"), "EMP", 2027, amount, doc_no, when
        )
    assert quotas.documents(office, "EMP", 2027) == []


def test_carry_over_where_the_profile_allows_it(office: Store, head: Actor) -> None:
    """004 §4.3 (Jining): last year's unused quota is carried; Shaoxing carries nothing."""
    jining, shaoxing = load_profile("jining"), load_profile("shaoxing")
    for profile in (jining,):
        quotas.record_quota(
            office,
            head,
            profile,
            "EMP",
            2025,
            100_000_000_00,
            "济医保〔2025〕1号",
            date(2025, 1, 10),
        )
        quotas.record_quota(
            office,
            head,
            profile,
            "EMP",
            2026,
            100_000_000_00,
            "济医保〔2026〕1号",
            date(2026, 1, 10),
        )
    with office.read() as session:
        # no spending recorded for 2025: all of it is unused
        carried = quotas.quota_inputs(session, jining, "EMP", 2026)
        not_carried = quotas.quota_inputs(session, shaoxing, "EMP", 2026)
    assert carried is not None and carried.carried_over == 100_000_000_00
    assert not_carried is not None and not_carried.carried_over == 0


def test_an_adjustment_below_what_was_approved_is_refused(
    demo_store: Store, profile: Profile
) -> None:
    head = _login(demo_store, "zhangli")
    view = execution.scheme_execution(demo_store, profile, "EMP", 2026)
    assert view.position is not None
    cut = -(view.position.available - view.position.approved_plans) - 1  # one fen too far
    with pytest.raises(ValidationError):
        quotas.record_adjustment(
            demo_store,
            head,
            profile,
            "EMP",
            2026,
            cut,
            "绍医保发〔2026〕9号",
            date(2026, 11, 20),
            "核减",
        )
    assert all(d.amount > 0 for d in quotas.documents(demo_store, "EMP", 2026))


def test_execution_view_adds_up(demo_store: Store, profile: Profile) -> None:
    view = execution.scheme_execution(demo_store, profile, "EMP", 2026)
    assert view.through == Month(2026, 10) and view.position is not None
    position = view.position
    assert position.remaining_for_plans == position.available - position.approved_plans
    assert position.spent == sum(line.spent for line in view.lines)
    assert {i.key for i in view.indicators} >= {"spending_progress", "reserve_months"}
    assert view.projection is not None and view.projection.sentence
    assert len(view.series.months) == 12


def test_the_draft_plan_shows_its_columns(demo_store: Store, profile: Profile) -> None:
    view = plans.plan_view(demo_store, profile, "EMP", DEC)
    assert view is not None and view.status == "draft" and view.editable
    inpatient = next(line for line in view.lines if line.line == "EXP_INPATIENT")
    assert inpatient.spent > 0 and inpatient.received > 0
    assert view.compared_month == Month(2026, 10) and inpatient.last_actual is not None


def test_a_plan_above_the_remaining_quota_is_refused(demo_store: Store, profile: Profile) -> None:
    preparer = _login(demo_store, "wangfang")
    view = plans.plan_view(demo_store, profile, "EMP", DEC)
    assert view is not None
    room = view.position.remaining_for_plans
    others = view.requested_total - view.lines[0].requested
    too_much = room - others + 1  # one fen above the quota
    with pytest.raises(ValidationError, match=r"0\.01"):
        plans.set_requests(
            demo_store, preparer, profile, "EMP", DEC, {view.lines[0].line: (too_much, "特殊情况")}
        )
    exact = plans.set_requests(
        demo_store,
        preparer,
        profile,
        "EMP",
        DEC,
        {view.lines[0].line: (too_much - 1, "年末集中结算")},
    ).value
    assert exact.requested_total == room


def test_a_request_well_above_the_suggestion_needs_a_justification(
    office: Store, head: Actor, tmp_path: Path
) -> None:
    """Without history the suggestion is 0; any positive request then needs a reason."""
    profile = load_profile("shaoxing")
    quotas.record_quota(
        office, head, profile, "EMP", 2026, 500_000_000_00, "绍医保发〔2026〕3号", date(2026, 1, 15)
    )
    plans.draft_plan(office, head, profile, "EMP", DEC)
    with pytest.raises(ValidationError):
        plans.set_requests(office, head, profile, "EMP", DEC, {"EXP_INPATIENT": (1_000_00, "")})
    view = plans.set_requests(
        office, head, profile, "EMP", DEC, {"EXP_INPATIENT": (1_000_00, "首次使用系统，按上年实际")}
    ).value
    assert view.requested_total == 1_000_00


def test_no_plan_without_a_quota(office: Store, head: Actor) -> None:
    with pytest.raises(ValidationError, match="2027"):
        plans.draft_plan(office, head, load_profile("shaoxing"), "EMP", Month(2027, 1))


def test_the_whole_way_of_a_plan(demo_store: Store, profile: Profile) -> None:
    preparer, reviewer, head = (_login(demo_store, n) for n in ("wangfang", "liuqiang", "zhangli"))
    with pytest.raises(ValidationError):  # a second plan while one is pending
        plans.draft_plan(demo_store, preparer, profile, "EMP", DEC)
    with pytest.raises(ValidationError):  # a decision on a plan never submitted
        plan_flow.record_decision(
            demo_store, preparer, profile, "EMP", DEC, "approved", date(2026, 11, 28)
        )
    view = plans.plan_view(demo_store, profile, "EMP", DEC)
    assert view is not None and view.prepared_by == preparer.user_id
    plan_flow.review_plan(demo_store, reviewer, profile, "EMP", DEC)
    with pytest.raises(AuthError):  # the reviewer cannot sign
        plan_flow.sign_plan(demo_store, reviewer, profile, "EMP", DEC)
    plan_flow.sign_plan(demo_store, head, profile, "EMP", DEC)
    plan_flow.submit_plan(demo_store, preparer, profile, "EMP", DEC)
    line = view.lines[0]
    approved = plan_flow.record_decision(
        demo_store,
        preparer,
        profile,
        "EMP",
        DEC,
        "reduced",
        date(2026, 11, 27),
        "按序时进度核减",
        {line.line: (line.requested - 1_000_000_00, "超出序时进度")},
    ).value
    assert approved.status == "approved"
    assert approved.approved_total == approved.requested_total - 1_000_000_00
    with pytest.raises(ValidationError):  # more than approved
        plan_flow.record_disbursement(
            demo_store,
            preparer,
            profile,
            "EMP",
            DEC,
            (approved.approved_total or 0) + 1,
            date(2026, 12, 9),
        )
    paid = plan_flow.record_disbursement(
        demo_store,
        preparer,
        profile,
        "EMP",
        DEC,
        (approved.approved_total or 0) - 500_00,
        date(2026, 12, 9),
    ).value
    assert paid.status == "disbursed" and paid.disbursed_on == "2026-12-09"
    steps = plan_flow.plan_steps(demo_store, profile, paid, date(2026, 12, 15))
    assert [s.state for s in steps] == ["done", "done", "done", "done"]


def test_a_returned_plan_is_revised_as_a_new_version(demo_store: Store, profile: Profile) -> None:
    preparer, reviewer, head = (_login(demo_store, n) for n in ("wangfang", "liuqiang", "zhangli"))
    plan_flow.review_plan(demo_store, reviewer, profile, "EMP", DEC)
    plan_flow.sign_plan(demo_store, head, profile, "EMP", DEC)
    plan_flow.submit_plan(demo_store, preparer, profile, "EMP", DEC)
    with pytest.raises(ValidationError):  # returned without reasons
        plan_flow.record_decision(
            demo_store, preparer, profile, "EMP", DEC, "returned", date(2026, 11, 27)
        )
    plan_flow.record_decision(
        demo_store,
        preparer,
        profile,
        "EMP",
        DEC,
        "returned",
        date(2026, 11, 27),
        "住院支出测算依据不足",
    )
    second = plans.draft_plan(demo_store, preparer, profile, "EMP", DEC).value
    assert second.version == 2 and [v.status for v in second.versions] == ["returned", "draft"]


def test_late_steps_are_counted_in_working_days(demo_store: Store, profile: Profile) -> None:
    """The county's step was due on 25 November 2026 (Shaoxing profile default): still open
    on 1 December, it is 4 working days late (26, 27, 30 November, 1 December)."""
    view = plans.plan_view(demo_store, profile, "EMP", DEC)
    assert view is not None
    county, city, *_rest = plan_flow.plan_steps(demo_store, profile, view, date(2026, 12, 1))
    assert county.deadline.due == date(2026, 11, 25)
    assert county.state == "late" and county.late_days == 4
    # the city's step (due 30 November) has not reached the city: waiting, not late
    assert city.state == "waiting" and city.late_days is None
