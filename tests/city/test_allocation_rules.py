"""Allocation arithmetic with worked numbers: weighted factors (002 §2.3), whole fen by the
largest remainder, the counties adding up to the budget exactly, and the sum check."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.errors import ValidationError
from mibdesk.core.rules.allocation import Factor, check_sum, largest_remainder, weighted_split

A, B, C = "330602", "330603", "330604"
BUDGET = 100_000_000  # 1,000,000.00 yuan

FACTORS = (
    Factor(
        "参保人数", Decimal("50"), {A: Decimal(300_000), B: Decimal(500_000), C: Decimal(200_000)}
    ),
    Factor(
        "上年基金支出",
        Decimal("30"),
        {A: Decimal("40000000"), B: Decimal("40000000"), C: Decimal("20000000")},
    ),
    Factor(
        "退休人员占比", Decimal("20"), {A: Decimal("0.25"), B: Decimal("0.20"), C: Decimal("0.30")}
    ),
)


def test_weighted_factors_worked_example() -> None:
    """A: 50%×0.3 + 30%×0.4 + 20%×(0.25/0.75) = 101/300 of the budget = 33,666,666.67 fen;
    B: 50%×0.5 + 30%×0.4 + 20%×(0.20/0.75) = 127/300 = 42,333,333.33 fen; C: 72/300 = 24,000,000.
    Rounded down they miss 1 fen, which goes to A (the largest remainder, 0.67)."""
    split = weighted_split(BUDGET, FACTORS, [A, B, C])
    assert [c.share for c in split.counties] == [
        Fraction(101, 300),
        Fraction(127, 300),
        Fraction(72, 300),
    ]
    assert split.amounts == {A: 33_666_667, B: 42_333_333, C: 24_000_000}
    assert sum(split.amounts.values()) == BUDGET
    working = [step.label for step in split.counties[0].steps]
    assert working[0] == "参保人数：50% × 300,000 ÷ 1,000,000 = 15.0000%"
    assert working[2] == "退休人员占比：20% × 0.2500 ÷ 0.7500 = 6.6667%"
    assert "33.6667%" in working[3] and "33666666.6667" in working[3]
    assert split.counties[0].steps[-1].amount == 33_666_667
    assert "1 分" in split.steps[-1].label


def test_ties_go_to_the_lower_county_code_and_adjustments_may_be_negative() -> None:
    thirds = {A: Fraction(1, 3), B: Fraction(1, 3), C: Fraction(1, 3)}
    assert largest_remainder(100, thirds) == {A: 34, B: 33, C: 33}
    assert largest_remainder(-100, thirds) == {A: -34, B: -33, C: -33}
    assert largest_remainder(0, thirds) == {A: 0, B: 0, C: 0}


@given(
    budget=st.integers(min_value=-(10**14), max_value=10**14),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(
        lambda w: sum(w) > 0
    ),
)
def test_the_counties_always_add_up_and_stay_within_a_fen(budget: int, weights: list[int]) -> None:
    counties = [f"3306{n:02d}" for n in range(1, len(weights) + 1)]
    shares = {c: Fraction(w, sum(weights)) for c, w in zip(counties, weights, strict=True)}
    amounts = largest_remainder(budget, shares)
    assert sum(amounts.values()) == budget
    for county, amount in amounts.items():
        assert abs(amount - budget * shares[county]) < 1


def test_sum_check_says_by_how_much() -> None:
    short = check_sum(BUDGET, {A: 33_000_000, B: 42_000_000, C: 24_000_000})
    assert (short.adds_up, short.difference) == (False, 1_000_000)
    assert "差 10,000.00 元" in short.message() and "少于" in short.message()
    over = check_sum(BUDGET, {A: 35_000_000, B: 42_000_000, C: 24_000_001})
    assert over.difference == -1_000_001 and "差 10,000.01 元" in over.message()
    assert "多于" in over.message()
    assert check_sum(BUDGET, {A: BUDGET}).adds_up


@pytest.mark.parametrize(
    ("factors", "expected"),
    [
        (
            (Factor("参保人数", Decimal("90"), {A: Decimal(1), B: Decimal(1), C: Decimal(1)}),),
            "90%",
        ),
        ((Factor("参保人数", Decimal("100"), {A: Decimal(1), B: Decimal(1)}),), "330604"),
        (
            (Factor("参保人数", Decimal("100"), {A: Decimal(1), B: Decimal(-1), C: Decimal(1)}),),
            "小于零",
        ),
        (
            (Factor("参保人数", Decimal("100"), {A: Decimal(0), B: Decimal(0), C: Decimal(0)}),),
            "都为零",
        ),
    ],
)
def test_bad_factors_are_refused(factors: tuple[Factor, ...], expected: str) -> None:
    with pytest.raises(ValidationError, match=expected):
        weighted_split(BUDGET, factors, [A, B, C])
