"""Queries of the year-end settlement: the city's worksheet of a year and what was typed into
it, the latest revision of every county's report of the year, a county's notices."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mibdesk.core.db.models import CountyReport, CountyReportValue
from mibdesk.core.db.settlement_models import SettlementEntry, SettlementNotice, SettlementSheet
from mibdesk.core.repos import city as city_repo

EntryKey = tuple[str, str, str]
"""(county, scheme, field): county '' for a pooled fund, scheme '' for a grade."""


def sheet(session: Session, year: int) -> SettlementSheet | None:
    return session.scalars(select(SettlementSheet).where(SettlementSheet.year == year)).first()


def entries(session: Session, sheet_id: int) -> dict[EntryKey, int | str]:
    """What the city typed: amounts as int fen, grades as text."""
    query = select(
        SettlementEntry.county,
        SettlementEntry.scheme,
        SettlementEntry.field,
        SettlementEntry.amount,
        SettlementEntry.text,
    ).where(SettlementEntry.sheet_id == sheet_id)
    return {
        (county, scheme, field): (amount if amount is not None else text)
        for county, scheme, field, amount, text in session.execute(query)
    }


def put_entry(session: Session, sheet_id: int, key: EntryKey, value: int | str | None) -> None:
    """Store (or with None, clear) one typed value."""
    county, scheme, field = key
    session.execute(
        delete(SettlementEntry).where(
            SettlementEntry.sheet_id == sheet_id,
            SettlementEntry.county == county,
            SettlementEntry.scheme == scheme,
            SettlementEntry.field == field,
        )
    )
    if value is None:
        return
    session.add(
        SettlementEntry(
            sheet_id=sheet_id,
            county=county,
            scheme=scheme,
            field=field,
            amount=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
    )


def latest_reports(session: Session, year: int) -> list[city_repo.ReportHead]:
    """The latest revision of each county's report of each scheme and month of `year`."""
    periods = [year * 100 + month for month in range(1, 13)]
    latest: dict[tuple[str, str, int], city_repo.ReportHead] = {}
    for head in city_repo.report_heads(session, periods):
        key = (head.office, head.scheme, head.period)
        if key not in latest or head.revision > latest[key].revision:
            latest[key] = head
    return list(latest.values())


def year_line_sums(session: Session, report_ids: Sequence[int]) -> dict[tuple[str, str, str], int]:
    """(county, scheme, line) → Σ over the reports `report_ids` and their units: a year of
    each line per county, summed by the database (a few rows per county, not per month)."""
    found: dict[tuple[str, str, str], int] = {}
    ids = list(report_ids)
    for start in range(0, len(ids), city_repo.CHUNK):
        query = (
            select(
                CountyReport.office,
                CountyReport.scheme,
                CountyReportValue.line,
                func.sum(CountyReportValue.value),
            )
            .join(CountyReport, CountyReport.id == CountyReportValue.report_id)
            .where(CountyReportValue.report_id.in_(ids[start : start + city_repo.CHUNK]))
            .group_by(CountyReport.office, CountyReport.scheme, CountyReportValue.line)
        )
        for office, scheme, line, total in session.execute(query):
            key = (office, scheme, line)
            found[key] = found.get(key, 0) + int(total)
    return found


def notices(session: Session, year: int) -> Sequence[SettlementNotice]:
    query = (
        select(SettlementNotice)
        .where(SettlementNotice.year == year)
        .order_by(SettlementNotice.id.desc())
    )
    return list(session.scalars(query))
