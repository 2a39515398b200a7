"""Deadline chains from the profiles' timetables on the real 2025 and 2026 calendars.

Every expected date below was worked out by hand from the State Council holiday notices
(2025: Spring Festival 1.28–2.4 off, Sun 1.26 and Sat 2.8 worked; National Day 10.1–10.8
off, Sun 9.28 and Sat 10.11 worked. 2026: Spring Festival 2.15–2.23 off, Sat 2.14 and
Sat 2.28 worked) and checked against the code.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from mibdesk.core.catalog import load_profile
from mibdesk.core.periods import Month
from mibdesk.core.rules.deadlines import monthly_report_due, plan_chain, working_days_left
from mibdesk.core.workdays import WorkCalendar, parse_calendar_json

CALENDAR = WorkCalendar.with_builtin()


def _dues(profile: str, month: Month, calendar: WorkCalendar = CALENDAR) -> dict[str, date | None]:
    return {d.code: d.due for d in plan_chain(load_profile(profile).timetable, month, calendar)}


def test_jining_chain_across_the_2025_spring_festival() -> None:
    """004 §4.4: plan by the 25th; city 3, finance 5, city 3 working days.

    The 25th of January 2025 is a Saturday: the deadline moves (顺延) to Sunday 26 January,
    a moved workday. City: 27 Jan, then the holiday 28 Jan–4 Feb, then 5, 6 Feb → 6 Feb.
    Finance: 7, 8 (Saturday worked), 10, 11, 12 Feb → 12 Feb. Forward: 13, 14, 17 → 17 Feb.
    """
    assert _dues("jining", Month(2025, 2)) == {
        "county_plan": date(2025, 1, 26),
        "city_apply": date(2025, 2, 6),
        "finance_disburse": date(2025, 2, 12),
        "city_forward": date(2025, 2, 17),
    }


def test_jining_chain_across_national_day_2025() -> None:
    """004 §4.4. County 25 Sep (Thu). City: 26 Sep, 28 Sep (Sunday worked), 29 Sep.
    Finance: 30 Sep, then 1–8 Oct off, 9, 10, 11 (Saturday worked), 13 Oct.
    Forward: 14, 15, 16 Oct."""
    assert _dues("jining", Month(2025, 10)) == {
        "county_plan": date(2025, 9, 25),
        "city_apply": date(2025, 9, 29),
        "finance_disburse": date(2025, 10, 13),
        "city_forward": date(2025, 10, 16),
    }


def test_a_25th_on_a_sunday_moves_to_monday() -> None:
    """25 January 2026 is a Sunday; the profile's holiday_shift is 'next' (顺延)."""
    county = plan_chain(load_profile("jining").timetable, Month(2026, 2), CALENDAR)[0]
    assert county.nominal == date(2026, 1, 25) and county.due == date(2026, 1, 26)
    assert "2026-01-26" in county.working


def test_shaoxing_fixed_days_30th_and_10th() -> None:
    """000 附件 §2.3: city applies before the 30th, finance pays before the 10th of the next
    month, the city forwards within 2 working days. For the plan for March 2026 the 30th of
    February is clamped to 28 February 2026, a Saturday that is a moved workday."""
    assert _dues("shaoxing", Month(2026, 3)) == {
        "county_plan": date(2026, 2, 25),
        "city_apply": date(2026, 2, 28),
        "finance_disburse": date(2026, 3, 10),
        "city_forward": date(2026, 3, 12),
    }


def test_a_year_without_calendar_data_says_so_and_does_not_guess() -> None:
    """The plan for January 2027: finance's 5 working days run into 2027, unknown here."""
    chain = plan_chain(load_profile("jining").timetable, Month(2027, 1), CALENDAR)
    county, city, finance, forward = chain
    assert county.due == date(2026, 12, 25) and city.due == date(2026, 12, 30)
    assert finance.due is None and forward.due is None
    assert "2027" in finance.problem and "2027" in forward.problem


def test_supplied_2027_calendar_data_completes_the_chain() -> None:
    supplied = parse_calendar_json(
        json.dumps(
            {
                "year": 2027,
                "source": "测试用虚构 2027 年日历",
                "holidays": [{"date": "2027-01-01"}],
                "workdays": [],
            }
        ),
        where="test",
    )
    calendar = WorkCalendar.with_builtin([supplied])
    dues = _dues("jining", Month(2027, 1), calendar)
    # finance: 31 Dec, (1 Jan off), 4, 5, 6, 7 Jan; forward: 8, 11, 12 Jan
    assert dues["finance_disburse"] == date(2027, 1, 7)
    assert dues["city_forward"] == date(2027, 1, 12)


def test_monthly_report_due_on_the_10th_of_the_next_month() -> None:
    timetable = load_profile("shaoxing").timetable
    due = monthly_report_due(timetable, Month(2025, 9), CALENDAR)
    assert due.due == date(2025, 10, 10)
    # the report for January 2026 is due on 10 February 2026, a Tuesday
    assert monthly_report_due(timetable, Month(2026, 1), CALENDAR).due == date(2026, 2, 10)


@pytest.mark.parametrize(
    ("today", "due", "left"),
    [
        (date(2026, 11, 23), date(2026, 11, 25), 2),
        (date(2026, 11, 25), date(2026, 11, 25), 0),
        (date(2026, 11, 26), date(2026, 11, 25), -1),
        (date(2025, 9, 30), date(2025, 10, 9), 1),  # across National Day
    ],
)
def test_working_days_left(today: date, due: date, left: int) -> None:
    assert working_days_left(CALENDAR, today, due) == left
