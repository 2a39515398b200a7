"""The office row, settings and supplied calendar years."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mibdesk.core.db.models import CalendarYearRow, Office, Setting


def get_office(session: Session) -> Office | None:
    return session.get(Office, 1)


def add_office(session: Session, office: Office) -> None:
    office.id = 1
    session.add(office)
    session.flush()


def setting_values(session: Session) -> dict[str, str]:
    return {row.key: row.value_json for row in session.scalars(select(Setting))}


def put_setting(session: Session, key: str, value_json: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value_json=value_json))
    else:
        row.value_json = value_json
    session.flush()


def calendar_years(session: Session) -> list[CalendarYearRow]:
    return list(session.scalars(select(CalendarYearRow).order_by(CalendarYearRow.year)))


def put_calendar_year(session: Session, row: CalendarYearRow) -> CalendarYearRow | None:
    """Store a year's calendar; returns the row it replaced (for the audit), if any."""
    old = session.get(CalendarYearRow, row.year)
    previous = None
    if old is not None:
        previous = CalendarYearRow(
            year=old.year, source=old.source, data_json=old.data_json, recorded_at=old.recorded_at
        )
        session.delete(old)
        session.flush()
    session.add(row)
    session.flush()
    return previous
