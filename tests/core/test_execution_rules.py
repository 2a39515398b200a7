"""Execution indicators (mibdesk.core.rules.execution) against the profile thresholds.

domain.md "Risk indicators": reserve months = accumulated balance ÷ average monthly spending
over 12 months (Suzhou 003 §3.3: 备付期低于 6 个月时…调整医保政策); spending progress =
spending to date ÷ annual quota against time progress (序时进度, domain.md "Annual budget and
quota"; 004 §4.4 keeps spending inside the quota); collection rate against the target
(Shaoxing 000 附件 §4.5.1 assesses counties on it); current balance negative.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from mibdesk.core.catalog import Profile, Sourced, load_profile
from mibdesk.core.periods import Month
from mibdesk.core.rules.execution import (
    ExecutionInputs,
    collection_rate,
    current_balance,
    indicators,
    reserve_months,
    spending_progress,
)

QUOTA = 10_000_000_000  # 100,000,000.00 yuan
AUGUST = Month(2026, 8)
MONTHLY = 700_000_000  # 7,000,000.00 yuan of spending a month


@pytest.fixture(scope="module")
def jining() -> Profile:
    return load_profile("jining")


@pytest.fixture(scope="module")
def suzhou() -> Profile:
    return load_profile("suzhou")


def with_margin(profile: Profile, margin: str) -> Profile:
    risk = profile.risk.model_copy(
        update={"progress_margin_points": Sourced[Decimal](value=Decimal(margin), source="测试")}
    )
    return profile.model_copy(update={"risk": risk})


def last_12(month: Month, amount: int = MONTHLY) -> dict[Month, int]:
    return {month.plus(-back): amount for back in range(12)}


def test_progress_78_against_8_months_is_red_with_a_5_point_margin(jining: Profile) -> None:
    """Jining profile margin 5 points (mibdesk default; 004 §4.4 ceiling). August: time
    progress 8 ÷ 12 = 66.666…% shown 66.7 % (half-up); spending 78,000,000.00 of
    100,000,000.00 = 78.0 %; ahead by 78.0 − 66.7 = 11.3 points > 2 × 5 → red."""
    indicator = spending_progress(7_800_000_000, QUOTA, AUGUST, jining)
    assert indicator.key == "spending_progress"
    assert indicator.value == Fraction(78, 100)
    assert indicator.state == "red"
    assert indicator.sentence == (
        "支出进度 78.0%，超过序时进度 66.7% 共 11.3 个百分点（提示线 5 个百分点）。"
    )
    assert indicator.source == "004 §4.4；" + jining.risk.progress_margin_points.source
    assert [step.label for step in indicator.working[2:]] == ["支出进度 78.0%", "序时进度 66.7%"]
    assert indicator.working[3].rule == "8 个月 ÷ 12"


def test_progress_78_against_8_months_is_amber_with_a_6_point_margin(jining: Profile) -> None:
    """The same figures with a 6-point margin: 11.3 > 6 but ≤ 12 → amber."""
    indicator = spending_progress(7_800_000_000, QUOTA, AUGUST, with_margin(jining, "0.06"))
    assert indicator.state == "amber"
    assert "11.3 个百分点" in indicator.sentence and "提示线 6 个百分点" in indicator.sentence


@pytest.mark.parametrize(
    ("spent", "state", "gap"),
    [
        (7_170_000_000, "green", "5.0"),  # 71.7 − 66.7 = 5.0: not more than the margin
        (7_175_000_000, "amber", "5.1"),  # 71.75 % shows 71.8 %: 5.1 points ahead
        (7_670_000_000, "amber", "10.0"),  # 76.7 − 66.7 = 10.0: not more than twice
        (7_675_000_000, "red", "10.1"),
        (6_000_000_000, "green", "6.7"),  # behind time progress
        (6_666_666_667, "green", "持平"),  # 66.7 % both: in step
    ],
)
def test_progress_bands_are_compared_as_shown(
    jining: Profile, spent: int, state: str, gap: str
) -> None:
    """Margin 5 points (profile): ahead by more than 5.0 → amber, by more than 10.0 → red,
    compared at the tenth of a point the sentence shows, so the sentence never contradicts
    the colour."""
    indicator = spending_progress(spent, QUOTA, AUGUST, jining)
    assert indicator.state == state
    assert (gap if gap == "持平" else f"{gap} 个百分点") in indicator.sentence


def test_spending_beyond_the_quota_is_red(jining: Profile) -> None:
    """004 §4.4 (基金年度支出不得超过批准的…支出预算): in December, 100.5 % of the quota is
    red although it is only 0.5 points ahead of time progress."""
    indicator = spending_progress(10_050_000_000, QUOTA, Month(2026, 12), jining)
    assert indicator.state == "red"
    assert "超出可用定额 500,000.00 元" in indicator.sentence


def test_progress_without_quota_is_unknown(jining: Profile) -> None:
    indicator = spending_progress(100, None, AUGUST, jining)
    assert indicator.state == "unknown" and indicator.value is None
    assert "2026年尚未录入定额" in indicator.sentence
    cut_to_zero = spending_progress(1, 0, AUGUST, jining)
    assert cut_to_zero.state == "red" and "0.01 元" in cut_to_zero.sentence
    assert spending_progress(0, 0, AUGUST, jining).state == "unknown"


def test_reserve_months_5_5_is_amber_between_3_and_6(suzhou: Profile) -> None:
    """Suzhou 003 §3.3 (备付期低于 6 个月): balance 38,500,000.00 ÷ average 7,000,000.00
    over 12 months = 5.5 months; red below 3, amber below 6 → amber, citing 003 §3.3."""
    indicator = reserve_months(3_850_000_000, last_12(AUGUST), AUGUST, suzhou)
    assert indicator.value == Fraction(11, 2)
    assert indicator.state == "amber"
    assert indicator.source == "003 §3.3"
    assert indicator.sentence == (
        "累计结余 38,500,000.00 元，可支付 5.5 个月（近 12 个月月均支出 7,000,000.00 元），"
        "低于 6 个月。"
    )


@pytest.mark.parametrize(
    ("balance", "state", "shown"),
    [
        (2_030_000_000, "red", "2.9"),
        (2_100_000_000, "amber", "3.0"),
        (4_172_000_000, "amber", "5.9"),  # 5.96 months: shown rounded down, still "below 6"
        (4_200_000_000, "green", "6.0"),
    ],
)
def test_reserve_month_bands(suzhou: Profile, balance: int, state: str, shown: str) -> None:
    """003 §3.3 bands from the profile (red < 3, amber < 6); months are shown rounded down
    to a tenth so a figure below 6 never shows as 6.0."""
    indicator = reserve_months(balance, last_12(AUGUST), AUGUST, suzhou)
    assert indicator.state == state
    assert f"可支付 {shown} 个月" in indicator.sentence


def test_negative_balance_covers_no_months(suzhou: Profile) -> None:
    """A negative accumulated balance is red and said plainly, not as "-0.0 months"."""
    indicator = reserve_months(-100, last_12(AUGUST), AUGUST, suzhou)
    assert indicator.state == "red"
    assert indicator.sentence == "累计结余为负数（-1.00 元），无备付能力。"


def test_reserve_months_average_over_the_months_reported(suzhou: Profile) -> None:
    """An office that started in May 2026 has 4 months: the average is over those 4
    (domain.md "Risk indicators"; docs/decisions.md "Monthly figure checks": before mibdesk)."""
    spending = {Month(2026, m): MONTHLY for m in range(5, 9)}
    indicator = reserve_months(2_800_000_000, spending, AUGUST, suzhou)
    assert indicator.value == 4
    assert "近 4 个月" in indicator.sentence
    assert reserve_months(None, spending, AUGUST, suzhou).state == "unknown"
    assert reserve_months(100, {}, AUGUST, suzhou).state == "unknown"


def test_collection_rate_against_the_target(jining: Profile) -> None:
    """domain.md "Contribution rules" (征收率 = actual ÷ expected); target 95 % from the
    profile. 9,499,900.00 of 10,000,000.00 = 94.999 % shows as 94.99 % (rounded down) and is
    amber; 95 % is green."""
    below = collection_rate(949_990_000, 1_000_000_000, jining)
    assert below.state == "amber"
    assert "征收率 94.99%" in below.sentence and "低于目标值 95%" in below.sentence
    met = collection_rate(950_000_000, 1_000_000_000, jining)
    assert met.state == "green" and met.value == Fraction(95, 100)
    assert collection_rate(None, 1, jining).state == "unknown"


def test_current_balance_negative_is_red() -> None:
    """domain.md "Risk indicators" (当期结余 = income − spending; negative warns)."""
    deficit = current_balance(650_000_000, 700_000_000, AUGUST)
    assert deficit.state == "red" and deficit.value == -50_000_000
    assert deficit.sentence == (
        "2026年8月收入 6,500,000.00 元，支出 7,000,000.00 元，收不抵支 500,000.00 元。"
    )
    assert current_balance(700_000_000, 700_000_000, AUGUST).state == "green"
    assert current_balance(None, 1, AUGUST).state == "unknown"


def test_all_indicators_in_dashboard_order(jining: Profile) -> None:
    inputs = ExecutionInputs(
        month=AUGUST,
        available=QUOTA,
        spent_ytd=6_000_000_000,
        balance=5_000_000_000,
        spending=last_12(AUGUST),
        income_month=800_000_000,
        spending_month=MONTHLY,
    )
    result = indicators(inputs, jining)
    assert [i.key for i in result] == [
        "spending_progress",
        "reserve_months",
        "collection_rate",
        "current_balance",
    ]
    assert [i.state for i in result] == ["green", "green", "unknown", "green"]
    assert all(isinstance(i.value, Fraction | None) for i in result)
