"""Is a month's figure far from its own history? A seasonal, robust outlier test.

A line's series is its county total per month (fen or persons; months missing = not
reported). For the month checked, and for each past month in turn, an **expected value** is
forecast from the months before it only:

* ``seasonal`` — the same month last year × trend, where trend = Σ of the recent months ÷ Σ
  of the same months a year earlier, over the last `trend_months` (12) months for which both
  are reported, at least `min_trend_pairs` (3) of them. With 24 months of history this is
  exactly (sum of the last 12 months) ÷ (sum of the 12 before). It follows the season
  (January/December high, February low) and the year's growth at once.
* ``recent`` — otherwise, the median of the last `recent_months` (3) reported months.

The past forecasts' errors, as log ratios ln(actual ÷ expected), measure the line's normal
variation: centre = their median, spread = 1.4826 × their median absolute deviation (an
estimate of the standard deviation that a few odd months do not inflate). The figure is an
outlier when both its robust z = (ln(actual ÷ expected) − centre) ÷ spread exceeds `z_limit`
(3.5) in size **and** it is more than `min_deviation` (20 %) away from the expected value:
the first keeps a volatile line quiet, the second a very smooth one.

No test: fewer than `min_history` (13) reported months before the month (no same month last
year), or an expected value ≤ 0. With fewer than `min_points` (6) past log ratios the spread
is the prior `prior_spread` (0.10) and the centre 0. A figure ≤ 0 against a positive
expectation is an outlier unless the line has dropped to zero like that before.

Money stays integer fen: expected values are exact `Fraction`s (round with
`OutlierResult.expected_rounded`); floats appear only in the statistics of log ratios.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from mibdesk.core.periods import Month

MAD_TO_SD = 1.4826
"""Scales a median absolute deviation to a standard deviation (for normal errors)."""

Method = Literal["seasonal", "recent"]
Skip = Literal["", "short_history", "no_expectation"]


@dataclass(frozen=True)
class OutlierParams:
    """The test's parameters (mibdesk defaults; docs/decisions.md "Monthly figure checks")."""

    z_limit: float = 3.5
    min_deviation: Fraction = Fraction(1, 5)
    min_history: int = 13
    trend_months: int = 12
    min_trend_pairs: int = 3
    recent_months: int = 3
    min_points: int = 6
    max_points: int = 60
    prior_spread: float = 0.10
    spread_floor: float = 0.01


DEFAULT_PARAMS = OutlierParams()


@dataclass(frozen=True)
class Forecast:
    """An expected value and how it was found."""

    expected: Fraction
    method: Method
    same_month_last_year: int | None = None
    trend: Fraction | None = None
    trend_pairs: int = 0


@dataclass(frozen=True)
class Spread:
    """The line's normal variation, from the log ratios of its past forecasts."""

    centre: float
    spread: float
    points: int
    drops: int
    """Past months at or below 0 while a positive value was expected."""
    prior: bool = False
    """True when there were too few points and `prior_spread` was used."""


@dataclass(frozen=True)
class OutlierResult:
    """The working of one test: forecast, spread, deviation, z, and the verdict."""

    month: Month
    actual: int
    skipped: Skip
    forecast: Forecast | None = None
    spread: Spread | None = None
    deviation: Fraction | None = None
    """actual ÷ expected − 1 (−1 and below for a figure at or below zero)."""
    log_ratio: float | None = None
    z: float | None = None
    flagged: bool = False

    @property
    def expected_rounded(self) -> int:
        """The expected value rounded half-up to a whole fen or person (0 when skipped)."""
        if self.forecast is None:
            return 0
        return round_half_up(self.forecast.expected)

    @property
    def normal_band(self) -> float:
        """The spread as a relative deviation: exp(spread) − 1 (0.08 = ±8 %)."""
        return math.expm1(self.spread.spread) if self.spread else 0.0


def round_half_up(value: Fraction) -> int:
    """`value` to the nearest integer, halves away from zero."""
    whole, rest = divmod(abs(value.numerator), value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return -whole if value < 0 else whole


def forecast(
    series: Mapping[Month, int], month: Month, params: OutlierParams = DEFAULT_PARAMS
) -> Forecast | None:
    """The expected value for `month` from the months of `series` before it, or None when
    there are fewer than `min_history` of them or nothing to forecast from."""
    values, before, at = _indexed(series, month)
    return _forecast(values, before, at, params)


def spread(
    series: Mapping[Month, int], month: Month, params: OutlierParams = DEFAULT_PARAMS
) -> Spread:
    """Normal variation of the line before `month`: the log ratios of the last `max_points`
    past months that could be forecast (each from the months before it only)."""
    values, before, _ = _indexed(series, month)
    return _spread(values, before, params)


def check_outlier(
    series: Mapping[Month, int],
    month: Month,
    actual: int,
    params: OutlierParams = DEFAULT_PARAMS,
) -> OutlierResult:
    """Whether `actual` for `month` is far from what `series` (earlier months) leads one to
    expect. Months of `series` at or after `month` are ignored."""
    values, before, at = _indexed(series, month)
    expected = _forecast(values, before, at, params)
    if expected is None:
        short = len(before) < params.min_history
        return OutlierResult(month, actual, "short_history" if short else "no_expectation")
    if expected.expected <= 0:
        return OutlierResult(month, actual, "no_expectation", expected)
    variation = _spread(values, before, params)
    deviation = Fraction(actual) / expected.expected - 1
    far = abs(deviation) > params.min_deviation
    if actual <= 0:
        flagged = far and variation.drops == 0  # a first drop to zero, not a usual one
        return OutlierResult(
            month, actual, "", expected, variation, deviation, None, -math.inf, flagged
        )
    log_ratio = _log_ratio(actual, expected.expected)
    z = (log_ratio - variation.centre) / variation.spread
    flagged = far and abs(z) > params.z_limit
    return OutlierResult(month, actual, "", expected, variation, deviation, log_ratio, z, flagged)


def _indexed(series: Mapping[Month, int], month: Month) -> tuple[dict[int, int], list[int], int]:
    """Months as consecutive integers (fast arithmetic): the values, the sorted indices
    before `month`, and `month`'s index."""
    values = {m.year * 12 + m.month - 1: value for m, value in series.items()}
    at = month.year * 12 + month.month - 1
    return values, sorted(i for i in values if i < at), at


def _spread(values: Mapping[int, int], before: Sequence[int], params: OutlierParams) -> Spread:
    ratios: list[float] = []
    drops = 0
    for past in reversed(before):
        if len(ratios) + drops >= params.max_points:
            break
        expected = _forecast(values, before, past, params)
        if expected is None or expected.expected <= 0:
            continue
        if values[past] <= 0:
            drops += 1
            continue
        ratios.append(_log_ratio(values[past], expected.expected))
    if len(ratios) < params.min_points:
        return Spread(0.0, params.prior_spread, len(ratios), drops, prior=True)
    centre = statistics.median(ratios)
    mad = statistics.median(abs(ratio - centre) for ratio in ratios)
    return Spread(centre, max(MAD_TO_SD * mad, params.spread_floor), len(ratios), drops)


def _forecast(
    values: Mapping[int, int], before: Sequence[int], at: int, params: OutlierParams
) -> Forecast | None:
    """`before`: the sorted month indices of `values` earlier than some month ≥ `at`."""
    if bisect_left(before, at) < params.min_history:
        return None
    last_year = values.get(at - 12)
    if last_year is not None:
        recent = year_earlier = pairs = 0
        for then in range(at - 1, at - 1 - params.trend_months, -1):
            if then in values and then - 12 in values:
                recent += values[then]
                year_earlier += values[then - 12]
                pairs += 1
        if pairs >= params.min_trend_pairs and year_earlier > 0 and recent >= 0:
            trend = Fraction(recent, year_earlier)
            return Forecast(last_year * trend, "seasonal", last_year, trend, pairs)
    latest = [
        values[then] for then in range(at - 1, at - 1 - params.recent_months, -1) if then in values
    ]
    if not latest:
        return None
    return Forecast(_median(latest), "recent")


def _median(values: Sequence[int]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def _log_ratio(actual: int, expected: Fraction) -> float:
    """ln(actual ÷ expected) for positive values, exact ratio first (no float money)."""
    return math.log(Fraction(actual) / expected)
