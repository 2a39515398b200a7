"""Quota execution (预算执行): per scheme and line, quota, plans approved, money received,
spending, what remains, the risk indicators, the projection and the chart series.

Reads only; every figure comes with its working from the pure rules in `core/rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.catalog import Profile
from mibdesk.core.monthly import with_computed
from mibdesk.core.periods import Month
from mibdesk.core.repos import figures, plans
from mibdesk.core.rules.execution import ExecutionInputs, Indicator, indicators
from mibdesk.core.rules.figure_checks import collection_totals
from mibdesk.core.rules.projection import (
    CumulativeSeries,
    Projection,
    cumulative_series,
    project_year,
)
from mibdesk.core.rules.quota import ClosingSummary, QuotaPosition, closing_summary, quota_position
from mibdesk.core.services.quotas import (
    QuotaDocument,
    approved_plans,
    documents,
    quota_inputs,
)
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class LineExecution:
    line: str
    name: str
    quota: int | None  # where the city splits the quota per line
    approved_plans: int
    spent: int  # year to date
    spent_last_year: int  # the same months last year
    remaining: int | None


@dataclass(frozen=True)
class SchemeExecution:
    scheme: str
    name: str
    year: int
    through: Month | None  # the last month with figures this year
    position: QuotaPosition | None  # None while no quota is recorded
    lines: tuple[LineExecution, ...]
    indicators: tuple[Indicator, ...]
    projection: Projection | None
    series: CumulativeSeries
    documents: tuple[QuotaDocument, ...]
    closing: ClosingSummary | None  # once December is reported


def scheme_execution(store: Store, profile: Profile, scheme: str, year: int) -> SchemeExecution:
    """Everything the execution dashboard shows for one scheme and year."""
    scheme_profile = profile.scheme(scheme)
    with store.read() as session:
        found = figures.county_totals_between(
            session, scheme, Month(year - 1, 1).to_int(), Month(year, 12).to_int()
        )
        monthly = {Month.from_int(p): with_computed(scheme_profile, v) for p, v in found.items()}
        inputs = quota_inputs(session, profile, scheme, year)
        approved = approved_plans(session, scheme, year)
        received = sum(
            p.disbursed_amount or 0
            for p in plans.plans_of_year(session, scheme, year)
            if p.status == "disbursed"
        )
        line_quotas = {q.line: q.amount for q in plans.quotas(session, scheme, year) if q.line}
        line_plans = {
            line.code: approved_plans(session, scheme, year, line.code)
            for line in scheme_profile.lines_in("expenditure")
            if not line.computed
        }
    total = scheme_profile.total("expenditure").code
    income_total = scheme_profile.total("income").code
    spending = {m: v[total] for m, v in monthly.items() if total in v}
    this_year = sorted(m for m in spending if m.year == year)
    through = this_year[-1] if this_year else None
    spent_ytd = sum(spending[m] for m in this_year)
    position = (
        None
        if inputs is None
        else quota_position(inputs, approved_plans=approved, received=received, spent=spent_ytd)
    )
    available = None if inputs is None else inputs.available
    lines = []
    for line in scheme_profile.lines_in("expenditure"):
        if line.computed:
            continue
        spent = sum(monthly[m].get(line.code, 0) for m in this_year)
        before = sum(monthly.get(Month(year - 1, m.month), {}).get(line.code, 0) for m in this_year)
        quota = line_quotas.get(line.code)
        lines.append(
            LineExecution(
                line.code,
                line.name,
                quota,
                line_plans.get(line.code, 0),
                spent,
                before,
                None if quota is None else quota - spent,
            )
        )
    found_indicators: tuple[Indicator, ...] = ()
    if through is not None:
        latest = monthly[through]
        collected = collection_totals(scheme_profile, latest)
        found_indicators = indicators(
            ExecutionInputs(
                month=through,
                available=available,
                spent_ytd=spent_ytd,
                balance=latest.get(scheme_profile.balance_line.code),
                spending=spending,
                income_month=latest.get(income_total),
                spending_month=latest.get(total),
                collected=collected[0] if collected else None,
                expected_collection=collected[1] if collected else None,
            ),
            profile,
        )
    closing = None
    if inputs is not None and through == Month(year, 12):
        closing = closing_summary(inputs, spent_ytd, profile)
    return SchemeExecution(
        scheme=scheme,
        name=scheme_profile.name,
        year=year,
        through=through,
        position=position,
        lines=tuple(lines),
        indicators=found_indicators,
        projection=None if through is None else project_year(spending, through, available),
        series=cumulative_series(spending, year, available),
        documents=tuple(documents(store, scheme, year)),
        closing=closing,
    )


def execution(store: Store, profile: Profile, year: int) -> list[SchemeExecution]:
    """The dashboard for every scheme the city pools."""
    return [scheme_execution(store, profile, s.code, year) for s in profile.schemes]
