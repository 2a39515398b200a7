"""Suggested amounts for the monthly fund-use plan (mibdesk.core.rules.plan_suggest).

domain.md "Monthly fund-use plan" (用款计划): each month the county asks for next month's
money, line by line, inside its remaining quota — Jining 004 §4.4 (于每月25日前将下月使用计划
书面报…; 在…基金支出总量定额内制定…支出计划). Spending is seasonal (January high, February low
around the Spring Festival; domain.md "Orders of magnitude"), so a suggestion follows the
season, not a flat average.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.periods import Month
from mibdesk.core.rules.plan_suggest import (
    SuggestParams,
    justification_prompt,
    needs_justification,
    split_cap,
    suggest_line,
    suggest_plan,
)

SEASON = {1: 1300, 2: 700, 3: 950, 4: 980, 5: 1000, 6: 990, 7: 1010, 8: 1000, 9: 980, 10: 990}
SEASON |= {11: 1020, 12: 1250}
"""Per mille of an ordinary month."""
ORDINARY = {2024: 6_000_000, 2025: 6_360_000, 2026: 6_741_600}
"""Fen per ‰: an ordinary month of inpatient spending is 60,000,000.00 yuan in 2024,
growing 6 % a year."""
FEBRUARY = Month(2026, 2)


def inpatient(through: Month) -> dict[Month, int]:
    """Season × 6 % a year from January 2024 to `through`, exact in fen."""
    history: dict[Month, int] = {}
    month = Month(2024, 1)
    while month <= through:
        history[month] = ORDINARY[month.year] * SEASON[month.month]
        month = month.next()
    return history


def flat(months: list[Month], amount: int) -> dict[Month, int]:
    return dict.fromkeys(months, amount)


def test_february_follows_the_season_not_a_flat_average() -> None:
    """Trend over the last 12 months (Feb 2025–Jan 2026 ÷ Feb 2024–Jan 2025) = 1.06;
    February 2026 = February 2025 (44,520,000.00) × 1.06 = 47,191,200.00 yuan — not the
    average of Nov, Dec, Jan (77,337,600.00), which the Spring Festival dip would make far
    too high."""
    suggestion = suggest_line("EXP_INPATIENT", inpatient(Month(2026, 1)), FEBRUARY)
    assert suggestion.method == "seasonal"
    assert suggestion.trend == Fraction(106, 100)
    assert suggestion.trend_pairs == 12
    assert suggestion.basis == ((Month(2025, 2), 4_452_000_000),)
    assert suggestion.expected == 4_719_120_000
    assert suggestion.amount == 4_719_120_000
    trailing_average = (6_487_200_000 + 7_950_000_000 + 8_764_080_000) // 3
    assert trailing_average == 7_733_760_000
    assert suggestion.amount < trailing_average * 2 // 3
    labels = [step.label for step in suggestion.working]
    assert labels[0] == "上年同月（2025年2月）"
    assert labels[1] == "增长系数 1.0600：近 12 个月 ÷ 上年同期"
    assert labels[2] == "测算数 = 44,520,000.00 元 × 1.0600"


def test_january_is_high() -> None:
    """January 2026 = January 2025 (82,680,000.00) × 1.06 = 87,640,800.00 yuan: high, where
    February is low — from the same kind of history."""
    january = suggest_line("EXP_INPATIENT", inpatient(Month(2025, 12)), Month(2026, 1))
    february = suggest_line("EXP_INPATIENT", inpatient(Month(2026, 1)), FEBRUARY)
    assert january.amount == 8_764_080_000
    assert january.amount > february.amount * 18 // 10


def test_rounded_up_to_whole_hundreds_of_yuan() -> None:
    """mibdesk default: 1,234,567.01 yuan a month on average → 1,234,600.00 suggested (up,
    so the plan does not fall short of the need)."""
    history = flat([Month(2025, 10), Month(2025, 11), Month(2025, 12)], 123_456_701)
    suggestion = suggest_line("EXP_OUTPATIENT", history, Month(2026, 1))
    assert suggestion.method == "trailing_average"
    assert suggestion.expected == 123_456_701
    assert suggestion.rounded == suggestion.amount == 123_460_000
    assert suggestion.working[-1].label == "向上取整至 100.00 元 的整数倍"
    coarser = suggest_line("EXP_OUTPATIENT", history, Month(2026, 1), SuggestParams(1_000_000))
    assert coarser.amount == 124_000_000


def test_short_history_falls_back_to_the_trailing_three_months() -> None:
    """An office with five months in mibdesk: no same month last year, so the average of
    October–December (100.00, 200.00, 600.00 → 300.00) is rounded up to 300.00."""
    figures = [900, 900, 10_000, 20_000, 60_000]
    history = {Month(2025, m): v for m, v in zip(range(8, 13), figures, strict=True)}
    suggestion = suggest_line("EXP_CHRONIC", history, Month(2026, 1))
    assert suggestion.method == "trailing_average"
    assert suggestion.basis == (
        (Month(2025, 10), 10_000),
        (Month(2025, 11), 20_000),
        (Month(2025, 12), 60_000),
    )
    assert suggestion.amount == 30_000


def test_no_history_suggests_nothing() -> None:
    suggestion = suggest_line("EXP_REMOTE", {}, Month(2026, 1))
    assert suggestion.method == "none" and suggestion.amount == 0
    assert suggestion.working[0].label == "该项目无历史数据，请自行填写金额"


def test_cap_splits_the_remaining_quota_exactly_in_fen() -> None:
    """004 §4.4 (within the quota): inpatient 47,191,200.00 + outpatient 1,234,600.00 =
    48,425,800.00 suggested, but only 30,000,000.01 remains for plans. Shares:
    ⌊4,719,120,000 × 3,000,000,001 ÷ 4,842,580,000⌋ = 2,923,515,977 and
    ⌊123,460,000 × … ⌋ = 76,484,023; the 1 fen left goes to inpatient, the largest line.
    Sum = 30,000,000.01 exactly."""
    history = {
        "EXP_INPATIENT": inpatient(Month(2026, 1)),
        "EXP_OUTPATIENT": flat([Month(2025, 11), Month(2025, 12), Month(2026, 1)], 123_456_701),
        "EXP_MATERNITY_MED": {},
    }
    plan = suggest_plan(history, FEBRUARY, 3_000_000_001)
    amounts = {s.line: s.amount for s in plan.lines}
    assert amounts == {
        "EXP_INPATIENT": 2_923_515_978,
        "EXP_OUTPATIENT": 76_484_023,
        "EXP_MATERNITY_MED": 0,
    }
    assert plan.total == sum(amounts.values()) == 3_000_000_001
    assert plan.uncapped_total == 4_842_580_000
    assert plan.capped
    assert [s.capped for s in plan.lines] == [True, True, False]
    cap_step = plan.lines[0].working[-1]
    assert cap_step.source == "004 §4.4" and cap_step.amount == 2_923_515_978
    assert "30,000,000.01 元" in cap_step.label


def test_uncapped_when_the_quota_allows_and_line_quotas() -> None:
    """Where the quota is set per line (quota_by_line), each line is first held to its own
    remaining quota; no cap where the scheme's remaining quota covers the suggestions."""
    history = {
        "EXP_INPATIENT": inpatient(Month(2026, 1)),
        "EXP_OUTPATIENT": flat([Month(2026, 1)], 123_456_701),
    }
    free = suggest_plan(history, FEBRUARY, 10**12)
    assert not free.capped and free.total == 4_842_580_000
    held = suggest_plan(history, FEBRUARY, 10**12, line_remaining={"EXP_INPATIENT": 10_000})
    assert [s.amount for s in held.lines] == [10_000, 123_460_000]
    assert held.lines[0].capped and "该项目剩余定额 100.00 元" in held.lines[0].working[-1].label
    nothing_left = suggest_plan(history, FEBRUARY, -5)
    assert nothing_left.total == 0 and all(s.capped for s in nothing_left.lines)


def test_split_cap_leftover_fen_goes_to_the_largest_line() -> None:
    amounts = {"A": 5_505_640_000, "B": 1_234_560_000, "C": 300_000_000}
    assert split_cap(amounts, 5_000_000_001) == {
        "A": 3_910_144_600,  # ⌊…⌋ = 3,910,144,598 + the 2 fen left over
        "B": 876_793_273,
        "C": 213_062_128,
    }
    assert split_cap(amounts, 10**12) == amounts
    with pytest.raises(ValueError):
        split_cap(amounts, -1)


def test_justification_above_ten_percent() -> None:
    """domain.md "Monthly fund-use plan" (a short justification); mibdesk default 10 %:
    suggested 1,000,000.00 — 1,100,000.00 needs none, 1,100,000.01 does."""
    assert not needs_justification(110_000_000, 100_000_000)
    assert needs_justification(110_000_001, 100_000_000)
    assert needs_justification(1, 0) and not needs_justification(0, 0)
    assert not needs_justification(120_000_000, 100_000_000, Decimal("0.2"))
    assert justification_prompt(110_000_000, 100_000_000) is None
    prompt = justification_prompt(150_000_000, 100_000_000)
    assert prompt is not None
    assert prompt.startswith("申请金额 1,500,000.00 元 比建议额 1,000,000.00 元 高 50.0%")
    assert "超过 10.0%" in prompt


lines = st.dictionaries(
    st.sampled_from(["EXP_INPATIENT", "EXP_OUTPATIENT", "EXP_CHRONIC", "EXP_REMOTE", "EXP_OTHER"]),
    st.integers(min_value=0, max_value=10**12),
    min_size=1,
)


@given(amounts=lines, cap=st.integers(min_value=0, max_value=5 * 10**12))
def test_split_cap_sums_exactly_and_never_exceeds(amounts: dict[str, int], cap: int) -> None:
    """Capped suggestions never exceed the remaining quota, sum to it exactly when capped,
    and no line rises above its own suggestion."""
    shares = split_cap(amounts, cap)
    assert set(shares) == set(amounts)
    assert sum(shares.values()) == min(cap, sum(amounts.values()))
    assert all(0 <= shares[line] <= amounts[line] for line in amounts)


@given(
    monthly=st.lists(st.integers(min_value=0, max_value=10**10), min_size=0, max_size=30),
    remaining=st.integers(min_value=-(10**10), max_value=10**11),
)
def test_plan_total_never_exceeds_the_remaining_quota(monthly: list[int], remaining: int) -> None:
    months = [Month(2024, 1).plus(k) for k in range(len(monthly))]
    series = dict(zip(months, monthly, strict=True))
    history = {"EXP_INPATIENT": series, "EXP_OUTPATIENT": {m: v // 3 for m, v in series.items()}}
    plan = suggest_plan(history, Month(2024, 1).plus(len(monthly)), remaining)
    assert plan.total <= max(remaining, 0)
    assert plan.total == min(max(remaining, 0), plan.uncapped_total)
    assert plan.total == sum(s.amount for s in plan.lines)
