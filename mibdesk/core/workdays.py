"""The working-day calendar: Chinese statutory holidays and moved workdays (调休).

A day is a working day when it is listed as a moved workday, or it is Monday–Friday and not a
holiday. Calendar data is per year: built in from the `chinesecalendar` library for the years
it knows, or supplied by an office or city as a JSON file (which overrides the built-in year).
A question touching a year without data raises `CalendarUnknownError`; nothing is guessed.

Calendar file (`parse_calendar_json`; ``name`` is optional and informational only)::

    {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
     "holidays": [{"date": "2027-01-01", "name": "元旦"}, ...],
     "workdays": [{"date": "2027-02-07", "name": "春节调休上班"}]}
"""

from __future__ import annotations

import functools
import json
import re
from calendar import isleap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mibdesk.core.errors import CalendarUnknownError, ValidationError
from mibdesk.core.i18n import _

MAX_FILE_CHARS = 100_000
MAX_ENTRIES = 120
"""At most this many holidays, and as many workdays, in one calendar year."""
MAX_TEXT_CHARS = 200
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_FILE_KEYS = frozenset({"year", "source", "holidays", "workdays"})
_ENTRY_KEYS = frozenset({"date", "name"})
_SATURDAY = 5


@dataclass(frozen=True)
class CalendarYear:
    """One year's calendar data.

    `holidays`: statutory days off (weekdays, and weekend days inside a holiday period);
    `workdays`: weekend days that are working days (调休上班). All dates lie in `year`, the sets
    are disjoint, and every workday is a Saturday or Sunday (ValueError otherwise).
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str

    def __post_init__(self) -> None:
        if any(day.year != self.year for day in self.holidays | self.workdays):
            raise ValueError(f"calendar {self.year} holds a date of another year")
        if self.holidays & self.workdays:
            raise ValueError(f"calendar {self.year} lists a date as holiday and workday")
        if any(day.weekday() < _SATURDAY for day in self.workdays):
            raise ValueError(f"calendar {self.year} has a moved workday on a weekday")


def builtin_year(year: int) -> CalendarYear | None:
    """The `chinesecalendar` library's data for `year`, or None where it has none."""
    import chinese_calendar  # local: only needed when a calendar is built

    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    holidays: Iterable[date] = chinese_calendar.constants.holidays
    workdays: Iterable[date] = chinese_calendar.constants.workdays
    version: str = chinese_calendar.__version__
    return CalendarYear(
        year=year,
        holidays=frozenset(day for day in holidays if day.year == year),
        workdays=frozenset(day for day in workdays if day.year == year),
        source=f"chinesecalendar {version}",
    )


@functools.cache
def _builtin_years() -> tuple[CalendarYear, ...]:
    """Every year the library knows, read once per process (the data never changes)."""
    years = []
    year = 2004  # the library's first year
    while (data := builtin_year(year)) is not None:
        years.append(data)
        year += 1
    return tuple(years)


@dataclass(frozen=True)
class _YearIndex:
    """Precomputed lookups for one year, indexed by day of year (0-based)."""

    first_ordinal: int
    is_workday: tuple[bool, ...]
    through: tuple[int, ...]  # working days from 1 January to this day, inclusive
    workdays: tuple[date, ...]  # the working days in order

    @classmethod
    def build(cls, data: CalendarYear) -> _YearIndex:
        first = date(data.year, 1, 1)
        days = [first + timedelta(days=i) for i in range(366 if isleap(data.year) else 365)]
        flags = tuple(
            day in data.workdays or (day.weekday() < _SATURDAY and day not in data.holidays)
            for day in days
        )
        through: list[int] = []
        for flag in flags:
            through.append((through[-1] if through else 0) + flag)
        workdays = tuple(day for day, flag in zip(days, flags, strict=True) if flag)
        return cls(first.toordinal(), flags, tuple(through), workdays)

    def position(self, day: date) -> int:
        return day.toordinal() - self.first_ordinal


class WorkCalendar:
    """Working-day arithmetic over the years it has data for; O(1) per year touched."""

    def __init__(self, years: Mapping[int, CalendarYear]) -> None:
        """`years` maps each year to its data; ValueError if a key differs from its data's year."""
        for year, data in years.items():
            if year != data.year:
                raise ValueError(f"calendar for {data.year} filed under {year}")
        self._data = dict(years)
        self._index: dict[int, _YearIndex] = {}  # built on first use of a year

    @classmethod
    def with_builtin(cls, supplied: Iterable[CalendarYear] = ()) -> WorkCalendar:
        """Every year `chinesecalendar` knows, overridden by the `supplied` office/city years."""
        years = {data.year: data for data in _builtin_years()}
        years.update((data.year, data) for data in supplied)
        return cls(years)

    def years(self) -> tuple[int, ...]:
        """The years with data, in order."""
        return tuple(sorted(self._data))

    def has_year(self, year: int) -> bool:
        return year in self._data

    def year_data(self, year: int) -> CalendarYear:
        """The data used for `year` (CalendarUnknownError if none)."""
        self._year(year)
        return self._data[year]

    def is_workday(self, day: date) -> bool:
        index = self._year(day.year)
        return index.is_workday[index.position(day)]

    def add_workdays(self, day: date, n: int) -> date:
        """The `n`-th working day after `day` (days strictly after it count); `n` = 0 gives `day`.

        E.g. a deadline "within 3 working days" of `day` is ``add_workdays(day, 3)``.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, not {n}")
        index = self._year(day.year)
        wanted = index.through[index.position(day)] + n  # rank within the year of day
        year = day.year
        while n and wanted > len(index.workdays):
            wanted -= len(index.workdays)
            year += 1
            index = self._year(year)
        return index.workdays[wanted - 1] if n else day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; if end < start, minus the working days in (end, start]."""
        if end < start:
            return -self.workdays_between(end, start)
        first, last = self._year(start.year), self._year(end.year)
        whole_years = sum(len(self._year(y).workdays) for y in range(start.year, end.year))
        return whole_years + last.through[last.position(end)] - first.through[first.position(start)]

    def next_workday(self, day: date, *, include_today: bool = True) -> date:
        """The first working day on or after `day` (strictly after unless `include_today`)."""
        if include_today and self.is_workday(day):
            return day
        return self.add_workdays(day, 1)

    def previous_workday(self, day: date, *, include_today: bool = True) -> date:
        """The last working day on or before `day` (strictly before unless `include_today`)."""
        index = self._year(day.year)
        position = index.position(day)
        if include_today and index.is_workday[position]:
            return day
        earlier = index.through[position] - index.is_workday[position]  # working days before
        year = day.year
        while earlier == 0:
            year -= 1
            index = self._year(year)
            earlier = len(index.workdays)
        return index.workdays[earlier - 1]

    def _year(self, year: int) -> _YearIndex:
        index = self._index.get(year)
        if index is not None:
            return index
        data = self._data.get(year)
        if data is None:
            raise CalendarUnknownError(
                _(
                    "There is no working-day calendar for {year}. Import or enter the holiday "
                    "calendar for {year} (the State Council notice) before working days in {year} "
                    "can be counted."
                ).format(year=year)
            )
        index = self._index[year] = _YearIndex.build(data)
        return index


def parse_calendar_json(text: str, *, where: str) -> CalendarYear:
    """Read and check a calendar file (format in the module docstring).

    Strict: exactly the keys shown; ``year`` an integer 1900–2999; ``source`` a non-empty text;
    ``holidays`` non-empty; at most MAX_ENTRIES entries per list; ISO dates (yyyy-mm-dd) inside
    the year; no duplicates, no date in both lists; workdays only on Saturdays and Sundays.
    Raises ValidationError whose `where` names the file and the entry (``holidays[3]``).
    """
    if len(text) > MAX_FILE_CHARS:
        raise ValidationError(_("The calendar file is too large."), where=where)
    try:
        raw = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except (ValueError, _DuplicateKey) as error:
        raise ValidationError(
            _("The calendar file is not valid JSON: {error}").format(error=error), where=where
        ) from None
    if not isinstance(raw, dict) or set(raw) != _FILE_KEYS:
        raise ValidationError(
            _("A calendar file must have exactly the keys year, source, holidays, workdays."),
            where=where,
        )
    year = raw["year"]
    if type(year) is not int or not 1900 <= year <= 2999:
        raise ValidationError(_("Not a calendar year: {year}").format(year=year), where=where)
    source = raw["source"]
    if not isinstance(source, str) or not source.strip() or len(source) > MAX_TEXT_CHARS:
        raise ValidationError(
            _("The source must name the notice the dates come from."), where=where
        )
    holidays = _dates(raw["holidays"], "holidays", year, where)
    workdays = _dates(raw["workdays"], "workdays", year, where)
    if not holidays:
        raise ValidationError(_("The calendar lists no holidays."), where=f"{where}: holidays")
    for day, i in workdays.items():
        if day in holidays:
            raise ValidationError(
                _("{date} is listed both as a holiday and as a workday.").format(date=day),
                where=f"{where}: workdays[{i}]",
            )
        if day.weekday() < _SATURDAY:
            raise ValidationError(
                _("{date} is a weekday; only a Saturday or Sunday can be a moved workday.").format(
                    date=day
                ),
                where=f"{where}: workdays[{i}]",
            )
    return CalendarYear(year, frozenset(holidays), frozenset(workdays), source.strip())


def calendar_to_json(data: CalendarYear) -> str:
    """The calendar file for `data`; `parse_calendar_json` reads it back equal."""
    document = {
        "year": data.year,
        "source": data.source,
        "holidays": [{"date": day.isoformat()} for day in sorted(data.holidays)],
        "workdays": [{"date": day.isoformat()} for day in sorted(data.workdays)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class _DuplicateKey(Exception):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"duplicate key {key!r}")
        result[key] = value
    return result


def _dates(entries: object, key: str, year: int, where: str) -> dict[date, int]:
    """Each entry's date → its position in the list, checked; ValidationError naming the entry."""
    if not isinstance(entries, list):
        raise ValidationError(_("This must be a list of dates."), where=f"{where}: {key}")
    if len(entries) > MAX_ENTRIES:
        raise ValidationError(
            _("Too many entries (at most {limit}).").format(limit=MAX_ENTRIES),
            where=f"{where}: {key}",
        )
    seen: dict[date, int] = {}
    for i, entry in enumerate(entries):
        at = f"{where}: {key}[{i}]"
        if not isinstance(entry, dict) or "date" not in entry or not set(entry) <= _ENTRY_KEYS:
            raise ValidationError(
                _("Each entry must be an object with a date and an optional name."), where=at
            )
        text, name = entry["date"], entry.get("name", "")
        if not isinstance(name, str) or len(name) > MAX_TEXT_CHARS:
            raise ValidationError(_("The name must be a short text."), where=at)
        if not isinstance(text, str) or _ISO_DATE.fullmatch(text) is None:
            raise ValidationError(
                _("Not a date (use 2027-01-01): {text}").format(text=text), where=at
            )
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValidationError(_("No such date: {text}").format(text=text), where=at) from None
        if day.year != year:
            raise ValidationError(
                _("{date} is not in {year}.").format(date=text, year=year), where=at
            )
        if day in seen:
            raise ValidationError(_("{date} is listed twice.").format(date=text), where=at)
        seen[day] = i
    return seen
