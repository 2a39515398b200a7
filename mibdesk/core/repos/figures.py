"""Monthly report queries: reports, their cells, their history, amendments, explanations."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from mibdesk.core.db.models import (
    MonthlyReport,
    ReportAmendment,
    ReportChange,
    ReportExplanation,
    ReportValue,
    Township,
)
from mibdesk.core.monthly import Cell


def report(session: Session, scheme: str, period: int) -> MonthlyReport | None:
    return session.scalars(
        select(MonthlyReport).where(MonthlyReport.scheme == scheme, MonthlyReport.period == period)
    ).first()


def add_report(session: Session, scheme: str, period: int) -> MonthlyReport:
    row = MonthlyReport(scheme=scheme, period=period, status="draft", returned_reason="")
    session.add(row)
    session.flush()
    return row


def cells(session: Session, report_id: int) -> dict[Cell, int]:
    rows = session.execute(
        select(ReportValue.line, ReportValue.unit, ReportValue.value).where(
            ReportValue.report_id == report_id
        )
    )
    return {Cell(line, unit): value for line, unit, value in rows}


def county_totals_between(
    session: Session, scheme: str, first: int, last: int
) -> dict[int, dict[str, int]]:
    """period → line → the sum over every unit, for periods first..last (YYYYMM)."""
    rows = session.execute(
        select(MonthlyReport.period, ReportValue.line, func.sum(ReportValue.value))
        .join(ReportValue, ReportValue.report_id == MonthlyReport.id)
        .where(
            MonthlyReport.scheme == scheme,
            MonthlyReport.period >= first,
            MonthlyReport.period <= last,
        )
        .group_by(MonthlyReport.period, ReportValue.line)
    )
    found: dict[int, dict[str, int]] = {}
    for period, line, total in rows:
        found.setdefault(period, {})[line] = int(total)
    return found


CellChangeRow = tuple[int, Cell, int | None, int | None]  # report id, cell, old, new


def apply_cell_changes(
    session: Session,
    changes: list[CellChangeRow],
    amendment_of: dict[int, int],
    at: str,
    actor: str,
    source: str,
) -> None:
    """Write changed cells of any number of reports (None = blank) with one history row each,
    in three bulk statements. `old` must be what is stored now; `amendment_of` maps a report
    to its open amendment."""
    gone = [
        {"rid": rid, "l": cell.line, "u": cell.unit}
        for rid, cell, old, _new in changes
        if old is not None
    ]
    if gone:
        session.connection().execute(
            delete(ReportValue).where(
                ReportValue.report_id == bindparam("rid"),
                ReportValue.line == bindparam("l"),
                ReportValue.unit == bindparam("u"),
            ),
            gone,
        )
    new = [
        {"report_id": rid, "line": cell.line, "unit": cell.unit, "value": value}
        for rid, cell, _old, value in changes
        if value is not None
    ]
    connection = session.connection()  # Core executemany: several times faster than the ORM path
    if new:
        connection.execute(insert(cast(Table, ReportValue.__table__)), new)
    history = [
        {
            "report_id": rid,
            "line": cell.line,
            "unit": cell.unit,
            "old_value": old,
            "new_value": value,
            "at": at,
            "actor": actor,
            "source": source,
            "amendment_id": amendment_of.get(rid),
        }
        for rid, cell, old, value in changes
    ]
    if history:
        connection.execute(insert(cast(Table, ReportChange.__table__)), history)


def open_amendments(session: Session, report_ids: list[int]) -> dict[int, int]:
    """report id → its open amendment's id (for the reports that have one)."""
    if not report_ids:
        return {}
    rows = session.execute(
        select(ReportAmendment.report_id, ReportAmendment.id).where(
            ReportAmendment.report_id.in_(report_ids), ReportAmendment.approved_at.is_(None)
        )
    )
    return {rid: aid for rid, aid in rows}


def report_ids_between(
    session: Session, schemes: set[str], first: int, last: int
) -> dict[tuple[str, int], int]:
    rows = session.execute(
        select(MonthlyReport.scheme, MonthlyReport.period, MonthlyReport.id).where(
            MonthlyReport.scheme.in_(schemes),
            MonthlyReport.period >= first,
            MonthlyReport.period <= last,
        )
    )
    return {(scheme, period): rid for scheme, period, rid in rows}


def insert_reports(session: Session, rows: list[dict[str, object]]) -> None:
    if rows:
        session.execute(insert(MonthlyReport), rows)


def stored_between(
    session: Session, schemes: set[str], first: int, last: int
) -> tuple[dict[tuple[str, int, Cell], int], dict[tuple[str, int], str]]:
    """Every stored cell and report status of `schemes` for periods first..last, in 2 queries."""
    reports = session.execute(
        select(
            MonthlyReport.id, MonthlyReport.scheme, MonthlyReport.period, MonthlyReport.status
        ).where(
            MonthlyReport.scheme.in_(schemes),
            MonthlyReport.period >= first,
            MonthlyReport.period <= last,
        )
    ).all()
    by_id = {rid: (scheme, period) for rid, scheme, period, _status in reports}
    statuses = {(scheme, period): status for _rid, scheme, period, status in reports}
    values: dict[tuple[str, int, Cell], int] = {}
    if by_id:
        rows = session.execute(
            select(ReportValue.report_id, ReportValue.line, ReportValue.unit, ReportValue.value)
            .join(MonthlyReport, MonthlyReport.id == ReportValue.report_id)
            .where(
                MonthlyReport.scheme.in_(schemes),
                MonthlyReport.period >= first,
                MonthlyReport.period <= last,
            )
        )
        for rid, line, unit, value in rows:
            scheme, period = by_id[rid]
            values[(scheme, period, Cell(line, unit))] = value
    return values, statuses


def changes_of_cell(session: Session, report_id: int, cell: Cell) -> list[ReportChange]:
    return list(
        session.scalars(
            select(ReportChange)
            .where(
                ReportChange.report_id == report_id,
                ReportChange.line == cell.line,
                ReportChange.unit == cell.unit,
            )
            .order_by(ReportChange.id)
        )
    )


def changes_of_amendment(session: Session, amendment_id: int) -> list[ReportChange]:
    return list(
        session.scalars(
            select(ReportChange)
            .where(ReportChange.amendment_id == amendment_id)
            .order_by(ReportChange.id)
        )
    )


def amendments(session: Session, report_id: int) -> list[ReportAmendment]:
    return list(
        session.scalars(
            select(ReportAmendment)
            .where(ReportAmendment.report_id == report_id)
            .order_by(ReportAmendment.number)
        )
    )


def add_amendment(session: Session, amendment: ReportAmendment) -> ReportAmendment:
    session.add(amendment)
    session.flush()
    return amendment


def explanations(session: Session, report_id: int) -> dict[str, str]:
    rows = session.execute(
        select(ReportExplanation.problem_key, ReportExplanation.text).where(
            ReportExplanation.report_id == report_id
        )
    )
    return {key: text for key, text in rows}


def put_explanation(
    session: Session, report_id: int, key: str, text: str, actor: str, at: str
) -> None:
    row = session.scalars(
        select(ReportExplanation).where(
            ReportExplanation.report_id == report_id, ReportExplanation.problem_key == key
        )
    ).first()
    if row is None:
        session.add(
            ReportExplanation(report_id=report_id, problem_key=key, text=text, actor=actor, at=at)
        )
    else:
        row.text, row.actor, row.at = text, actor, at
    session.flush()


def townships(session: Session, active_only: bool = True) -> list[Township]:
    stmt = select(Township).order_by(Township.position, Township.code)
    if active_only:
        stmt = stmt.where(Township.active)
    return list(session.scalars(stmt))


def insert_townships(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(insert(Township), rows)


def put_township(session: Session, township: Township) -> Township | None:
    """Add or update; returns a copy of the previous row for the audit (None when new)."""
    old = session.get(Township, township.code)
    if old is None:
        session.add(township)
        session.flush()
        return None
    previous = Township(code=old.code, name=old.name, position=old.position, active=old.active)
    old.name, old.position, old.active = township.name, township.position, township.active
    session.flush()
    return previous


def reported_units(session: Session, report_id: int) -> set[str]:
    rows = session.scalars(
        select(ReportValue.unit).where(ReportValue.report_id == report_id).distinct()
    )
    return set(rows)
