"""The city's monthly application to finance: assembled from approved plans, a signed PDF,
finance's payment, the money forwarded to the counties by file; each step judged against the
profile's timetable in working days (Shaoxing 000 附件 §2.3)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from city_kit import CITY, NAMES, NORTH, SOUTH, World, send_north_december_plan, send_plan
from sqlalchemy import select

from mibdesk.core.catalog import Profile
from mibdesk.core.db.exchange_models import OutboxEntry
from mibdesk.core.errors import ValidationError
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Actor
from mibdesk.core.services.city import application, application_form, forwarding, plans
from mibdesk.core.services.city.application_counties import application_counties
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.forms import key_path
from mibdesk.core.services.store import Store
from mibdesk.core.signing.keys import create_office_key

DECEMBER = Month(2026, 12)
KEY_PASSWORD = "CitySeal2026!"


def _approved(world: World) -> None:
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
    store, profile, head = world.city.store, world.profile, world.city.head
    sync(store)
    plans.approve(store, head, profile, NORTH, "EMP", DECEMBER, date(2026, 11, 25))
    cut = {"EXP_INPATIENT": (1_500_000, "超出序时进度")}
    plans.reduce(store, head, profile, SOUTH, "EMP", DECEMBER, cut, date(2026, 11, 26))


def _apply(world: World, tmp_path: Path, applied_on: date) -> application.Application:
    store, profile, head = world.city.store, world.profile, world.city.head
    if not key_path(store).is_file():
        create_office_key(key_path(store), KEY_PASSWORD, office_name=NAMES[CITY], office_code=CITY)
    form = application_form.application_pdf(store, profile, "EMP", DECEMBER, tmp_path / "app.pdf")
    signed = tmp_path / "app-signed.pdf"
    outcome = application.sign_and_apply(
        store, head, profile, "EMP", DECEMBER, form, signed, KEY_PASSWORD, applied_on
    )
    assert signed.read_bytes().startswith(b"%PDF-") and b"/ByteRange" in signed.read_bytes()
    return outcome.value


def _disbursements(world: World) -> dict[str, dict[str, object]]:
    with world.city.store.read() as session:
        rows = session.scalars(select(OutboxEntry).where(OutboxEntry.kind == "disbursement")).all()
        return {row.recipient: json.loads(row.subject_json) for row in rows}


def _north_on_time_south_late(world: World) -> tuple[Store, Profile, Actor]:
    """North's December plan (5,000,000 fen) sent on 20 November, south's (2,000,000) on
    the 24th, both received by the city; its store, profile and head."""
    send_north_december_plan(world)
    send_plan(
        world.south,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 2_000_000},
        submitted_at="2026-11-24T09:00:00+08:00",
    )
    sync(world.city.store)
    return world.city.store, world.profile, world.city.head


def test_assembled_from_the_approved_plans(world: World) -> None:
    _approved(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    app = application.assemble(store, head, profile, "EMP", DECEMBER).value
    assert (app.number, app.status, app.total) == (1, "draft", 7_500_000)
    assert [(i.county, i.requested, i.amount) for i in app.items] == [
        (NORTH, 6_000_000, 6_000_000),
        (SOUTH, 2_000_000, 1_500_000),
    ]
    assert [(ln.line, ln.requested, ln.approved) for ln in app.lines] == [
        ("EXP_INPATIENT", 7_000_000, 6_500_000),
        ("EXP_OUTPATIENT", 1_000_000, 1_000_000),
    ]
    steps = {s.deadline.code: s for s in app.steps}
    assert steps["county_plan"].done_on == date(2026, 11, 24)  # the last plan in
    assert steps["county_plan"].state == "on_time"  # due 25 November
    assert steps["city_apply"].deadline.due == date(2026, 11, 30)
    assert steps["city_apply"].state == "open" and steps["finance_disburse"].state == "waiting"


def test_applied_funded_and_forwarded_each_against_its_deadline(
    world: World, tmp_path: Path
) -> None:
    _approved(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    application.assemble(store, head, profile, "EMP", DECEMBER)
    app = _apply(world, tmp_path, date(2026, 11, 30))
    assert (app.status, app.applied_on, app.applied_by) == ("applied", "2026-11-30", "zhangli")
    assert len(app.pdf_fingerprint) == 19
    with pytest.raises(ValidationError, match="至多为申请额"):
        application.record_funding(
            store, head, profile, "EMP", DECEMBER, 7_500_001, date(2026, 12, 14)
        )
    with pytest.raises(ValidationError, match="早于"):
        application.record_funding(
            store, head, profile, "EMP", DECEMBER, 7_500_000, date(2026, 11, 27)
        )
    # finance pays on Monday 14 December: due Thursday the 10th, 2 working days late
    funded = application.record_funding(
        store, head, profile, "EMP", DECEMBER, 7_500_000, date(2026, 12, 14), "绍财社〔2026〕88号"
    ).value
    steps = {s.deadline.code: s for s in funded.steps}
    assert steps["city_apply"].state == "on_time"
    assert (steps["finance_disburse"].state, steps["finance_disburse"].late_days) == ("late", 2)
    # the city's 2 working days count from the day finance paid: due Wednesday 16th
    assert steps["city_forward"].deadline.due == date(2026, 12, 16)
    forwarded = forwarding.forward_all(
        store, head, profile, "EMP", DECEMBER, date(2026, 12, 16)
    ).value
    steps = {s.deadline.code: s for s in forwarded.steps}
    assert steps["city_forward"].state == "on_time" and forwarded.forwarded == 7_500_000
    assert [(i.county, i.forwarded_amount, i.forwarded_on) for i in forwarded.items] == [
        (NORTH, 6_000_000, "2026-12-16"),
        (SOUTH, 1_500_000, "2026-12-16"),
    ]
    assert set(_disbursements(world)) == {NORTH, SOUTH}
    assert plans.county_plan(store, profile, SOUTH, "EMP", DECEMBER).status == "disbursed"
    county_steps = forwarding.plan_steps(
        store, profile, SOUTH, "EMP", DECEMBER, "2026-11-24T09:00:00+08:00", date(2026, 12, 17)
    )
    assert [s.state for s in county_steps] == ["on_time", "on_time", "late", "on_time"]


def test_forwarding_a_day_late_is_late_by_one_working_day(world: World, tmp_path: Path) -> None:
    _approved(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    application.assemble(store, head, profile, "EMP", DECEMBER)
    _apply(world, tmp_path, date(2026, 11, 30))
    application.record_funding(store, head, profile, "EMP", DECEMBER, 7_500_000, date(2026, 12, 14))
    forwarding.forward(store, head, profile, NORTH, "EMP", DECEMBER, 6_000_000, date(2026, 12, 17))
    app = forwarding.forward(
        store, head, profile, SOUTH, "EMP", DECEMBER, 1_500_000, date(2026, 12, 17)
    ).value
    last = app.steps[-1]
    assert (last.deadline.code, last.state, last.late_days) == ("city_forward", "late", 1)


def test_partial_funding_is_forwarded_county_by_county(world: World, tmp_path: Path) -> None:
    _approved(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    application.assemble(store, head, profile, "EMP", DECEMBER)
    _apply(world, tmp_path, date(2026, 11, 30))
    application.record_funding(store, head, profile, "EMP", DECEMBER, 7_000_000, date(2026, 12, 8))
    with pytest.raises(ValidationError, match="逐县"):
        forwarding.forward_all(store, head, profile, "EMP", DECEMBER, date(2026, 12, 9))
    forwarding.forward(store, head, profile, NORTH, "EMP", DECEMBER, 6_000_000, date(2026, 12, 9))
    with pytest.raises(ValidationError, match="尚余"):
        forwarding.forward(
            store, head, profile, SOUTH, "EMP", DECEMBER, 1_500_000, date(2026, 12, 9)
        )
    with pytest.raises(ValidationError, match="已于 2026-12-09 拨付"):
        forwarding.forward(store, head, profile, NORTH, "EMP", DECEMBER, 1, date(2026, 12, 9))
    forwarding.forward(store, head, profile, SOUTH, "EMP", DECEMBER, 1_000_000, date(2026, 12, 9))
    assert set(_disbursements(world)) == {NORTH, SOUTH}


def test_money_waits_for_finance_and_late_approvals_go_into_a_second_application(
    world: World, tmp_path: Path
) -> None:
    store, profile, head = _north_on_time_south_late(world)
    with pytest.raises(ValidationError, match="没有待申请"):
        application.assemble(store, head, profile, "EMP", DECEMBER)
    plans.approve(store, head, profile, NORTH, "EMP", DECEMBER, date(2026, 11, 25))
    application.assemble(store, head, profile, "EMP", DECEMBER)
    with pytest.raises(ValidationError, match="财政尚未拨付"):
        forwarding.forward(
            store, head, profile, NORTH, "EMP", DECEMBER, 5_000_000, date(2026, 12, 1)
        )
    _apply(world, tmp_path, date(2026, 11, 30))
    plans.approve(store, head, profile, SOUTH, "EMP", DECEMBER, date(2026, 12, 1))
    second = application.assemble(store, head, profile, "EMP", DECEMBER).value
    assert (second.number, [i.county for i in second.items], second.total) == (
        2,
        [SOUTH],
        2_000_000,
    )
    first, again = application.applications(store, profile, "EMP", DECEMBER)
    assert [i.county for i in first.items] == [NORTH] and again.number == 2


def test_a_form_written_before_the_draft_was_assembled_again_is_not_signed(
    world: World, tmp_path: Path
) -> None:
    store, profile, head = _north_on_time_south_late(world)
    create_office_key(key_path(store), KEY_PASSWORD, office_name=NAMES[CITY], office_code=CITY)
    plans.approve(store, head, profile, NORTH, "EMP", DECEMBER, date(2026, 11, 25))
    application.assemble(store, head, profile, "EMP", DECEMBER)
    old = application_form.application_pdf(store, profile, "EMP", DECEMBER, tmp_path / "a.pdf")
    plans.approve(store, head, profile, SOUTH, "EMP", DECEMBER, date(2026, 11, 26))
    application.assemble(store, head, profile, "EMP", DECEMBER)  # the draft now holds both
    signed = tmp_path / "signed.pdf"
    with pytest.raises(ValidationError, match="重新汇总"):
        application.sign_and_apply(
            store, head, profile, "EMP", DECEMBER, old, signed, KEY_PASSWORD, date(2026, 11, 27)
        )
    assert not signed.exists()
    assert application.current(store, profile, "EMP", DECEMBER).status == "draft"
    app = _apply(world, tmp_path, date(2026, 11, 27))
    assert (app.status, app.total) == ("applied", 7_000_000)


def test_the_counties_in_and_out_of_the_application(world: World, tmp_path: Path) -> None:
    send_north_december_plan(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    sync(store)

    def standings() -> dict[str, tuple[str, int | None, int | None]]:
        found = application.applications(store, profile, "EMP", DECEMBER)
        return {
            row.county: (row.standing, row.approved, row.number)
            for row in application_counties(store, profile, "EMP", DECEMBER, found)
        }

    # the south county sent nothing; the stranger is not registered: not listed
    assert standings() == {NORTH: ("undecided", None, None), SOUTH: ("missing", None, None)}
    plans.approve(store, head, profile, NORTH, "EMP", DECEMBER, date(2026, 11, 25))
    assert standings()[NORTH] == ("waiting", 5_000_000, None)
    application.assemble(store, head, profile, "EMP", DECEMBER)
    assert standings()[NORTH] == ("included", 5_000_000, 1)
    create_office_key(key_path(store), KEY_PASSWORD, office_name=NAMES[CITY], office_code=CITY)
    _apply(world, tmp_path, date(2026, 11, 30))
    application.record_funding(store, head, profile, "EMP", DECEMBER, 5_000_000, date(2026, 12, 8))
    forwarding.forward_all(store, head, profile, "EMP", DECEMBER, date(2026, 12, 9))
    assert standings()[NORTH] == ("forwarded", 5_000_000, 1)
