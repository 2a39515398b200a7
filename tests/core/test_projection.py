"""Year-end projection and chart series (mibdesk.core.rules.projection).

Issue 4 ("a projection: year-end spending at the current pace, seasonality-aware … the month
the quota runs out"); the quota is the ceiling of 004 §4.4 (基金年度支出不得超过批准的…支出
预算). Spending is seasonal — January and December high, February low (domain.md "Orders of
magnitude") — and grows from year to year.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.periods import Month
from mibdesk.core.rules.projection import cumulative_series, project_year

SEASON = {1: 1300, 2: 700, 3: 950, 4: 980, 5: 1000, 6: 990, 7: 1010, 8: 1000, 9: 980, 10: 990}
SEASON |= {11: 1020, 12: 1250}
"""Per mille of an ordinary month; the year sums to 12,170 ‰."""
ORDINARY_2025 = 7_000_000  # fen per ‰: an ordinary month of 2025 is 70,000,000.00 yuan
ORDINARY_2026 = 7_420_000  # the same × 1.06 (6 % a year)
AUGUST = Month(2026, 8)


def seasonal_history() -> dict[Month, int]:
    """2025 in full and 2026 to August: season × 6 % growth, exact in fen."""
    spending = {Month(2025, m): ORDINARY_2025 * SEASON[m] for m in range(1, 13)}
    spending |= {Month(2026, m): ORDINARY_2026 * SEASON[m] for m in range(1, 9)}
    return spending


def test_seasonal_projection_runs_out_in_november() -> None:
    """Trend = 2026 Jan–Aug ÷ 2025 Jan–Aug = 1.06; September–December = 2025 × 1.06, so
    December stays high (92,750,000.00, not the flat average 73,550,750.00). The year comes
    to 7,420,000 × 12,170 = 903,014,000.00 yuan. Against a quota of 800,000,000.00 the
    cumulative passes it in November (Oct 734,580,000.00; Nov 810,264,000.00)."""
    projection = project_year(seasonal_history(), AUGUST, 80_000_000_000)
    assert projection.trend == Fraction(106, 100)
    assert projection.ytd == ORDINARY_2026 * 7_930
    assert [p.method for p in projection.months] == ["actual"] * 8 + ["seasonal"] * 4
    december = projection.months[11]
    assert december.basis == 8_750_000_000 and december.amount == 9_275_000_000
    assert december.amount > projection.ytd // 8
    assert projection.total == 90_301_400_000
    assert projection.months[9].cumulative == 73_458_000_000
    assert projection.months[10].cumulative == 81_026_400_000
    assert projection.runs_out == Month(2026, 11)
    assert projection.excess == 10_301_400_000
    assert projection.sentence == (
        "按当前进度预计全年支出 9.03 亿元，超出定额 1.03 亿元，预计 11 月用完定额。"
    )


def test_working_shows_trend_and_every_projected_month() -> None:
    """The method and its numbers are shown: trend with both sums, each month's basis."""
    projection = project_year(seasonal_history(), AUGUST, 80_000_000_000)
    labels = [step.label for step in projection.working]
    assert labels[1] == "增长系数 1.0600 = 本年 588,406,000.00 元 ÷ 上年同期 555,100,000.00 元"
    assert labels[2] == "2026年9月：上年同月 68,600,000.00 元 × 1.0600"
    assert projection.working[2].amount == 7_271_600_000
    assert projection.working[-2].amount == 90_301_400_000
    assert projection.working[-1].amount == 10_301_400_000
    assert projection.working[-1].source == "004 §4.4"


def test_excess_in_ten_thousands_and_december() -> None:
    """A quota 35,000,000.00 yuan short of the year: 868,014,000.00 → runs out in December,
    the excess written in 万元 as in issue 4's example."""
    projection = project_year(seasonal_history(), AUGUST, 86_801_400_000)
    assert projection.runs_out == Month(2026, 12)
    assert projection.sentence == (
        "按当前进度预计全年支出 9.03 亿元，超出定额 3,500.00 万元，预计 12 月用完定额。"
    )


def test_already_past_the_quota() -> None:
    """Quota 500,000,000.00: cumulative actual passes it in July (513,420,000.00)."""
    projection = project_year(seasonal_history(), AUGUST, 50_000_000_000)
    assert projection.runs_out == Month(2026, 7)
    assert "累计支出已于 7 月超出定额" in projection.sentence


def test_within_the_quota_and_without_quota() -> None:
    within = project_year(seasonal_history(), AUGUST, 100_000_000_000)
    assert within.runs_out is None and within.excess == 0
    assert within.sentence == (
        "按当前进度预计全年支出 9.03 亿元，在定额 10.00 亿元 以内（尚余 9,698.60 万元）。"
    )
    unknown = project_year(seasonal_history(), AUGUST, None)
    assert unknown.sentence == "按当前进度预计全年支出 9.03 亿元（尚未录入定额）。"


def test_falls_back_to_this_years_average_without_last_year() -> None:
    """No 2025 figures: each remaining month is the 2026 average month
    (588,406,000.00 ÷ 8 = 73,550,750.00)."""
    spending = {m: v for m, v in seasonal_history().items() if m.year == 2026}
    projection = project_year(spending, AUGUST, None)
    assert projection.trend is None
    assert [p.method for p in projection.months[8:]] == ["average"] * 4
    assert {p.amount for p in projection.months[8:]} == {7_355_075_000}
    assert projection.total == 58_840_600_000 + 4 * 7_355_075_000


def test_month_missing_last_year_uses_the_average() -> None:
    """December 2025 missing: December 2026 falls back to the average; the rest follow the
    season."""
    spending = seasonal_history()
    del spending[Month(2025, 12)]
    projection = project_year(spending, AUGUST, None)
    assert [p.method for p in projection.months[8:]] == ["seasonal"] * 3 + ["average"]


def test_nothing_reported_yet() -> None:
    projection = project_year({Month(2025, 1): 1}, Month(2026, 1), 1_000)
    assert projection.total is None and projection.months == ()
    assert "暂不能预测" in projection.sentence


def test_cumulative_series_for_the_chart() -> None:
    """Quota line flat at 800,000,000.00; time-progress line = quota × m ÷ 12 rounded
    half-up (January 66,666,666.67; August 533,333,333.33); actual stops after August."""
    series = cumulative_series(seasonal_history(), 2026, 80_000_000_000)
    assert series.months[0] == Month(2026, 1) and len(series.months) == 12
    assert series.quota == (80_000_000_000,) * 12
    assert series.time_progress is not None
    assert series.time_progress[0] == 6_666_666_667
    assert series.time_progress[7] == 53_333_333_333
    assert series.time_progress[11] == 80_000_000_000
    assert series.actual[7] == 58_840_600_000 and series.actual[8] is None
    assert series.last_year[11] == ORDINARY_2025 * 12_170
    no_quota = cumulative_series(seasonal_history(), 2026, None)
    assert no_quota.quota is None and no_quota.time_progress is None


amount = st.integers(min_value=0, max_value=10**10)


@given(
    last_year=st.lists(st.one_of(st.none(), amount), min_size=12, max_size=12),
    this_year=st.lists(amount, min_size=1, max_size=11),
    which=st.integers(min_value=0, max_value=10),
    extra=st.integers(min_value=0, max_value=10**10),
    available=st.integers(min_value=0, max_value=10**11),
)
def test_projection_is_monotone_in_the_actuals(
    last_year: list[int | None], this_year: list[int], which: int, extra: int, available: int
) -> None:
    """More spending to date never projects less, nor runs out later."""
    history = {Month(2025, m + 1): v for m, v in enumerate(last_year) if v is not None}
    through = Month(2026, len(this_year))
    before = {**history, **{Month(2026, m + 1): v for m, v in enumerate(this_year)}}
    after = dict(before)
    bumped = Month(2026, which % len(this_year) + 1)
    after[bumped] += extra
    first = project_year(before, through, available)
    second = project_year(after, through, available)
    assert first.total is not None and second.total is not None
    assert second.total >= first.total
    for a, b in zip(first.months, second.months, strict=True):
        assert b.cumulative >= a.cumulative
    if first.runs_out is not None:
        assert second.runs_out is not None and second.runs_out <= first.runs_out
