"""Queries of what the counties sent the city: report and plan heads, summed figures, plan
lines; the city's applications to finance and its published allocations.

Every query here reads plain rows (tuples, not ORM objects) in bulk: one statement for all
counties of a month, sums done by the database; indexes on the period keep a month's reads
independent of the years of history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from mibdesk.core.db.exchange_models import ExchangePeer
from mibdesk.core.db.models import (
    CityAllocation,
    CityAllocationLine,
    CityApplication,
    CityApplicationItem,
    CountyPlan,
    CountyPlanLine,
    CountyReport,
    CountyReportValue,
)
from mibdesk.core.repos.prepared import Prepared


@dataclass(frozen=True)
class ReportHead:
    """One received revision of a county's monthly report."""

    id: int
    office: str
    scheme: str
    period: int
    revision: int
    reason: str
    package_id: str
    sent_at: str
    received_at: str


@dataclass(frozen=True)
class PlanHead:
    """One received version of a county's fund-use plan, its decision and disbursement."""

    id: int
    office: str
    scheme: str
    period: int
    version: int
    status: str
    package_id: str
    pdf_file: str
    submitted_at: str
    received_at: str
    decided_on: str | None
    decision_note: str
    disbursed_amount: int | None
    disbursed_on: str | None
    requested: int
    approved: int | None


_REPORT = (
    CountyReport.id,
    CountyReport.office,
    CountyReport.scheme,
    CountyReport.period,
    CountyReport.revision,
    CountyReport.reason,
    CountyReport.package_id,
    CountyReport.sent_at,
    CountyReport.received_at,
)


def counties(session: Session) -> list[tuple[str, str, str]]:
    """(code, name, status) of every county whose key the city registered, newest key last."""
    query = (
        select(ExchangePeer.office, ExchangePeer.name, ExchangePeer.status)
        .where(ExchangePeer.level == "county", ExchangePeer.status.in_(("active", "revoked")))
        .order_by(ExchangePeer.office, ExchangePeer.id)
    )
    return [(office, name, status) for office, name, status in session.execute(query)]


def report_heads(
    session: Session, periods: Sequence[int], *, office: str = "", scheme: str = ""
) -> list[ReportHead]:
    """Every revision received for `periods` (optionally one county, one scheme)."""
    query = select(*_REPORT).where(CountyReport.period.in_(list(periods)))
    if office:
        query = query.where(CountyReport.office == office)
    if scheme:
        query = query.where(CountyReport.scheme == scheme)
    query = query.order_by(CountyReport.office, CountyReport.scheme, CountyReport.revision)
    return [ReportHead(*row) for row in session.execute(query)]


CHUNK = 5000
"""Ids per IN list: well inside SQLite's and PostgreSQL's limits on bound parameters."""


def line_sums(session: Session, report_ids: Sequence[int]) -> list[tuple[int, str, int]]:
    """(report id, line, Σ over units) for each report: a county's own figure plus its
    townships'. Grouped by id, not by county text: the database sums in index order."""
    found: list[tuple[int, str, int]] = []
    ids = list(report_ids)
    for start in range(0, len(ids), CHUNK):
        query = (
            select(
                CountyReportValue.report_id,
                CountyReportValue.line,
                func.sum(CountyReportValue.value),
            )
            .where(CountyReportValue.report_id.in_(ids[start : start + CHUNK]))
            .group_by(CountyReportValue.report_id, CountyReportValue.line)
        )
        found.extend((rid, line, int(total)) for rid, line, total in session.execute(query))
    return found


def unit_values(session: Session, report_id: int) -> list[tuple[str, str, int]]:
    """(line, unit, value) of one received revision, every unit."""
    query = (
        select(CountyReportValue.line, CountyReportValue.unit, CountyReportValue.value)
        .where(CountyReportValue.report_id == report_id)
        .order_by(CountyReportValue.line, CountyReportValue.unit)
    )
    return [(line, unit, value) for line, unit, value in session.execute(query)]


def line_values(session: Session, report_ids: Sequence[int], line: str) -> list[tuple[int, int]]:
    """(report id, Σ over units) of one line in each of `report_ids`."""
    if not report_ids:
        return []
    query = (
        select(CountyReportValue.report_id, func.sum(CountyReportValue.value))
        .where(CountyReportValue.report_id.in_(list(report_ids)), CountyReportValue.line == line)
        .group_by(CountyReportValue.report_id)
    )
    return [(rid, int(total)) for rid, total in session.execute(query)]


def plan_heads(
    session: Session,
    periods: Sequence[int],
    *,
    office: str = "",
    scheme: str = "",
    statuses: Sequence[str] = (),
) -> list[PlanHead]:
    """Every version received for `periods`, with its requested and approved totals."""
    query = select(
        CountyPlan.id,
        CountyPlan.office,
        CountyPlan.scheme,
        CountyPlan.period,
        CountyPlan.version,
        CountyPlan.status,
        CountyPlan.package_id,
        CountyPlan.pdf_file,
        CountyPlan.submitted_at,
        CountyPlan.received_at,
        CountyPlan.decided_on,
        CountyPlan.decision_note,
        CountyPlan.disbursed_amount,
        CountyPlan.disbursed_on,
    ).where(CountyPlan.period.in_(list(periods)))
    if office:
        query = query.where(CountyPlan.office == office)
    if scheme:
        query = query.where(CountyPlan.scheme == scheme)
    if statuses:
        query = query.where(CountyPlan.status.in_(list(statuses)))
    query = query.order_by(CountyPlan.office, CountyPlan.scheme, CountyPlan.version)
    rows = list(session.execute(query))
    totals = plan_totals(session, [row[0] for row in rows])
    return [PlanHead(*row, *totals.get(row[0], (0, None))) for row in rows]  # type: ignore[call-arg]


def plan_totals(session: Session, plan_ids: Sequence[int]) -> dict[int, tuple[int, int | None]]:
    """plan id → (requested, approved or None while undecided), summed over its lines."""
    found: dict[int, tuple[int, int | None]] = {}
    ids = list(plan_ids)
    for start in range(0, len(ids), CHUNK):
        query = (
            select(
                CountyPlanLine.plan_id,
                func.sum(CountyPlanLine.requested),
                func.sum(CountyPlanLine.approved),
            )
            .where(CountyPlanLine.plan_id.in_(ids[start : start + CHUNK]))
            .group_by(CountyPlanLine.plan_id)
        )
        for plan_id, requested, approved in session.execute(query):
            found[plan_id] = (int(requested), None if approved is None else int(approved))
    return found


def plan_lines(
    session: Session, plan_ids: Sequence[int]
) -> list[tuple[int, str, int, str, int | None, str]]:
    """(plan id, line, requested, justification, approved, decision reason), in line order."""
    if not plan_ids:
        return []
    query = (
        select(
            CountyPlanLine.plan_id,
            CountyPlanLine.line,
            CountyPlanLine.requested,
            CountyPlanLine.justification,
            CountyPlanLine.approved,
            CountyPlanLine.decision_reason,
        )
        .where(CountyPlanLine.plan_id.in_(list(plan_ids)))
        .order_by(CountyPlanLine.plan_id, CountyPlanLine.id)
    )
    return [tuple(row) for row in session.execute(query)]


def applications(session: Session, scheme: str, period: int) -> list[CityApplication]:
    query = (
        select(CityApplication)
        .where(CityApplication.scheme == scheme, CityApplication.period == period)
        .order_by(CityApplication.number)
    )
    return list(session.scalars(query))


def application_items(
    session: Session, application_ids: Sequence[int]
) -> list[tuple[int, int, int]]:
    """(application id, plan id, amount) of the given applications."""
    if not application_ids:
        return []
    query = (
        select(
            CityApplicationItem.application_id,
            CityApplicationItem.plan_id,
            CityApplicationItem.amount,
        )
        .where(CityApplicationItem.application_id.in_(list(application_ids)))
        .order_by(CityApplicationItem.id)
    )
    return [(a, p, amount) for a, p, amount in session.execute(query)]


def allocations(session: Session, scheme: str, year: int) -> list[CityAllocation]:
    query = (
        select(CityAllocation)
        .where(CityAllocation.scheme == scheme, CityAllocation.year == year)
        .order_by(CityAllocation.id)
    )
    return list(session.scalars(query))


def allocation_lines(session: Session, allocation_id: int) -> list[CityAllocationLine]:
    query = (
        select(CityAllocationLine)
        .where(CityAllocationLine.allocation_id == allocation_id)
        .order_by(CityAllocationLine.county)
    )
    return list(session.scalars(query))


_REPORTS, _PLANS = cast(Table, CountyReport.__table__), cast(Table, CountyPlan.__table__)
_REPORT_COLUMNS = (
    "office",
    "scheme",
    "period",
    "revision",
    "reason",
    "package_id",
    "sent_at",
    "received_at",
)
_REVISION = ("office", "scheme", "period", "revision")
# A revision already received is skipped by the INSERT itself (no row returned): one
# statement instead of a look-up and an insert, and no failed statement in the transaction.
_ADD_REPORT = Prepared(
    {
        "sqlite": sqlite.insert(_REPORTS)
        .on_conflict_do_nothing(index_elements=_REVISION)
        .returning(_REPORTS.c.id),
        "postgresql": postgresql.insert(_REPORTS)
        .on_conflict_do_nothing(index_elements=_REVISION)
        .returning(_REPORTS.c.id),
    },
    _REPORT_COLUMNS,
)
_ADD_VALUES = Prepared(
    insert(cast(Table, CountyReportValue.__table__)), ("report_id", "line", "unit", "value")
)
_ADD_PLAN = insert(_PLANS).returning(_PLANS.c.id)
_ADD_LINES = insert(cast(Table, CountyPlanLine.__table__))


def add_report(
    session: Session, head: dict[str, object], values: list[dict[str, object]]
) -> int | None:
    """Store a received report (`head`: its office, scheme, period, revision, reason,
    package_id, sent_at, received_at) and its values (`line`, `unit`, `value`), the values
    in one executemany; returns its id, or None (nothing stored) when this revision of the
    county's report is already stored."""
    row = _ADD_REPORT.first(session, head)
    if row is None:
        return None
    report_id = int(row[0])
    if values:
        _ADD_VALUES.run_many(session, [{**value, "report_id": report_id} for value in values])
    return report_id


def add_plan(session: Session, head: dict[str, object], lines: list[dict[str, object]]) -> int:
    """Store a received plan (`head`: CountyPlan's columns) and its lines (`line`,
    `requested`, `justification`) with plain INSERTs; returns its id."""
    connection = session.connection()
    plan_id = int(connection.execute(_ADD_PLAN, head).scalar_one())
    if lines:
        connection.execute(_ADD_LINES, [{**line, "plan_id": plan_id} for line in lines])
    return plan_id
