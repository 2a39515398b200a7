"""Quota arithmetic (mibdesk.core.rules.quota): available quota, carry-over, the ceilings.

Jining 004 §4.3: the city sets each county's annual expenditure quota (支出总量定额); the
unused part at year end may be carried into next year's (县（市、区）当年总量定额结余的部分，
可纳入次年总量). 004 §4.4: plans are made inside the quota and a year's spending may not
exceed it. Suzhou 003 §3.3: a budget changes only by an adjustment made by procedure.
Shaoxing's profile does not carry unused quota over (000 is silent; mibdesk default).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.money import format_fen
from mibdesk.core.rules.quota import (
    Adjustment,
    QuotaInputs,
    adjustment_fits,
    carry_over,
    closing_summary,
    plan_fits,
    quota_position,
    sum_positions,
)

YUAN = 100  # fen
QUOTA_2026 = 100_000_000 * YUAN  # 100,000,000.00 yuan
ADJUSTMENT = Adjustment(5_000_000 * YUAN, "济医保发〔2026〕21号", date(2026, 7, 15))
CARRIED = 234_567_890  # 2,345,678.90 yuan


@pytest.fixture(scope="module")
def jining() -> Profile:
    return load_profile("jining")


@pytest.fixture(scope="module")
def shaoxing() -> Profile:
    return load_profile("shaoxing")


def jining_2026() -> QuotaInputs:
    return QuotaInputs(QUOTA_2026, [ADJUSTMENT], CARRIED, doc_no="济医保发〔2026〕3号")


def test_available_quota_adds_adjustment_and_carry_over() -> None:
    """004 §4.3 (quota, carry-over) and 003 §3.3 (adjustment): 100,000,000.00 + 5,000,000.00
    + 2,345,678.90 = 107,345,678.90 yuan, each step with its rule and source."""
    position = quota_position(jining_2026())
    assert position.available == 10_734_567_890
    assert format_fen(position.available) == "107,345,678.90"
    steps = position.working
    assert [step.amount for step in steps[:4]] == [
        10_000_000_000,
        500_000_000,
        234_567_890,
        10_734_567_890,
    ]
    assert [step.source for step in steps[:4]] == ["004 §4.3", "003 §3.3", "004 §4.3", "004 §4.3"]
    assert "济医保发〔2026〕3号" in steps[0].label
    assert "济医保发〔2026〕21号" in steps[1].label and "2026-07-15" in steps[1].label
    assert all(step.rule for step in steps)


def test_remaining_for_plans_and_for_spending() -> None:
    """004 §4.4: what new plans may still ask for is the available quota less the plans
    approved; what may still be spent is the available quota less spending."""
    position = quota_position(
        jining_2026(), approved_plans=7_000_000_000, received=6_900_000_000, spent=6_812_345_678
    )
    assert position.remaining_for_plans == 10_734_567_890 - 7_000_000_000 == 3_734_567_890
    assert position.remaining_for_spending == 10_734_567_890 - 6_812_345_678 == 3_922_222_212
    assert (position.quota, position.adjustments, position.carried_over) == (
        QUOTA_2026,
        500_000_000,
        CARRIED,
    )
    labels = [step.label for step in position.working]
    assert labels[-5:] == ["已批准用款计划", "可申请计划余额", "已到账资金", "已支出", "可支出余额"]


def test_negative_adjustment_reduces_the_quota() -> None:
    """003 §3.3: an adjustment may reduce the quota as well as raise it."""
    inputs = QuotaInputs(QUOTA_2026, [ADJUSTMENT, Adjustment(-300_000_000, "减", date(2026, 9, 1))])
    assert inputs.adjustments_total == 200_000_000
    assert inputs.available == 10_200_000_000


def test_carry_over_in_jining_is_last_years_unused_quota(jining: Profile) -> None:
    """004 §4.3 (当年总量定额结余的部分，可纳入次年总量): 2025 available 98,000,000.00,
    spent 95,654,321.10 → 2,345,678.90 carried into 2026."""
    carried = carry_over(9_800_000_000, 9_565_432_110, jining)
    assert carried.allowed
    assert carried.amount == carried.unused == CARRIED
    assert carried.working[-1].amount == CARRIED
    assert carried.working[-1].source == jining.carry_over.source == "004 §4.3"


def test_shaoxing_does_not_carry_over_and_says_why(shaoxing: Profile) -> None:
    """Shaoxing (000 is silent on carry-over; profile default 不结转): nothing is carried,
    and the working names the profile's source."""
    carried = carry_over(9_800_000_000, 9_565_432_110, shaoxing)
    assert not carried.allowed
    assert carried.amount == 0
    assert carried.unused == CARRIED
    reason = carried.working[-1]
    assert reason.amount == 0
    assert reason.label.startswith("不结转") and "绍兴市" in reason.label
    assert reason.source == shaoxing.carry_over.source
    assert "不结转" in reason.source


def test_an_overspend_is_not_carried_as_a_cut(jining: Profile) -> None:
    """004 §4.3 carries only the unused part (结余的部分): an overspend of 1,000,000.00 yuan
    does not reduce next year's quota."""
    carried = carry_over(9_800_000_000, 9_900_000_000, jining)
    assert carried.amount == 0
    assert carried.allowed
    assert carried.unused == -100_000_000
    reason = carried.working[-1]
    assert "1,000,000.00 元" in reason.label and "超支" in reason.label
    assert reason.source == "004 §4.3"


def test_plan_fits_up_to_the_fen_and_refuses_one_fen_over() -> None:
    """004 §4.4 (在本县基金支出总量定额内制定…支出计划): requested + approved ≤ available.
    Available 107,345,678.90, approved 70,000,000.00: 37,345,678.90 fits, 37,345,678.91
    is refused with every number."""
    available = 10_734_567_890
    assert plan_fits(3_734_567_890, 7_000_000_000, available) is None
    refusal = plan_fits(3_734_567_891, 7_000_000_000, available)
    assert refusal is not None
    for figure in ("37,345,678.91", "70,000,000.00", "107,345,678.91", "107,345,678.90", "0.01"):
        assert figure in refusal
    assert "004 §4.4" in refusal


def test_plan_without_quota_or_negative_is_refused() -> None:
    """Issue 4 hard rules: no quota recorded → refused; a negative request → refused."""
    no_quota = plan_fits(100, 0, None)
    assert no_quota is not None and "定额" in no_quota
    negative = plan_fits(-1, 0, 10_000)
    assert negative is not None and "-0.01" in negative


def test_adjustment_below_approved_plans_is_refused() -> None:
    """004 §4.4 (plans inside the quota): quota 100,000,000.00, plans approved 70,000,000.00.
    A cut of 35,000,000.00 leaves 65,000,000.00 < 70,000,000.00 → refused, 5,000,000.00 short;
    a cut of 30,000,000.00 leaves exactly the approved amount → allowed."""
    approved = 7_000_000_000
    cut_too_far = QuotaInputs(QUOTA_2026, [Adjustment(-3_500_000_000, "减", date(2026, 9, 1))])
    refusal = adjustment_fits(cut_too_far.available, approved)
    assert refusal is not None
    for figure in ("65,000,000.00", "70,000,000.00", "5,000,000.00"):
        assert figure in refusal
    cut_to_approved = QuotaInputs(QUOTA_2026, [Adjustment(-3_000_000_000, "减", date(2026, 9, 1))])
    assert adjustment_fits(cut_to_approved.available, approved) is None


def test_closing_summary_feeds_next_year(jining: Profile, shaoxing: Profile) -> None:
    """004 §4.3: the year closes with quota, adjustments, spent, unused and the carry-over
    into next year (Jining); the same year in Shaoxing carries nothing."""
    spent = 10_500_000_000
    summary = closing_summary(jining_2026(), spent, jining)
    assert summary.quota == QUOTA_2026
    assert summary.adjustments == 500_000_000
    assert summary.carried_in == CARRIED
    assert summary.available == 10_734_567_890
    assert summary.unused == 234_567_890 and summary.overspent == 0
    assert summary.carried_over == 234_567_890
    assert summary.working[-1].source == "004 §4.3"
    in_shaoxing = closing_summary(jining_2026(), spent, shaoxing)
    assert in_shaoxing.unused == 234_567_890 and in_shaoxing.carried_over == 0
    overspent = closing_summary(jining_2026(), 11_000_000_000, jining)
    assert overspent.unused == 0 and overspent.overspent == 265_432_110
    assert overspent.carried_over == 0


def test_scheme_position_sums_its_lines() -> None:
    """Where the quota is set per expenditure line (SchemeProfile.quota_by_line), the
    scheme's position is the sum of its lines'."""
    inpatient = quota_position(QuotaInputs(6_000_000_000), approved_plans=4_000_000_000)
    outpatient = quota_position(QuotaInputs(4_000_000_000, carried_over=10), spent=1_000_000_000)
    scheme = sum_positions([inpatient, outpatient])
    assert scheme.available == 10_000_000_010
    assert scheme.remaining_for_plans == 6_000_000_010
    assert scheme.remaining_for_spending == 9_000_000_010


def test_money_must_be_int_fen() -> None:
    """Architecture rule 5: no float on the way through."""
    with pytest.raises(TypeError):
        QuotaInputs(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        QuotaInputs(100, carried_over=-1)
    with pytest.raises(TypeError):
        plan_fits(1.0, 0, 100)  # type: ignore[arg-type]


fen = st.integers(min_value=0, max_value=10**14)


@given(
    base=fen,
    adjustments=st.lists(st.integers(min_value=-(10**12), max_value=10**12), max_size=4),
    carried=fen,
    approved=fen,
    requested=fen,
)
def test_plan_fits_exactly_when_within_the_available_quota(
    base: int, adjustments: list[int], carried: int, approved: int, requested: int
) -> None:
    """004 §4.4 as a property: the refusal comes exactly when requested + approved exceeds
    base + adjustments + carry-over."""
    inputs = QuotaInputs(
        base, [Adjustment(a, "调", date(2026, 6, 1)) for a in adjustments], carried
    )
    assert inputs.available == base + sum(adjustments) + carried
    fits = plan_fits(requested, approved, inputs.available) is None
    assert fits == (requested + approved <= inputs.available)
    position = quota_position(inputs, approved_plans=approved)
    assert position.remaining_for_plans == inputs.available - approved
