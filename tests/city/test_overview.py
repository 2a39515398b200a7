"""The city's overview: who sent what when, on time or how late (working days), figures
consolidated across counties from the latest revisions, and the drill-down to a county, a
line and the package it came from. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from city_kit import NORTH, SOUTH, World, send_plan, send_report

from mibdesk.core.periods import Month
from mibdesk.core.services.city.drilldown import county_report, line_by_county
from mibdesk.core.services.city.overview import current_months, overview
from mibdesk.core.services.exchange.sync import sync

OCTOBER, DECEMBER = Month(2026, 10), Month(2026, 12)
TODAY = date(2026, 11, 23)  # a Monday; October's reports were due Tuesday 10 November


def _month_of_sending(world: World) -> dict[str, str]:
    north, south = world.north, world.south
    ids = {
        "north_emp": send_report(
            north,
            "EMP",
            OCTOBER,
            {
                ("EXP_INPATIENT", ""): 100_000,
                ("EXP_OUTPATIENT", ""): 20_000,
                ("ENR_PUBLIC", ""): 10,
            },
            sent_at="2026-11-09T16:00:00+08:00",
        ),
        "north_res": send_report(
            north,
            "RES",
            OCTOBER,
            {
                ("ENR_ADULT", f"{NORTH}001"): 100,
                ("ENR_ADULT", f"{NORTH}002"): 50,
                ("ENR_ADULT", ""): 5,
                ("EXP_INPATIENT", ""): 70_000,
            },
            sent_at="2026-11-10T09:00:00+08:00",
        ),
        "south_emp": send_report(
            south,
            "EMP",
            OCTOBER,
            {("EXP_INPATIENT", ""): 300_000},
            sent_at="2026-11-12T10:00:00+08:00",  # Thursday: 2 working days late
        ),
        "south_emp_r1": send_report(
            south,
            "EMP",
            OCTOBER,
            {("EXP_INPATIENT", ""): 350_000},
            sent_at="2026-11-20T10:00:00+08:00",
            revision=1,
            reason="补记10月住院结算",
        ),
        "north_plan": send_plan(
            north,
            "EMP",
            DECEMBER,
            {"EXP_INPATIENT": 5_000_000, "EXP_OUTPATIENT": 1_000_000},
            submitted_at="2026-11-20T15:00:00+08:00",
        ),
    }
    report = sync(world.city.store).value
    assert [v.status for v in report.verdicts] == ["applied"] * 5
    return ids


def test_who_sent_what_and_how_late(world: World) -> None:
    ids = _month_of_sending(world)
    view = overview(world.city.store, world.profile, OCTOBER, DECEMBER, TODAY)
    assert current_months(TODAY) == (OCTOBER, DECEMBER)
    assert view.report_deadline.due == date(2026, 11, 10)
    assert view.plan_deadline.due == date(2026, 11, 25)
    assert [c.code for c in view.counties] == [NORTH, SOUTH]  # not the unregistered county
    north, south = view.counties
    assert north.name == "北城区医疗保障局" and north.registered

    emp = north.reports["EMP"]
    assert (emp.timing.state, emp.timing.late_days, emp.latest) == ("on_time", 0, 0)
    assert emp.package_id == ids["north_emp"] and emp.sent_at == "2026-11-09T16:00:00+08:00"
    assert north.reports["RES"].timing.state == "on_time"  # on the due date itself

    late = south.reports["EMP"]
    assert (late.timing.state, late.timing.late_days) == ("late", 2)  # 11, 12 November
    assert late.sent_at == "2026-11-12T10:00:00+08:00"  # the first submission is judged
    assert (late.latest, late.status, late.package_id) == (1, "amended", ids["south_emp_r1"])
    missing = south.reports["RES"]
    # overdue: 11, 12, 13, 16, 17, 18, 19, 20, 23 November
    assert (missing.timing.state, missing.timing.late_days, missing.latest) == ("overdue", 9, -1)

    plan = north.plans["EMP"]
    assert (plan.timing.state, plan.latest, plan.status) == ("on_time", 1, "submitted")
    assert plan.requested == 6_000_000 and plan.package_id == ids["north_plan"]
    assert south.plans["EMP"].timing.state == "open"  # due Wednesday, not late yet
    assert {(c, what, s) for c, what, s, _t in view.late()} == {
        (SOUTH, "report", "EMP"),
        (SOUTH, "report", "RES"),
    }


def test_figures_consolidate_the_latest_revisions(world: World) -> None:
    _month_of_sending(world)
    view = overview(world.city.store, world.profile, OCTOBER, DECEMBER, TODAY)
    emp, res = view.consolidated
    lines = {line.code: line for line in emp.lines}
    assert lines["EXP_INPATIENT"].value == 100_000 + 350_000  # south's amendment, not 300,000
    assert lines["EXP_INPATIENT"].counties == 2
    assert (lines["EXP_OUTPATIENT"].value, lines["EXP_OUTPATIENT"].counties) == (20_000, 1)
    assert lines["EXP_BENEFITS"].computed and lines["EXP_BENEFITS"].value == 470_000
    assert lines["EXP_TOTAL"].value == 470_000 and lines["EXP_TOTAL"].counties == 2
    assert lines["INC_TOTAL"].value is None and lines["INC_TOTAL"].counties == 0
    assert lines["ENR_PUBLIC"].value == 10 and lines["ENR_PUBLIC"].unit == "persons"
    assert emp.included == (NORTH, SOUTH) and emp.missing == ()
    res_lines = {line.code: line for line in res.lines}
    assert res_lines["ENR_ADULT"].value == 155  # the county's own 5 and its townships'
    assert res.included == (NORTH,) and res.missing == (SOUTH,)


def test_drill_down_to_county_line_and_package(world: World) -> None:
    ids = _month_of_sending(world)
    store, profile = world.city.store, world.profile
    by_county = line_by_county(store, profile, "EMP", OCTOBER, "EXP_INPATIENT")
    assert [(f.county, f.value, f.source.revision) for f in by_county] == [
        (NORTH, 100_000, 0),
        (SOUTH, 350_000, 1),
    ]
    assert by_county[1].source.package_id == ids["south_emp_r1"]
    assert by_county[1].source.reason == "补记10月住院结算"
    totals = line_by_county(store, profile, "EMP", OCTOBER, "EXP_TOTAL")
    assert [f.value for f in totals] == [120_000, 350_000]

    res = county_report(store, profile, NORTH, "RES", OCTOBER)
    adult = next(line for line in res.lines if line.code == "ENR_ADULT")
    assert adult.value == 155
    assert adult.units == (("", 5), (f"{NORTH}001", 100), (f"{NORTH}002", 50))
    assert res.shown.package_id == ids["north_res"]

    original = county_report(store, profile, SOUTH, "EMP", OCTOBER, revision=0)
    assert [r.revision for r in original.revisions] == [0, 1]
    assert next(ln.value for ln in original.lines if ln.code == "EXP_INPATIENT") == 300_000
    assert original.shown.package_id == ids["south_emp"]
