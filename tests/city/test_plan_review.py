"""Reviewing the counties' plans: approve, reduce lines with reasons, return with reasons;
each decision goes out as a package; a plan already decided, a bad cut or a decision dated
before the plan are refused with a clear message and nothing changed."""

from __future__ import annotations

import json
from datetime import date

import pytest
from city_kit import NORTH, SOUTH, World, send_plan
from sqlalchemy import func, select

from mibdesk.core.db.exchange_models import OutboxEntry
from mibdesk.core.db.models import AuditEntry
from mibdesk.core.errors import ValidationError
from mibdesk.core.periods import Month
from mibdesk.core.services.city import plans
from mibdesk.core.services.exchange.sync import sync

DECEMBER = Month(2026, 12)
DECIDED = date(2026, 11, 26)


def _submit(world: World) -> None:
    send_plan(
        world.north,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 5_000_000, "EXP_OUTPATIENT": 1_000_000},
        submitted_at="2026-11-20T15:00:00+08:00",
    )
    send_plan(
        world.south,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 2_000_000},
        submitted_at="2026-11-24T09:00:00+08:00",
    )
    assert sync(world.city.store).value.count("applied") == 2


def _snapshot(world: World) -> tuple[int, int]:
    with world.city.store.read() as session:
        return (
            session.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def _decisions(world: World, county: str) -> list[dict[str, object]]:
    with world.city.store.read() as session:
        rows = session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.recipient == county, OutboxEntry.kind == "plan_decision"
            )
        ).all()
        return [json.loads(row.subject_json) for row in rows]


def test_submitted_plans_are_listed_with_their_lines(world: World) -> None:
    _submit(world)
    found = plans.county_plans(world.city.store, world.profile, DECEMBER, statuses=("submitted",))
    assert [(p.county, p.name, p.requested) for p in found] == [
        (NORTH, "北城区医疗保障局", 6_000_000),
        (SOUTH, "南湖县医疗保障局", 2_000_000),
    ]
    assert [(ln.line, ln.name, ln.requested) for ln in found[0].lines] == [
        ("EXP_INPATIENT", "住院医疗费用支出", 5_000_000),
        ("EXP_OUTPATIENT", "普通门诊（门诊统筹）支出", 1_000_000),
    ]


def test_approve_reduce_and_return_go_out_as_packages(world: World) -> None:
    _submit(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    approved = plans.approve(store, head, profile, NORTH, "EMP", DECEMBER, DECIDED).value
    assert (approved.status, approved.approved, approved.decided_on) == (
        "approved",
        6_000_000,
        "2026-11-26",
    )
    assert _decisions(world, NORTH) == [{"decision": "approved", "period": 202612, "scheme": "EMP"}]

    cuts = {"EXP_INPATIENT": (1_500_000, "超出序时进度")}
    reduced = plans.reduce(store, head, profile, SOUTH, "EMP", DECEMBER, cuts, DECIDED).value
    assert reduced.approved == 1_500_000
    assert [(ln.approved, ln.decision_reason) for ln in reduced.lines] == [
        (1_500_000, "超出序时进度")
    ]
    assert _decisions(world, SOUTH)[0]["decision"] == "reduced"


def test_a_returned_plan_comes_back_as_a_new_version(world: World) -> None:
    _submit(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    with pytest.raises(ValidationError, match="退回用款计划的原因"):
        plans.return_plan(store, head, profile, NORTH, "EMP", DECEMBER, "  ", DECIDED)
    back = plans.return_plan(store, head, profile, NORTH, "EMP", DECEMBER, "请按额度重报", DECIDED)
    assert back.value.status == "returned" and back.value.decision_note == "请按额度重报"
    send_plan(
        world.north,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 4_000_000},
        submitted_at="2026-11-27T09:00:00+08:00",
        version=2,
    )
    sync(store)
    again = plans.approve(store, head, profile, NORTH, "EMP", DECEMBER, date(2026, 11, 27)).value
    assert (again.version, again.status, again.approved) == (2, "approved", 4_000_000)


def test_a_plan_already_decided_is_refused_and_nothing_changes(world: World) -> None:
    _submit(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    plans.approve(store, head, profile, NORTH, "EMP", DECEMBER, DECIDED)
    before = _snapshot(world)
    with pytest.raises(ValidationError) as refused:
        plans.return_plan(store, head, profile, NORTH, "EMP", DECEMBER, "重新审核", DECIDED)
    message = str(refused.value)
    assert "已于 2026-11-26 作出决定" in message and "已批复" in message
    assert _snapshot(world) == before
    assert plans.county_plan(store, profile, NORTH, "EMP", DECEMBER).status == "approved"


@pytest.mark.parametrize(
    ("cuts", "decided_on", "expected"),
    [
        ({"EXP_OUTPATIENT": (0, "无此项")}, DECIDED, "不是本用款计划的项目"),
        ({"EXP_INPATIENT": (2_000_000, "未核减")}, DECIDED, "核减后的金额"),
        ({"EXP_INPATIENT": (-1, "负数")}, DECIDED, "核减后的金额"),
        ({"EXP_INPATIENT": (1_000_000, " ")}, DECIDED, "核减原因"),
        ({"EXP_INPATIENT": (1_000_000, "过早")}, date(2026, 11, 23), "早于计划提交日期"),
    ],
)
def test_bad_cuts_are_refused_and_nothing_changes(
    world: World, cuts: dict[str, tuple[int, str]], decided_on: date, expected: str
) -> None:
    _submit(world)
    before = _snapshot(world)
    with pytest.raises(ValidationError, match=expected):
        plans.reduce(
            world.city.store,
            world.city.head,
            world.profile,
            SOUTH,
            "EMP",
            DECEMBER,
            cuts,
            decided_on,
        )
    assert _snapshot(world) == before
    view = plans.county_plan(world.city.store, world.profile, SOUTH, "EMP", DECEMBER)
    assert view.status == "submitted" and view.approved is None


def test_a_plan_never_received_cannot_be_decided(world: World) -> None:
    with pytest.raises(ValidationError, match="尚未收到"):
        plans.approve(
            world.city.store, world.city.head, world.profile, SOUTH, "RES", DECEMBER, DECIDED
        )
