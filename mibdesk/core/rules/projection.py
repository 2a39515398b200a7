"""Year-end spending at the current pace, seasonality-aware, and when the quota runs out.

Method (docs/decisions.md "Quotas, execution and plan suggestions"):

* trend = spending this year ÷ spending in the same months last year, over the months up to
  `through` reported in both years (year-to-date against the same period last year);
* each month still to come = the same month last year × trend, rounded half-up to the fen:
  it keeps the season (January and December high, February low; domain.md "Orders of
  magnitude") and this year's growth;
* a month with no figure last year (or no trend at all) = the average month reported this
  year;
* the months reported this year count as they are.

The quota runs out in the first month whose cumulative spending (actual, then projected)
passes the available quota. Also the cumulative series the execution charts draw: actual
spending, last year, the quota line and the time-progress line (quota × months ÷ 12).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month, months_of_year
from mibdesk.core.rules.outliers import round_half_up
from mibdesk.core.rules.quota import ACCOUNTS_SOURCE, CEILING_SOURCE
from mibdesk.core.rules.working import Step, large_yuan, ratio, yuan

ProjectionMethod = Literal["actual", "seasonal", "average"]
PROJECTION_SOURCE = (
    "mibdesk 默认（上年同月支出 × 本年趋势（本年累计 ÷ 上年同期）；上年同月无数据的按本年月均）"
)


@dataclass(frozen=True)
class ProjectedMonth:
    """One month of the year: actual or projected spending and the cumulative total.

    `basis` is last year's figure for the month when the month is projected from it.
    """

    month: Month
    amount: int
    method: ProjectionMethod
    basis: int | None
    cumulative: int


@dataclass(frozen=True)
class Projection:
    """The year projected at the current pace, with its method and numbers.

    `total` is None (and `months` empty) when nothing is reported this year up to `through`.
    `trend` = `paired_this_year` ÷ `paired_last_year` (None without a usable pair);
    `average` = `ytd` ÷ months reported this year. `excess` = total − available when the
    projection passes the quota (else 0); `runs_out` is then the first month whose cumulative
    spending passes it.
    """

    year: int
    through: Month
    months: tuple[ProjectedMonth, ...]
    ytd: int
    reported_months: int
    paired_this_year: int
    paired_last_year: int
    trend: Fraction | None
    average: Fraction | None
    total: int | None
    available: int | None
    excess: int
    runs_out: Month | None
    sentence: str
    working: tuple[Step, ...]


@dataclass(frozen=True)
class CumulativeSeries:
    """Month-by-month cumulative lines for a chart of `year` (12 points each).

    `actual` is None after the last month reported this year (a missing month before it
    counts as 0); `last_year` likewise for the year before; `quota` and `time_progress`
    are None when no quota is recorded.
    """

    months: tuple[Month, ...]
    actual: tuple[int | None, ...]
    last_year: tuple[int | None, ...]
    quota: tuple[int, ...] | None
    time_progress: tuple[int, ...] | None


def project_year(
    spending: Mapping[Month, int], through: Month, available: int | None
) -> Projection:
    """Spending for `through.year` at the current pace, from monthly spending (fen) reported
    up to `through` this year and for last year; months of `spending` after `through` are
    ignored."""
    year = through.year
    months = months_of_year(year)
    actual = {m: spending[m] for m in months if m <= through and m in spending}
    ytd = sum(actual.values())
    pairs = [m for m in actual if Month(year - 1, m.month) in spending]
    paired_this = sum(actual[m] for m in pairs)
    paired_last = sum(spending[Month(year - 1, m.month)] for m in pairs)
    trend = Fraction(paired_this, paired_last) if paired_last > 0 and paired_this >= 0 else None
    average = Fraction(ytd, len(actual)) if actual else None
    if average is None:
        sentence = _("No spending is reported for {year} up to {month}: no projection yet.")
        return Projection(
            year=year,
            through=through,
            months=(),
            ytd=0,
            reported_months=0,
            paired_this_year=0,
            paired_last_year=0,
            trend=None,
            average=None,
            total=None,
            available=available,
            excess=0,
            runs_out=None,
            sentence=sentence.format(year=year, month=through.label),
            working=(),
        )
    working: list[Step] = [
        Step(
            _("Spending reported this year, {count} months").format(count=len(actual)),
            ytd,
            _("January to {month}").format(month=through.label),
            ACCOUNTS_SOURCE,
        )
    ]
    if trend is not None:
        working.append(
            Step(
                _("Trend {trend} = {this} ÷ {last} in the same months last year").format(
                    trend=ratio(trend), this=yuan(paired_this), last=yuan(paired_last)
                ),
                None,
                _("year to date ÷ the same months last year"),
                PROJECTION_SOURCE,
            )
        )
    projected: list[ProjectedMonth] = []
    cumulative = 0
    for month in months:
        last_year = spending.get(Month(year - 1, month.month))
        basis: int | None = None
        method: ProjectionMethod
        if month in actual:
            amount, method = actual[month], "actual"
        elif last_year is not None and trend is not None:
            amount, method, basis = round_half_up(last_year * trend), "seasonal", last_year
            working.append(
                Step(
                    _("{month}: last year {last} × {trend}").format(
                        month=month.label, last=yuan(last_year), trend=ratio(trend)
                    ),
                    amount,
                    _("same month last year × trend"),
                    PROJECTION_SOURCE,
                )
            )
        else:
            amount, method = round_half_up(average), "average"
            working.append(
                Step(
                    _("{month}: no figure last year; average month this year").format(
                        month=month.label
                    ),
                    amount,
                    _("spending reported this year ÷ months reported"),
                    PROJECTION_SOURCE,
                )
            )
        cumulative += amount
        projected.append(ProjectedMonth(month, amount, method, basis, cumulative))
    total = cumulative
    working.append(
        Step(
            _("Projected spending for the year"),
            total,
            _("months reported + months projected"),
            PROJECTION_SOURCE,
        )
    )
    runs_out: Month | None = None
    excess = 0
    if available is not None and total > available:
        excess = total - available
        runs_out = next(p.month for p in projected if p.cumulative > available)
        working.append(
            Step(
                _("Over the available quota of {available}").format(available=yuan(available)),
                excess,
                _("projected spending − available quota"),
                CEILING_SOURCE,
            )
        )
    sentence = _sentence(total, available, excess, runs_out, through)
    return Projection(
        year=year,
        through=through,
        months=tuple(projected),
        ytd=ytd,
        reported_months=len(actual),
        paired_this_year=paired_this,
        paired_last_year=paired_last,
        trend=trend,
        average=average,
        total=total,
        available=available,
        excess=excess,
        runs_out=runs_out,
        sentence=sentence,
        working=tuple(working),
    )


def _sentence(
    total: int, available: int | None, excess: int, runs_out: Month | None, through: Month
) -> str:
    if available is None:
        return _(
            "At the current pace spending for the year is projected at {total}; no quota is "
            "recorded."
        ).format(total=large_yuan(total))
    if runs_out is None:
        return _(
            "At the current pace spending for the year is projected at {total}, within the "
            "quota of {available} ({left} left)."
        ).format(
            total=large_yuan(total),
            available=large_yuan(available),
            left=large_yuan(available - total),
        )
    if runs_out <= through:
        return _(
            "At the current pace spending for the year is projected at {total}, {excess} over "
            "the quota; spending passed the quota in month {month}."
        ).format(total=large_yuan(total), excess=large_yuan(excess), month=runs_out.month)
    return _(
        "At the current pace spending for the year is projected at {total}, {excess} over the "
        "quota; the quota is expected to run out in month {month}."
    ).format(total=large_yuan(total), excess=large_yuan(excess), month=runs_out.month)


def cumulative_series(
    spending: Mapping[Month, int], year: int, available: int | None
) -> CumulativeSeries:
    """Cumulative spending this year and last, the quota line and the time-progress line
    (available × months ÷ 12, rounded half-up to the fen) for the 12 months of `year`."""
    months = months_of_year(year)
    quota = None if available is None else tuple(available for _ in months)
    timeline = (
        None
        if available is None
        else tuple(round_half_up(Fraction(available * m.month, 12)) for m in months)
    )
    return CumulativeSeries(
        months=months,
        actual=_cumulative(spending, months),
        last_year=_cumulative(spending, months_of_year(year - 1)),
        quota=quota,
        time_progress=timeline,
    )


def _cumulative(spending: Mapping[Month, int], months: tuple[Month, ...]) -> tuple[int | None, ...]:
    reported = [m for m in months if m in spending]
    if not reported:
        return tuple(None for _ in months)
    last = reported[-1]
    points: list[int | None] = []
    running = 0
    for month in months:
        running += spending.get(month, 0)
        points.append(running if month <= last else None)
    return tuple(points)
