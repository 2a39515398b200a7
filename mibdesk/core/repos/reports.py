"""Monthly reports, quotas and fund-use plans: the queries the workbench and demo need."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from mibdesk.core.db.models import FundPlan, FundPlanLine, MonthlyReport, Quota, ReportValue


def report_statuses(session: Session, period: int) -> dict[str, str]:
    """scheme → status of its monthly report for `period` (YYYYMM)."""
    rows = session.execute(
        select(MonthlyReport.scheme, MonthlyReport.status).where(MonthlyReport.period == period)
    )
    return {scheme: status for scheme, status in rows}


def insert_reports(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(insert(MonthlyReport), rows)


def report_ids(session: Session) -> dict[tuple[str, int], int]:
    rows = session.execute(select(MonthlyReport.scheme, MonthlyReport.period, MonthlyReport.id))
    return {(scheme, period): rid for scheme, period, rid in rows}


def insert_values(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(insert(ReportValue), rows)


def insert_quotas(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(insert(Quota), rows)


def insert_plans(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(insert(FundPlan), rows)


def plan_ids(session: Session) -> dict[tuple[str, int], int]:
    rows = session.execute(select(FundPlan.scheme, FundPlan.period, FundPlan.id))
    return {(scheme, period): pid for scheme, period, pid in rows}


def insert_plan_lines(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(insert(FundPlanLine), rows)
