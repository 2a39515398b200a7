"""What the city has issued: the allocations and adjustments as published (with each
county's package), each county's quota so far, and the plans approved against it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select

from mibdesk.core.db.models import CityAllocation, CityAllocationLine, CountyPlan, CountyPlanLine
from mibdesk.core.repos import city as repo
from mibdesk.core.services.store import Store

Kind = Literal["quota", "adjustment"]
Method = Literal["typed", "workbook", "weighted"]


@dataclass(frozen=True)
class PublishedLine:
    county: str
    name: str
    amount: int
    package_id: str  # '' while not yet sent


@dataclass(frozen=True)
class PublishedAllocation:
    id: int
    scheme: str
    year: int
    kind: Kind
    method: Method
    total: int
    doc_no: str
    doc_date: str
    reason: str
    published_by: str
    published_at: str
    lines: tuple[PublishedLine, ...]
    working: Mapping[str, list[str]]  # '' → the overall steps, county → its steps

    @property
    def pending(self) -> tuple[str, ...]:
        """Counties whose package has not been built yet."""
        return tuple(line.county for line in self.lines if not line.package_id)


def published(
    store: Store, scheme: str, year: int, allocation_id: int | None = None
) -> list[PublishedAllocation]:
    """The allocations and adjustments published for the scheme's year, oldest first."""
    with store.read() as session:
        names = {code: name for code, name, _status in repo.counties(session)}
        found = []
        for row in repo.allocations(session, scheme, year):
            if allocation_id is not None and row.id != allocation_id:
                continue
            lines = tuple(
                PublishedLine(ln.county, names.get(ln.county, ln.county), ln.amount, ln.package_id)
                for ln in repo.allocation_lines(session, row.id)
            )
            found.append(
                PublishedAllocation(
                    row.id,
                    row.scheme,
                    row.year,
                    "adjustment" if row.kind == "adjustment" else "quota",
                    row.method if row.method in ("typed", "workbook", "weighted") else "typed",  # type: ignore[arg-type]
                    row.total,
                    row.doc_no,
                    row.doc_date,
                    row.reason,
                    row.published_by,
                    row.published_at,
                    lines,
                    json.loads(row.working_json),
                )
            )
    return found


def county_quotas(store: Store, scheme: str, year: int) -> dict[str, int]:
    """Each county's quota as issued: the year's quota plus the adjustments published."""
    with store.read() as session:
        query = (
            select(CityAllocationLine.county, func.sum(CityAllocationLine.amount))
            .join(CityAllocation, CityAllocation.id == CityAllocationLine.allocation_id)
            .where(CityAllocation.scheme == scheme, CityAllocation.year == year)
            .group_by(CityAllocationLine.county)
        )
        return {county: int(total) for county, total in session.execute(query)}


def approved_plans(store: Store, scheme: str, year: int) -> dict[str, int]:
    """What the city approved in each county's plans for the year (approved or disbursed)."""
    with store.read() as session:
        query = (
            select(CountyPlan.office, func.sum(CountyPlanLine.approved))
            .join(CountyPlanLine, CountyPlanLine.plan_id == CountyPlan.id)
            .where(
                CountyPlan.scheme == scheme,
                CountyPlan.period.between(year * 100 + 1, year * 100 + 12),
                CountyPlan.status.in_(("approved", "disbursed")),
            )
            .group_by(CountyPlan.office)
        )
        return {office: int(total or 0) for office, total in session.execute(query)}
