"""Making a year's working-day calendar by hand or from the State Council notice.

`mark_day` changes one day of a year's data; `read_calendar_path` reads a calendar file the
city typed from the notice: the JSON calendar file (`mibdesk.core.workdays`), a CSV file
(UTF-8 or GB18030, as Excel/WPS save it), or a workbook (.xlsx) laid out as the CSV file,
on its first sheet (`mibdesk.core.excel.calendar_workbook`)::

    来源,国务院办公厅关于2027年部分节假日安排的通知
    日期,类型,名称
    2027-01-01,休,元旦
    2027-02-07,班,春节调休上班

Line 1 names the notice; line 2 is exactly that header; then one day per line: an ISO date
(yyyy-mm-dd) in the year being edited, 休 (a holiday) or 班 (a moved working day, Saturday or
Sunday only), and an optional name. Blank lines, and empty cells after the last one used,
are skipped. Strict: anything else is a ValidationError naming the file and the line (the
sheet and the row of a workbook); nothing is guessed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path, PurePath
from typing import Literal

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.workdays import (
    MAX_ENTRIES,
    MAX_FILE_CHARS,
    MAX_TEXT_CHARS,
    CalendarYear,
    parse_calendar_json,
)

DayKind = Literal["holiday", "workday", "normal"]
CSV_HEADER = ("日期", "类型", "名称")
KINDS = {"休": "holiday", "班": "workday"}
_SATURDAY = 5


def empty_year(year: int) -> CalendarYear:
    """A year with no holidays and no moved workdays yet (weekends off), to be filled in."""
    return CalendarYear(year, frozenset(), frozenset(), "")


def mark_day(data: CalendarYear, day: date, kind: DayKind) -> CalendarYear:
    """`data` with `day` made a holiday, a moved working day or an ordinary day.

    ValidationError when `day` is not in the year, or a weekday is made a moved workday."""
    if day.year != data.year:
        raise ValidationError(_("{date} is not in {year}.").format(date=day, year=data.year))
    if kind == "workday" and day.weekday() < _SATURDAY:
        raise ValidationError(
            _("{date} is a weekday; only a Saturday or Sunday can be a moved workday.").format(
                date=day
            )
        )
    holidays, workdays = set(data.holidays) - {day}, set(data.workdays) - {day}
    if kind == "holiday":
        holidays.add(day)
    elif kind == "workday":
        workdays.add(day)
    return CalendarYear(data.year, frozenset(holidays), frozenset(workdays), data.source)


def with_source(data: CalendarYear, source: str) -> CalendarYear:
    return CalendarYear(data.year, data.holidays, data.workdays, source.strip())


def read_calendar_path(path: Path, year: int) -> CalendarYear:
    """The calendar for `year` in the file at `path` (.xlsx, .csv or .json, see the module
    docstring); ValidationError naming the file (and line) when it is refused."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        with path.open("rb") as stream:
            return read_calendar_file(path.name, stream.read(MAX_FILE_CHARS + 1), year)
    if suffix != ".xlsx":
        raise _not_a_calendar_file(path.name)
    from mibdesk.core.excel.calendar_workbook import calendar_rows

    sheet, rows = calendar_rows(path)

    def at(number: int) -> str:
        return _("{file}, sheet {sheet}, row {row}").format(file=path.name, sheet=sheet, row=number)

    return _parse_rows(rows, year, path.name, at)


def _not_a_calendar_file(where: str) -> ValidationError:
    return ValidationError(
        _(
            "A calendar file is a workbook or a .csv file (a 来源 line, then 日期,类型,名称) "
            "or a .json calendar file."
        ),
        where=where,
    )


def read_calendar_file(name: str, content: bytes, year: int) -> CalendarYear:
    """The calendar for `year` in a file called `name` (.json or .csv); ValidationError
    naming the file (and line) when it is refused."""
    where = PurePath(name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in (".json", ".csv"):
        raise _not_a_calendar_file(where)
    text = _decode(content, where)
    if suffix == ".json":
        data = parse_calendar_json(text, where=where)
        if data.year != year:
            raise ValidationError(
                _("The file is the calendar for {got}, not for {year}.").format(
                    got=data.year, year=year
                ),
                where=where,
            )
        return data
    return parse_calendar_csv(text, year, where=where)


def _decode(content: bytes, where: str) -> str:
    if len(content) > MAX_FILE_CHARS:
        raise ValidationError(_("The calendar file is too large."), where=where)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not text (save it as CSV, UTF-8)."), where=where
        ) from None


def parse_calendar_csv(text: str, year: int, *, where: str) -> CalendarYear:
    """Read the CSV calendar for `year` (format in the module docstring)."""

    def at(number: int) -> str:
        return _("{file}, line {line}").format(file=where, line=number)

    return _parse_rows(csv.reader(io.StringIO(text)), year, where, at)


def _parse_rows(
    lines: Iterable[list[str]], year: int, where: str, at: Callable[[int], str]
) -> CalendarYear:
    """The calendar in `lines` (CSV lines or a sheet's rows); `at(n)` names line n."""
    rows = [(number, cells) for number, row in enumerate(lines, 1) if (cells := _trimmed(row))]
    if len(rows) < 2:
        raise ValidationError(
            _("The file must start with the source line and the header 日期,类型,名称."),
            where=where,
        )
    (first, source_row), (second, header) = rows[0], rows[1]
    if len(source_row) < 2 or source_row[0] != "来源" or not source_row[1]:
        raise ValidationError(
            _("The first line must be 来源, then the notice the dates come from."),
            where=at(first),
        )
    source = ",".join(source_row[1:]).strip(", ")
    if len(source) > MAX_TEXT_CHARS:
        raise ValidationError(_("The source is too long."), where=at(first))
    if tuple(header) != CSV_HEADER and tuple(header) != CSV_HEADER[:2]:
        raise ValidationError(
            _("The second line must be the header 日期,类型,名称."), where=at(second)
        )
    days: dict[date, tuple[str, int]] = {}
    for number, row in rows[2:]:
        day, kind = _entry(row, year, at(number))
        if day in days:
            raise ValidationError(
                _("{date} is listed twice (also on line {line}).").format(
                    date=day, line=days[day][1]
                ),
                where=at(number),
            )
        days[day] = (kind, number)
    holidays = frozenset(d for d, (kind, _n) in days.items() if kind == "holiday")
    workdays = frozenset(d for d, (kind, _n) in days.items() if kind == "workday")
    if not holidays:
        raise ValidationError(_("The calendar lists no holidays."), where=where)
    if len(holidays) > MAX_ENTRIES or len(workdays) > MAX_ENTRIES:
        raise ValidationError(
            _("Too many entries (at most {limit}).").format(limit=MAX_ENTRIES), where=where
        )
    return CalendarYear(year, holidays, workdays, source)


def _trimmed(row: list[str]) -> list[str]:
    """The row's cells, stripped, without the empty ones after the last one used."""
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _entry(row: list[str], year: int, where: str) -> tuple[date, str]:
    if len(row) < 2 or len(row) > 3:
        raise ValidationError(
            _("A line must have a date, 休 or 班, and an optional name."), where=where
        )
    text, mark = row[0], row[1]
    try:
        if len(text) != 10:
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("Not a date (use 2027-01-01): {text}").format(text=text), where=where
        ) from None
    if day.year != year:
        raise ValidationError(
            _("{date} is not in {year}.").format(date=text, year=year), where=where
        )
    kind = KINDS.get(mark)
    if kind is None:
        raise ValidationError(
            _("The type must be 休 (holiday) or 班 (moved working day), not {text}.").format(
                text=mark or _("(empty)")
            ),
            where=where,
        )
    if kind == "workday" and day.weekday() < _SATURDAY:
        raise ValidationError(
            _("{date} is a weekday; only a Saturday or Sunday can be a moved workday.").format(
                date=text
            ),
            where=where,
        )
    return day, kind
