"""Months, quarters and time progress (序时进度)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.errors import ValidationError
from mibdesk.core.periods import Month, Quarter, months_of_year, time_progress

months = st.builds(Month, st.integers(1900, 2999), st.integers(1, 12))


def test_month_basics() -> None:
    november = Month(2026, 11)
    assert str(november) == "2026-11"
    assert november.label == "2026年11月"
    assert november.quarter == 4
    assert november.to_int() == 202611
    assert Month.from_int(202611) == november
    assert november.first_day == date(2026, 11, 1)
    assert november.last_day == date(2026, 11, 30)
    assert str(Month(2026, 3)) == "2026-03"
    assert Month(2026, 3).label == "2026年3月"


@pytest.mark.parametrize(
    ("month", "last"),
    [
        (Month(2024, 2), date(2024, 2, 29)),
        (Month(2025, 2), date(2025, 2, 28)),
        (Month(2100, 2), date(2100, 2, 28)),
        (Month(2026, 12), date(2026, 12, 31)),
        (Month(2026, 4), date(2026, 4, 30)),
    ],
)
def test_last_day(month: Month, last: date) -> None:
    assert month.last_day == last


def test_navigation() -> None:
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 1).prev() == Month(2025, 12)
    assert Month(2026, 11).plus(14) == Month(2028, 1)
    assert Month(2026, 11).plus(-11) == Month(2025, 12)
    assert Month(2026, 11).plus(0) == Month(2026, 11)
    assert Month(2026, 11).months_until(Month(2027, 2)) == 3
    assert Month(2027, 2).months_until(Month(2026, 11)) == -3


def test_ordering_and_hashing() -> None:
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)
    assert sorted([Month(2026, 2), Month(2025, 12), Month(2026, 1)]) == [
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]
    assert len({Month(2026, 1), Month(2026, 1)}) == 1


def test_of_date() -> None:
    assert Month.of(date(2026, 2, 28)) == Month(2026, 2)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2026-11", 11),
        ("2026-1", 1),
        (" 2026-01 ", 1),
        ("2026/11", 11),
        ("202611", 11),
        ("202601", 1),
        ("2026年11月", 11),
        ("2026 年 1 月", 1),
        ("２０２６－１１", 11),
    ],
)
def test_parse_accepts(text: str, month: int) -> None:
    assert Month.parse(text) == Month(2026, month)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026",
        "2026-13",
        "2026-00",
        "202613",
        "20261",
        "2026.10",
        "26-11",
        "2026-11-01",
        "0000-01",
        "十一月",
    ],
)
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Month.parse(text, where="报表期间")
    assert caught.value.where == "报表期间"


@pytest.mark.parametrize(("year", "month"), [(2026, 0), (2026, 13), (0, 1), (10000, 1)])
def test_constructor_refuses_bad_values(year: int, month: int) -> None:
    with pytest.raises(ValueError):
        Month(year, month)


def test_constructor_refuses_non_int() -> None:
    with pytest.raises(TypeError):
        Month(2026, True)
    with pytest.raises(TypeError):
        Month(2026.0, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [202613, 202600, 99, 100000001])
def test_from_int_refuses(value: int) -> None:
    with pytest.raises(ValueError):
        Month.from_int(value)


@given(months, st.integers(-1200, 1200))
def test_plus_agrees_with_months_until(month: Month, n: int) -> None:
    assert month.months_until(month.plus(n)) == n
    assert month.plus(n).plus(-n) == month


@given(months)
def test_round_trips(month: Month) -> None:
    assert Month.parse(str(month)) == month
    assert Month.parse(month.label) == month
    assert Month.parse(str(month.to_int())) == month
    assert Month.from_int(month.to_int()) == month
    assert month.next().prev() == month
    assert Month.of(month.first_day) == month == Month.of(month.last_day)
    assert (month.last_day - month.first_day).days + 1 in (28, 29, 30, 31)


def test_months_of_year() -> None:
    year = months_of_year(2026)
    assert len(year) == 12
    assert year[0] == Month(2026, 1)
    assert year[-1] == Month(2026, 12)
    assert list(year) == sorted(year)


@pytest.mark.parametrize(
    ("month", "progress"),
    [
        (1, Fraction(1, 12)),
        (3, Fraction(1, 4)),
        (6, Fraction(1, 2)),
        (11, Fraction(11, 12)),
        (12, 1),
    ],
)
def test_time_progress(month: int, progress: Fraction) -> None:
    assert time_progress(Month(2026, month)) == progress


def test_quarter() -> None:
    q4 = Quarter(2026, 4)
    assert Quarter.of(Month(2026, 11)) == q4
    assert q4.months == (Month(2026, 10), Month(2026, 11), Month(2026, 12))
    assert q4.first_day == date(2026, 10, 1)
    assert q4.last_day == date(2026, 12, 31)
    assert str(q4) == "2026-Q4"
    assert q4.label == "2026年第4季度"
    assert Quarter(2026, 1).last_day == date(2026, 3, 31)
    assert Quarter(2025, 4) < Quarter(2026, 1)
    for month in months_of_year(2026):
        assert month in Quarter.of(month).months
    with pytest.raises(ValueError):
        Quarter(2026, 5)
