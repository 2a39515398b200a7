"""Quotas, budget adjustments and fund-use plans."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mibdesk.core.db.models import FundPlan, FundPlanLine, Quota, QuotaAdjustment

APPROVED_STATUSES = ("approved", "disbursed")


def quotas(session: Session, scheme: str, year: int) -> list[Quota]:
    return list(
        session.scalars(
            select(Quota).where(Quota.scheme == scheme, Quota.year == year).order_by(Quota.line)
        )
    )


def quota(session: Session, scheme: str, year: int, line: str = "") -> Quota | None:
    return session.scalars(
        select(Quota).where(Quota.scheme == scheme, Quota.year == year, Quota.line == line)
    ).first()


def adjustments(session: Session, scheme: str, year: int) -> list[QuotaAdjustment]:
    return list(
        session.scalars(
            select(QuotaAdjustment)
            .where(QuotaAdjustment.scheme == scheme, QuotaAdjustment.year == year)
            .order_by(QuotaAdjustment.doc_date, QuotaAdjustment.id)
        )
    )


def add(session: Session, row: Quota | QuotaAdjustment | FundPlan | FundPlanLine) -> None:
    session.add(row)
    session.flush()


def plan_versions(session: Session, scheme: str, period: int) -> list[FundPlan]:
    return list(
        session.scalars(
            select(FundPlan)
            .where(FundPlan.scheme == scheme, FundPlan.period == period)
            .order_by(FundPlan.version)
        )
    )


def plans_of_year(session: Session, scheme: str, year: int) -> list[FundPlan]:
    """The newest version of each month's plan of `year`."""
    newest = (
        select(FundPlan.period, func.max(FundPlan.version).label("version"))
        .where(FundPlan.scheme == scheme, FundPlan.period.between(year * 100 + 1, year * 100 + 12))
        .group_by(FundPlan.period)
        .subquery()
    )
    return list(
        session.scalars(
            select(FundPlan)
            .join(
                newest,
                (FundPlan.period == newest.c.period) & (FundPlan.version == newest.c.version),
            )
            .where(FundPlan.scheme == scheme)
            .order_by(FundPlan.period)
        )
    )


def plan_lines(session: Session, plan_id: int) -> list[FundPlanLine]:
    return list(
        session.scalars(
            select(FundPlanLine).where(FundPlanLine.plan_id == plan_id).order_by(FundPlanLine.id)
        )
    )


def lines_of_plans(session: Session, plan_ids: list[int]) -> dict[int, list[FundPlanLine]]:
    found: dict[int, list[FundPlanLine]] = {pid: [] for pid in plan_ids}
    if plan_ids:
        for row in session.scalars(
            select(FundPlanLine).where(FundPlanLine.plan_id.in_(plan_ids)).order_by(FundPlanLine.id)
        ):
            found[row.plan_id].append(row)
    return found


def latest_of_period(session: Session, period: int) -> dict[str, FundPlan]:
    """scheme → the newest version of its plan for `period`."""
    found: dict[str, FundPlan] = {}
    for plan in session.scalars(
        select(FundPlan).where(FundPlan.period == period).order_by(FundPlan.version)
    ):
        found[plan.scheme] = plan
    return found
