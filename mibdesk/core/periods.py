"""Reporting periods: calendar months and quarters (the Chinese fiscal year is the calendar year).

`Month` and `Quarter` are immutable, ordered values. Constructing one from bad numbers is a
programming error (`ValueError`/`TypeError`); text typed by a user goes through
`Month.parse`, which raises `ValidationError`.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from fractions import Fraction

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９－／", "0123456789-/")
_MONTH_FORMS = (
    re.compile(r"(?P<year>[0-9]{4})[-/](?P<month>[0-9]{1,2})", re.ASCII),
    re.compile(r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})", re.ASCII),
    re.compile(r"(?P<year>[0-9]{4})\s*年\s*(?P<month>[0-9]{1,2})\s*月", re.ASCII),
)


def _check_int(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name} {value} outside {low}..{high}")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. ``Month(2026, 11)``; ordered chronologically."""

    year: int
    month: int

    def __post_init__(self) -> None:
        _check_int("year", self.year, MINYEAR, MAXYEAR)
        _check_int("month", self.month, 1, 12)

    @classmethod
    def parse(cls, text: str, *, where: str = "") -> Month:
        """Read ``2026-11``, ``2026-1``, ``2026/11``, ``202611`` or ``2026年11月``.

        Surrounding whitespace and full-width digits are accepted; anything else, or a month
        outside 1–12, raises ValidationError. (``2026.10`` is refused on purpose: a spreadsheet
        turns it into 2026.1.)
        """
        normal = text.strip().translate(_FULL_WIDTH_DIGITS)
        for form in _MONTH_FORMS:
            match = form.fullmatch(normal)
            if match is not None:
                year, month = int(match["year"]), int(match["month"])
                if year >= MINYEAR and 1 <= month <= 12:
                    return cls(year, month)
                break
        raise ValidationError(_("Not a month (use 2026-11): {text}").format(text=text), where=where)

    @classmethod
    def of(cls, day: date) -> Month:
        """The month containing `day`."""
        return cls(day.year, day.month)

    @classmethod
    def from_int(cls, value: int) -> Month:
        """Inverse of `to_int`: 202611 → Month(2026, 11); ValueError on a bad value."""
        _check_int("month number", value, MINYEAR * 100 + 1, MAXYEAR * 100 + 12)
        return cls(*divmod(value, 100))

    def to_int(self) -> int:
        """``yyyymm`` as an int, e.g. 202611 (sorts like the month; handy as a key)."""
        return self.year * 100 + self.month

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The Chinese label used on forms: ``2026年11月``."""
        return f"{self.year}年{self.month}月"

    @property
    def quarter(self) -> int:
        """The quarter of the year, 1–4."""
        return (self.month - 1) // 3 + 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, monthrange(self.year, self.month)[1])

    def plus(self, months: int) -> Month:
        """The month `months` later (earlier when negative)."""
        year, month0 = divmod(self.year * 12 + self.month - 1 + months, 12)
        return Month(year, month0 + 1)

    def next(self) -> Month:
        return self.plus(1)

    def prev(self) -> Month:
        return self.plus(-1)

    def months_until(self, other: Month) -> int:
        """How many months from self to `other`: 2026-11 → 2027-02 is 3; negative if earlier."""
        return (other.year - self.year) * 12 + other.month - self.month


def months_of_year(year: int) -> tuple[Month, ...]:
    """The twelve months of `year`, January first."""
    return tuple(Month(year, month) for month in range(1, 13))


def time_progress(month: Month) -> Fraction:
    """序时进度 at the end of `month`: months elapsed in the year, this one included, ÷ 12.

    Month(2026, 3) → 1/4; December → 1.
    """
    return Fraction(month.month, 12)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, e.g. ``Quarter(2026, 4)``; ordered chronologically."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        _check_int("year", self.year, MINYEAR, MAXYEAR)
        _check_int("quarter", self.quarter, 1, 4)

    @classmethod
    def of(cls, month: Month) -> Quarter:
        """The quarter containing `month`."""
        return cls(month.year, month.quarter)

    def __str__(self) -> str:
        return f"{self.year:04d}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """The Chinese label used on forms: ``2026年第4季度``."""
        return f"{self.year}年第{self.quarter}季度"

    @property
    def months(self) -> tuple[Month, Month, Month]:
        first = Month(self.year, self.quarter * 3 - 2)
        return first, first.next(), first.plus(2)

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    @property
    def last_day(self) -> date:
        return self.months[2].last_day
