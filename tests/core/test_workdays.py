"""The working-day calendar: built-in 2025/2026 data, supplied files, strict parsing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.errors import CalendarUnknownError, ValidationError
from mibdesk.core.workdays import (
    MAX_ENTRIES,
    CalendarYear,
    WorkCalendar,
    builtin_year,
    calendar_to_json,
    parse_calendar_json,
)

# Made-up 2027 data for the tests (not the State Council's notice): 元旦 on Friday 1 January,
# Spring Festival Monday 8 – Friday 12 February, Saturday 20 February worked.
FILE_2027: dict[str, Any] = {
    "year": 2027,
    "source": "测试用日历（非正式通知）",
    "holidays": [
        {"date": "2027-01-01", "name": "元旦"},
        *({"date": f"2027-02-{day:02d}", "name": "春节"} for day in range(8, 13)),
    ],
    "workdays": [{"date": "2027-02-20", "name": "春节调休上班"}],
}


def days(first: str, last: str) -> set[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.with_builtin()


@pytest.fixture(scope="module")
def calendar_2027() -> WorkCalendar:
    return WorkCalendar.with_builtin(
        [parse_calendar_json(json.dumps(FILE_2027), where="2027.json")]
    )


def test_builtin_years() -> None:
    data = builtin_year(2025)
    assert data is not None
    assert data.year == 2025
    assert data.source == f"chinesecalendar {chinese_calendar.__version__}"
    assert builtin_year(2027) is None
    assert builtin_year(2003) is None
    assert WorkCalendar.with_builtin().years() == tuple(range(2004, 2027))


def test_2025_spring_festival_and_national_day(calendar: WorkCalendar) -> None:
    data = calendar.year_data(2025)
    assert days("2025-01-28", "2025-02-04") <= data.holidays
    assert days("2025-10-01", "2025-10-08") <= data.holidays
    assert {date(2025, 1, 26), date(2025, 2, 8), date(2025, 9, 28), date(2025, 10, 11)} <= (
        data.workdays
    )
    for day in days("2025-01-28", "2025-02-04") | days("2025-10-01", "2025-10-08"):
        assert not calendar.is_workday(day)
    for iso in ("2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11", "2025-01-27", "2025-02-05"):
        assert calendar.is_workday(date.fromisoformat(iso))
    assert not calendar.is_workday(date(2025, 1, 25))  # an ordinary Saturday
    assert not calendar.is_workday(date(2025, 2, 9))  # Sunday after the worked Saturday


def test_2026_spring_festival_and_national_day(calendar: WorkCalendar) -> None:
    # Per chinesecalendar (and 国办发明电〔2025〕7号): Spring Festival 15–23 February, with
    # Saturdays 14 and 28 February worked; National Day 1–7 October, with Sunday 20 September
    # and Saturday 10 October worked; New Year 1–3 January with Sunday 4 January worked.
    data = calendar.year_data(2026)
    assert days("2026-02-15", "2026-02-23") <= data.holidays
    assert days("2026-10-01", "2026-10-07") <= data.holidays
    assert days("2026-01-01", "2026-01-03") <= data.holidays
    assert data.workdays == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    assert not calendar.is_workday(date(2026, 10, 7))
    assert calendar.is_workday(date(2026, 10, 8))
    assert calendar.is_workday(date(2026, 10, 10))


def test_agrees_with_chinesecalendar_every_day(calendar: WorkCalendar) -> None:
    day = date(2004, 1, 1)
    while day.year <= 2026:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "n", "result"),
    [
        ("2025-01-24", 0, "2025-01-24"),
        ("2025-01-25", 0, "2025-01-25"),  # n = 0 is the day itself, worked or not
        ("2025-01-24", 1, "2025-01-26"),  # Sunday 26 January is worked
        ("2025-01-24", 2, "2025-01-27"),
        ("2025-01-27", 1, "2025-02-05"),  # over the Spring Festival, 28 Jan – 4 Feb
        ("2025-01-27", 4, "2025-02-08"),  # Saturday 8 February is worked
        ("2025-01-27", 5, "2025-02-10"),
        ("2025-09-26", 1, "2025-09-28"),  # Sunday 28 September is worked
        ("2025-09-30", 1, "2025-10-09"),  # over National Day, 1–8 October
        ("2025-09-30", 3, "2025-10-11"),  # Saturday 11 October is worked
        ("2025-12-30", 3, "2026-01-05"),  # 31 Dec; 1–3 Jan off; Sunday 4 Jan worked; 5 Jan
        ("2026-02-13", 1, "2026-02-14"),  # Saturday 14 February is worked
        ("2026-02-13", 2, "2026-02-24"),  # over the Spring Festival, 15–23 February
        ("2026-09-30", 1, "2026-10-08"),  # over National Day, 1–7 October
        ("2026-09-30", 3, "2026-10-10"),  # 8, 9, and Saturday 10 October
        ("2025-01-01", 248, "2025-12-31"),
    ],
)
def test_add_workdays(calendar: WorkCalendar, start: str, n: int, result: str) -> None:
    assert calendar.add_workdays(date.fromisoformat(start), n) == date.fromisoformat(result)


def test_add_workdays_refuses_negative(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add_workdays(date(2025, 1, 1), -1)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2025-01-24", "2025-01-24", 0),
        ("2025-01-24", "2025-02-10", 7),  # 26, 27 Jan; 5, 6, 7, 8, 10 Feb
        ("2025-02-10", "2025-01-24", -7),
        ("2025-09-30", "2025-10-08", 0),
        ("2025-01-01", "2025-12-31", 248),  # 1 January is a holiday anyway
        ("2025-01-02", "2025-12-31", 247),  # the start day, a working Thursday, is not counted
        ("2024-12-31", "2025-12-31", 248),
        ("2025-12-31", "2026-12-31", 248),
        ("2024-12-31", "2026-12-31", 496),
        ("2025-12-30", "2026-01-05", 3),
    ],
)
def test_workdays_between(calendar: WorkCalendar, start: str, end: str, count: int) -> None:
    assert calendar.workdays_between(date.fromisoformat(start), date.fromisoformat(end)) == count


def test_next_and_previous_workday(calendar: WorkCalendar) -> None:
    assert calendar.next_workday(date(2025, 10, 1)) == date(2025, 10, 9)
    assert calendar.next_workday(date(2025, 2, 8)) == date(2025, 2, 8)
    assert calendar.next_workday(date(2025, 2, 8), include_today=False) == date(2025, 2, 10)
    assert calendar.previous_workday(date(2025, 2, 4)) == date(2025, 1, 27)
    assert calendar.previous_workday(date(2025, 2, 10)) == date(2025, 2, 10)
    assert calendar.previous_workday(date(2025, 2, 10), include_today=False) == date(2025, 2, 8)
    assert calendar.previous_workday(date(2026, 1, 3)) == date(2025, 12, 31)
    assert calendar.previous_workday(date(2026, 1, 5), include_today=False) == date(2026, 1, 4)


@given(day=st.dates(date(2004, 1, 1), date(2026, 6, 30)), n=st.integers(0, 100))
def test_add_and_count_agree(calendar: WorkCalendar, day: date, n: int) -> None:
    later = calendar.add_workdays(day, n)
    assert calendar.workdays_between(day, later) == n
    assert calendar.workdays_between(later, day) == -n
    if n:
        assert calendar.is_workday(later)
        assert calendar.next_workday(day, include_today=False) == calendar.add_workdays(day, 1)
    if n >= 2:
        before = calendar.previous_workday(later, include_today=False)
        assert before == calendar.add_workdays(day, n - 1)


def unknown_2027(calendar: WorkCalendar) -> list[Callable[[], object]]:
    """Each question that needs 2027, as a thunk."""
    return [
        lambda: calendar.is_workday(date(2027, 1, 4)),
        lambda: calendar.add_workdays(date(2026, 12, 30), 3),
        lambda: calendar.add_workdays(date(2027, 1, 4), 0),
        lambda: calendar.workdays_between(date(2026, 12, 1), date(2027, 1, 10)),
        lambda: calendar.workdays_between(date(2027, 1, 10), date(2026, 12, 1)),
        lambda: calendar.next_workday(date(2026, 12, 31), include_today=False),
        lambda: calendar.previous_workday(date(2027, 1, 4)),
        lambda: calendar.year_data(2027),
    ]


def test_2027_unknown_without_data(calendar: WorkCalendar) -> None:
    assert not calendar.has_year(2027)
    for question in unknown_2027(calendar):
        with pytest.raises(CalendarUnknownError) as caught:
            question()
        assert "2027" in caught.value.message
    with pytest.raises(CalendarUnknownError) as caught:
        calendar.previous_workday(date(2004, 1, 1), include_today=False)
    assert "2003" in caught.value.message


def test_2027_known_with_supplied_file(calendar_2027: WorkCalendar) -> None:
    assert calendar_2027.has_year(2027)
    assert calendar_2027.years()[-1] == 2027
    for question in unknown_2027(calendar_2027):
        question()
    assert calendar_2027.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar_2027.add_workdays(date(2027, 2, 5), 1) == date(2027, 2, 15)
    assert calendar_2027.add_workdays(date(2027, 2, 19), 1) == date(2027, 2, 20)
    assert calendar_2027.workdays_between(date(2026, 12, 30), date(2027, 1, 4)) == 2
    assert calendar_2027.year_data(2027).source == "测试用日历（非正式通知）"


def test_supplied_year_overrides_builtin() -> None:
    office_2026 = CalendarYear(2026, frozenset({date(2026, 3, 2)}), frozenset(), "县政府通知")
    calendar = WorkCalendar.with_builtin([office_2026])
    assert calendar.year_data(2026) is office_2026
    assert not calendar.is_workday(date(2026, 3, 2))
    assert calendar.is_workday(date(2026, 10, 1))  # National Day not in the office data
    assert calendar.year_data(2025).source.startswith("chinesecalendar")


def test_work_calendar_refuses_misfiled_year() -> None:
    data = builtin_year(2025)
    assert data is not None
    with pytest.raises(ValueError):
        WorkCalendar({2026: data})


@pytest.mark.parametrize(
    ("holidays", "workdays"),
    [
        ({date(2026, 1, 1)}, set()),  # holiday in another year
        (set(), {date(2025, 1, 6)}),  # a Monday as moved workday
        ({date(2025, 1, 26)}, {date(2025, 1, 26)}),  # both
    ],
)
def test_calendar_year_invariants(holidays: set[date], workdays: set[date]) -> None:
    with pytest.raises(ValueError):
        CalendarYear(2025, frozenset(holidays), frozenset(workdays), "test")


def test_json_round_trip(calendar: WorkCalendar) -> None:
    for year in (2025, 2026):
        data = calendar.year_data(year)
        assert parse_calendar_json(calendar_to_json(data), where="x") == data
    parsed = parse_calendar_json(json.dumps(FILE_2027, ensure_ascii=False), where="2027.json")
    assert parsed.holidays == {date(2027, 1, 1)} | days("2027-02-08", "2027-02-12")
    assert parsed.workdays == {date(2027, 2, 20)}
    assert parse_calendar_json(calendar_to_json(parsed), where="x") == parsed
    assert "测试用日历" in calendar_to_json(parsed)  # readable, not \\u-escaped


def edited(**changes: Any) -> str:
    document = json.loads(json.dumps(FILE_2027))
    document.update(changes)
    return json.dumps(document, ensure_ascii=False)


def holiday(text: Any) -> dict[str, Any]:
    return {"date": text, "name": "x"}


HOLIDAYS = FILE_2027["holidays"]
BAD_FILES = [
    ("not json", "2027.json"),
    ("[]", "2027.json"),
    ('{"year": 2027, "year": 2027, "source": "s", "holidays": [], "workdays": []}', "2027.json"),
    (json.dumps({k: v for k, v in FILE_2027.items() if k != "source"}), "2027.json"),
    (edited(extra=1), "2027.json"),
    (edited(year="2027"), "2027.json"),
    (edited(year=True), "2027.json"),
    (edited(year=2027.0), "2027.json"),
    (edited(year=1800), "2027.json"),
    (edited(source=""), "2027.json"),
    (edited(source="  "), "2027.json"),
    (edited(source=None), "2027.json"),
    (edited(holidays={}), "2027.json: holidays"),
    (edited(holidays=[]), "2027.json: holidays"),
    (
        edited(holidays=[holiday(f"2027-03-{d:02d}") for d in range(1, 32)] * 4),
        "2027.json: holidays",
    ),
    (edited(holidays=[*HOLIDAYS, "2027-03-01"]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, {"date": "2027-03-01", "kind": "x"}]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, {"name": "x"}]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, {"date": "2027-03-01", "name": 5}]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday("2027-03-01" + "x" * 300)]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday(20270301)]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday("2027/03/01")]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday("2027-3-1")]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday("２０２７-03-01")]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday("2027-02-30")]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday("2026-12-31")]), "2027.json: holidays[6]"),
    (edited(holidays=[*HOLIDAYS, holiday("2027-01-01")]), "2027.json: holidays[6]"),
    (edited(workdays=[holiday("2027-02-20"), holiday("2027-02-20")]), "2027.json: workdays[1]"),
    (edited(workdays=[holiday("2027-02-13"), holiday("2027-02-15")]), "2027.json: workdays[1]"),
    (edited(workdays=[holiday("2027-01-02"), holiday("2027-02-08")]), "2027.json: workdays[1]"),
    (edited(workdays=[holiday("2028-01-01")]), "2027.json: workdays[0]"),
    (" " * 100_001, "2027.json"),
]


@pytest.mark.parametrize(("text", "where"), BAD_FILES)
def test_bad_calendar_files_refused(text: str, where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_calendar_json(text, where="2027.json")
    assert caught.value.where == where


def test_entry_cap() -> None:
    assert MAX_ENTRIES == 120
    saturdays = [date(2027, 1, 2) + timedelta(days=7 * i) for i in range(52)]
    weekend = sorted([*saturdays, *(d + timedelta(days=1) for d in saturdays)])
    document = edited(workdays=[holiday(d.isoformat()) for d in weekend[:104]])
    assert len(parse_calendar_json(document, where="x").workdays) == 104
