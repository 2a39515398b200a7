"""The office's working-day calendar: built-in years plus years the office or city supplied."""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.db.models import CalendarYearRow
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, office
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store
from mibdesk.core.workdays import CalendarYear, WorkCalendar, calendar_to_json, parse_calendar_json


@dataclass(frozen=True)
class CalendarYearStatus:
    year: int
    source: str
    supplied: bool  # True: imported by the office or city; False: built into the program
    holidays: int
    workdays: int


def _supplied(store: Store) -> list[CalendarYear]:
    with store.read() as session:
        rows = office.calendar_years(session)
        return [
            parse_calendar_json(
                row.data_json, where=_("stored calendar {year}").format(year=row.year)
            )
            for row in rows
        ]


def work_calendar(store: Store) -> WorkCalendar:
    """Built-in statutory years, overridden by the years the office or city supplied."""
    return WorkCalendar.with_builtin(_supplied(store))


def calendar_status(store: Store) -> list[CalendarYearStatus]:
    calendar = work_calendar(store)
    supplied = {data.year for data in _supplied(store)}
    return [
        CalendarYearStatus(
            year, data.source, year in supplied, len(data.holidays), len(data.workdays)
        )
        for year in calendar.years()
        for data in [calendar.year_data(year)]
    ]


def import_calendar(store: Store, actor: Actor, text: str, *, where: str) -> Outcome[CalendarYear]:
    """Store a year's calendar from a JSON file's text (replacing a supplied one, audited)."""
    require(actor, Permission.CHANGE_SETTINGS)
    return save_calendar_year(store, actor, parse_calendar_json(text, where=where), reason=where)


def save_calendar_year(
    store: Store, actor: Actor, data: CalendarYear, *, reason: str
) -> Outcome[CalendarYear]:
    """Store `data` as the office's calendar for its year (replacing a supplied one; audited
    with `reason`). The year must pass the calendar file's checks (a source, at least one
    holiday, moved workdays on weekends only): ValidationError otherwise, nothing stored."""
    require(actor, Permission.CHANGE_SETTINGS)
    if not data.source.strip():
        raise ValidationError(
            _("Name the notice the dates come from (the source)."), where=_("Source")
        )
    canonical = calendar_to_json(data)
    checked = parse_calendar_json(canonical, where=_("Calendar {year}").format(year=data.year))
    with store.write() as session:
        previous = office.put_calendar_year(
            session,
            CalendarYearRow(
                year=checked.year,
                source=checked.source,
                data_json=canonical,
                recorded_at=stamp(store.clock()),
            ),
        )
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="calendar.import",
            entity="calendar_year",
            entity_key=str(checked.year),
            before=None if previous is None else previous.data_json,
            after=canonical,
            reason=reason,
        )
    return Outcome(checked, Changes.of(Area.CALENDAR, Area.AUDIT))


def export_calendar(store: Store, year: int) -> str:
    """The year's data as a calendar file (a starting point for editing the next year)."""
    return calendar_to_json(work_calendar(store).year_data(year))


def calendar_year(store: Store, year: int) -> CalendarYear | None:
    """The data used for `year` (supplied, else built in), or None when there is none."""
    calendar = work_calendar(store)
    return calendar.year_data(year) if calendar.has_year(year) else None
