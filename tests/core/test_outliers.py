"""The seasonal, robust outlier test (mibdesk.core.rules.outliers).

Spending is seasonal — January and December high, February low around the Spring Festival
(domain.md, "Orders of magnitude") — and grows from year to year; the test must follow both.
Parameters are mibdesk defaults (docs/decisions.md, "Monthly figure checks").
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from mibdesk.core.periods import Month
from mibdesk.core.rules.outliers import (
    DEFAULT_PARAMS,
    OutlierParams,
    check_outlier,
    forecast,
    round_half_up,
    spread,
)

SEASON = {1: 1300, 2: 700, 3: 950, 4: 980, 5: 1000, 6: 990, 7: 1010, 8: 1000, 9: 980, 10: 990}
SEASON |= {11: 1020, 12: 1250}
"""Per mille of an ordinary month: January/December high, February low (domain.md)."""
BASE = 200_000_000  # 2,000,000.00 yuan a month: a county's inpatient spending (domain.md)
GROWTH = Fraction(106, 100)


def seasonal_series(
    years: range, *, noise_per_mille: int = 20, seed: int = 2026, base: int = BASE
) -> dict[Month, int]:
    """Season × 6 % a year × a deterministic ±2 % noise, in whole fen."""
    rng = random.Random(seed)
    series: dict[Month, int] = {}
    for year in years:
        for month in range(1, 13):
            noise = Fraction(1000 + rng.randint(-noise_per_mille, noise_per_mille), 1000)
            value = Fraction(base * SEASON[month], 1000) * GROWTH ** (year - years[0]) * noise
            series[Month(year, month)] = round_half_up(value)
    return series


def split(series: dict[Month, int], year: int) -> tuple[dict[Month, int], dict[Month, int]]:
    """(history before `year`, the figures of `year`)."""
    before = {m: v for m, v in series.items() if m.year < year}
    return before, {m: v for m, v in series.items() if m.year == year}


def naive_min_max(history: dict[Month, int], month: Month, actual: int) -> bool:
    """The naive rule: outside the range of the last 12 months."""
    last12 = [history[month.plus(-k)] for k in range(1, 13)]
    return not min(last12) <= actual <= max(last12)


def naive_month_on_month(history: dict[Month, int], month: Month, actual: int) -> bool:
    """The other naive rule (环比): more than 20 % away from last month."""
    last = history[month.prev()]
    return abs(Fraction(actual, last) - 1) > Fraction(1, 5)


def test_seasonal_forecast_is_same_month_last_year_times_yearly_growth() -> None:
    """Without noise, expected January 2026 = January 2025 × (Σ 2025 ÷ Σ 2024) = × 1.06:
    2,000,000.00 yuan × 1.300 (January) × 1.06² = 2,921,360.00 → × 1.06 = 3,096,641.60."""
    history, this_year = split(seasonal_series(range(2023, 2027), noise_per_mille=0), 2026)
    result = forecast(history, Month(2026, 1))
    assert result is not None
    assert result.method == "seasonal"
    assert result.trend == Fraction(106, 100)
    assert result.trend_pairs == 12
    assert result.same_month_last_year == history[Month(2025, 1)] == 292_136_000
    assert result.expected == 309_664_160 == this_year[Month(2026, 1)]


def test_january_peak_and_february_dip_are_not_outliers_but_a_spike_is() -> None:
    """Three years of seasonal history with 6 % growth: the ordinary January peak and
    February dip of the fourth year pass; the same months 50 % higher are flagged."""
    history, this_year = split(seasonal_series(range(2023, 2027)), 2026)
    for month in (Month(2026, 1), Month(2026, 2), Month(2026, 6), Month(2026, 12)):
        before = history | {m: v for m, v in this_year.items() if m < month}
        ordinary = this_year[month]
        normal = check_outlier(before, month, ordinary)
        assert normal.skipped == ""
        assert normal.forecast is not None and normal.forecast.method == "seasonal"
        assert normal.z is not None and abs(normal.z) < 3.5
        assert not normal.flagged
        spike = check_outlier(before, month, ordinary * 3 // 2)
        assert spike.flagged
        assert spike.z is not None and spike.z > 3.5
        assert spike.deviation is not None and spike.deviation > Fraction(1, 5)


def test_the_naive_rules_would_flag_the_ordinary_peak_and_dip() -> None:
    """Why not min–max: January of a growing series is above every one of the last 12 months,
    and February is 46 % below January (a month-on-month rule fires). Neither is unusual."""
    history, this_year = split(seasonal_series(range(2023, 2027)), 2026)
    january, february = Month(2026, 1), Month(2026, 2)
    assert naive_min_max(history, january, this_year[january])
    with_january = history | {january: this_year[january]}
    assert naive_month_on_month(with_january, february, this_year[february])
    assert not check_outlier(history, january, this_year[january]).flagged
    assert not check_outlier(with_january, february, this_year[february]).flagged


def test_the_spread_is_the_scaled_median_absolute_deviation_of_past_log_ratios() -> None:
    """±2 % noise on both this year's and last year's month: past log ratios spread about
    2.8 % (√2 × 2 % / √3 ≈ 1.6 % standard deviation each side, plus the trend's own noise)."""
    history, _ = split(seasonal_series(range(2023, 2026)), 2026)
    variation = spread(history, Month(2026, 1))
    assert not variation.prior
    assert variation.points == 23  # Feb 2024 … Dec 2025 (Jan 2024 has only 12 months before)
    assert 0.015 < variation.spread < 0.05
    assert abs(variation.centre) < 0.02


def test_one_past_spike_does_not_widen_the_normal_band() -> None:
    """The median absolute deviation ignores a single odd month in the history."""
    history, _ = split(seasonal_series(range(2023, 2026)), 2026)
    calm = spread(history, Month(2026, 1)).spread
    history[Month(2025, 7)] *= 3
    assert abs(spread(history, Month(2026, 1)).spread - calm) < 0.005


def test_both_conditions_are_needed() -> None:
    """A smooth line: +15 % is far in z but under the 20 % floor. A volatile line (±40 %
    noise): +50 % is over 20 % but within its normal variation."""
    smooth, _ = split(seasonal_series(range(2023, 2026), noise_per_mille=0), 2026)
    expected = forecast(smooth, Month(2026, 5))
    assert expected is not None
    small = check_outlier(
        smooth, Month(2026, 5), round_half_up(expected.expected * Fraction(115, 100))
    )
    assert small.z is not None and small.z > 3.5
    assert not small.flagged
    volatile, _ = split(seasonal_series(range(2023, 2026), noise_per_mille=400), 2026)
    guess = forecast(volatile, Month(2026, 5))
    assert guess is not None
    wild = check_outlier(volatile, Month(2026, 5), round_half_up(guess.expected * Fraction(3, 2)))
    assert wild.deviation is not None and wild.deviation > Fraction(1, 5)
    assert wild.z is not None and abs(wild.z) < 3.5
    assert not wild.flagged


def test_too_little_history_is_not_tested() -> None:
    """Fewer than 13 months: no same month last year, so no test (never a guess)."""
    history, _ = split(seasonal_series(range(2025, 2026)), 2026)
    result = check_outlier(history, Month(2026, 1), 10**12)
    assert result.skipped == "short_history"
    assert not result.flagged


def test_thirteen_months_fall_back_to_the_median_of_the_last_three_with_a_prior_spread() -> None:
    """With 13 months only one (month, year-earlier) pair exists: expected = median of the
    last 3 months; with fewer than 6 past ratios the spread is the prior 0.10."""
    history = {Month(2025, 1).plus(k): 100_000 + 1_000 * k for k in range(13)}
    result = check_outlier(history, Month(2026, 2), 300_000)
    assert result.forecast is not None
    assert result.forecast.method == "recent"
    assert result.forecast.expected == 111_000  # median of Nov, Dec 2025, Jan 2026
    assert result.spread is not None and result.spread.prior
    assert result.spread.spread == DEFAULT_PARAMS.prior_spread
    assert result.flagged  # ln(300/111) = 0.99 > 3.5 × 0.10


def test_a_zero_expectation_is_not_tested() -> None:
    """Quarterly interest: nothing was credited in May last year, so May is not tested."""
    history = {Month(2024, 1).plus(k): (5_000_00 if k % 3 == 2 else 0) for k in range(28)}
    result = check_outlier(history, Month(2026, 5), 1_000_00)
    assert result.skipped == "no_expectation"
    assert not result.flagged


def test_a_first_drop_to_zero_is_flagged_a_usual_one_is_not() -> None:
    """A line always positive that drops to 0 is flagged (−100 %); a line that has dropped to
    0 before (sporadic transfers) is not."""
    history, _ = split(seasonal_series(range(2023, 2026)), 2026)
    dropped = check_outlier(history, Month(2026, 3), 0)
    assert dropped.flagged
    assert dropped.deviation == -1
    assert dropped.z == -math.inf
    history[Month(2025, 8)] = 0  # once before, nothing came in although something was due
    sporadic = check_outlier(history, Month(2026, 3), 0)
    assert sporadic.spread is not None and sporadic.spread.drops == 1
    assert not sporadic.flagged


def test_later_months_are_ignored() -> None:
    """Re-checking an old month: figures entered after it do not count."""
    series = seasonal_series(range(2023, 2027))
    history = {m: v for m, v in series.items() if m != Month(2025, 6)}
    earlier = {m: v for m, v in history.items() if m < Month(2025, 6)}
    assert check_outlier(history, Month(2025, 6), 1) == check_outlier(earlier, Month(2025, 6), 1)


def test_parameters_can_be_tightened() -> None:
    """The defaults are parameters: a lower floor flags the +15 % month of a smooth line."""
    smooth, _ = split(seasonal_series(range(2023, 2026), noise_per_mille=0), 2026)
    expected = forecast(smooth, Month(2026, 5))
    assert expected is not None
    actual = round_half_up(expected.expected * Fraction(115, 100))
    strict = OutlierParams(min_deviation=Fraction(1, 10))
    assert check_outlier(smooth, Month(2026, 5), actual, strict).flagged


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=3000),
)
def test_scale_free_and_deterministic(scale: int, noise: int, month: int, per_mille: int) -> None:
    """The verdict does not depend on the unit (persons, fen, yuan): multiplying the history
    and the figure by the same number changes nothing; the same input gives the same result."""
    history, _ = split(seasonal_series(range(2023, 2026), noise_per_mille=noise, base=1000), 2026)
    checked = Month(2026, month)
    actual = 1000 * per_mille
    one = check_outlier(history, checked, actual)
    scaled = check_outlier({m: v * scale for m, v in history.items()}, checked, actual * scale)
    assert one.flagged == scaled.flagged
    assert one.deviation == scaled.deviation
    assert one == check_outlier(dict(reversed(history.items())), checked, actual)
