"""Properties of the settlement rules, for any figures: conservation to the fen, no payer
below zero, the pooled fund never overdrawn, and results that do not depend on the order
counties are listed in (docs/decisions.md "Year-end settlement")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from settlement_cases import assert_conserved, edited

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.rules.settlement import CountyInput, SchemeYear, SettlementInput, settle
from mibdesk.core.rules.settlement.terms import allocate
from mibdesk.core.rules.settlement.transfers import (
    RetainedBalance,
    TransferInput,
    balance_transfer,
)

MONEY = st.integers(0, 10**12)
"""Up to 100亿元 in fen."""


@st.composite
def scheme_years(draw: st.DrawFn) -> SchemeYear:
    income, expenditure = draw(MONEY), draw(MONEY)
    caused = draw(st.integers(0, max(expenditure - income, 0)))
    return SchemeYear(income, expenditure, draw(MONEY), caused, draw(MONEY))


@st.composite
def city_years(draw: st.DrawFn, profile: Profile) -> SettlementInput:
    schemes = [code for code in profile.scheme_codes if code != "EMP_PA"][:2]
    grades = profile.settlement.shaoxing.grades.value if profile.settlement.shaoxing else (None,)
    codes = draw(st.lists(st.integers(100_000, 999_999), min_size=1, max_size=8, unique=True))
    counties = tuple(
        CountyInput(
            str(code),
            f"县区{code}",
            draw(st.sampled_from(grades)),
            {scheme: draw(scheme_years()) for scheme in schemes},
        )
        for code in codes
    )
    pooled = {scheme: draw(st.integers(0, 10**12) | st.just(0)) for scheme in schemes}
    return SettlementInput(2024, pooled, counties)


PROFILES = {
    name: load_profile(name) for name in ("shaoxing", "suzhou", "jilin", "jining", "generic")
}


def _check(inputs: SettlementInput, profile: Profile, order: list[int]) -> None:
    result = settle(inputs, profile)
    assert_conserved(result)
    for scheme in result.schemes:
        available = scheme.pooled_before + scheme.surplus_in
        assert scheme.pooled_drawn == min(available, scheme.pooled_demand)
        assert [c.county for c in scheme.counties] == sorted(c.county for c in scheme.counties)
        for item in scheme.counties:
            assert item.city_finance >= 0 and item.county_finance >= 0
            assert item.reserve_after >= 0 and item.balance_after >= 0
    shuffled = SettlementInput(
        inputs.year, inputs.pooled_fund, tuple(inputs.counties[i] for i in order)
    )
    assert settle(shuffled, profile) == result


@settings(max_examples=60, deadline=None, database=None)
@given(data=st.data(), name=st.sampled_from(sorted(PROFILES)))
def test_conservation_and_order_independence_for_every_profile(data: Any, name: str) -> None:
    profile = PROFILES[name]
    inputs = data.draw(city_years(profile))
    order = data.draw(st.permutations(range(len(inputs.counties))))
    _check(inputs, profile, list(order))


SHARES = st.decimals(min_value=0, max_value=1, places=3)


@settings(max_examples=40, deadline=None, database=None)
@given(data=st.data(), pooled=SHARES, city=SHARES, surplus=SHARES)
def test_conservation_holds_for_any_shaoxing_shares(
    data: Any, pooled: Decimal, city: Decimal, surplus: Decimal
) -> None:
    """Any shares a city may set (adding up to 1) keep every fen accounted for."""

    def shares(profile: dict[str, Any]) -> None:
        block = profile["settlement"]["shaoxing"]
        for first, second, value in (
            ("deficit_pooled_share", "deficit_county_share", pooled),
            ("overflow_city_share", "overflow_county_share", city),
            ("surplus_pooled_share", "surplus_county_share", surplus),
        ):
            block[first]["value"], block[second]["value"] = str(value), str(1 - value)
        extra = min(Decimal("0.05"), pooled, city)
        block["below_excellent_county_extra"]["value"] = str(extra)

    profile = edited("shaoxing", shares)
    inputs = data.draw(city_years(profile))
    _check(inputs, profile, list(reversed(range(len(inputs.counties)))))


@settings(max_examples=200, database=None)
@given(
    total=st.integers(0, 10**12),
    weights=st.dictionaries(st.text("0123456789", min_size=6, max_size=6), MONEY, min_size=1),
)
def test_allocate_adds_up_and_stays_within_a_fen(total: int, weights: dict[str, int]) -> None:
    whole = sum(weights.values())
    if whole == 0:
        total = 0
    total = min(total, whole)
    parts = allocate(total, weights)
    assert sum(parts.values()) == total
    for key, weight in weights.items():
        exact = Fraction(total * weight, whole) if whole else Fraction(0)
        assert abs(parts[key] - exact) < 1
        assert 0 <= parts[key] <= weight
    assert allocate(total, dict(reversed(list(weights.items())))) == parts


@settings(max_examples=100, deadline=None, database=None)
@given(
    amounts=st.lists(MONEY, min_size=1, max_size=10),
    pooled=MONEY,
    spending=MONEY,
    scheme=st.sampled_from(["EMP", "RES"]),
)
def test_shaoxing_transfer_is_one_share_for_all(
    amounts: list[int], pooled: int, spending: int, scheme: str
) -> None:
    """000 附件 §3.4–3.5: the transfers add up to what is needed (capped at what is held),
    and each county's is within one fen of the common share of its balance."""
    balances = tuple(
        RetainedBalance(f"{330601 + i}", f"县区{i}", amount) for i, amount in enumerate(amounts)
    )
    profile = load_profile("shaoxing")
    result = balance_transfer(TransferInput(2022, scheme, balances, pooled, spending), profile)
    months = profile.balance_transfer.months
    assert months is not None
    target = Fraction(months[scheme].value) * spending / 12  # type: ignore[index]
    held = sum(amounts)
    total = sum(county.transfer for county in result.counties)
    assert total == result.total <= held
    assert abs(total - min(max(target - pooled, 0), held)) <= 1
    for county in result.counties:
        exact = Fraction(total * county.balance, held) if held else 0
        assert abs(county.transfer - exact) < 1
        assert county.transfer + county.remaining == county.balance
