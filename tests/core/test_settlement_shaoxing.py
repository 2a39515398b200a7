"""Shaoxing's year-end settlement with worked numbers (000 附件 §4.4–4.6).

Amounts are in 万元 (`wan`). Each test names the sentence of the annex it checks.
"""

from __future__ import annotations

import pytest
from settlement_cases import assert_conserved, county, one, run, wan, year

from mibdesk.core.rules.settlement.waterfall import PRO_RATA_SOURCE

BIG_POOL = {"EMP": wan(10_000)}


def test_surplus_half_to_the_pooled_fund_half_kept() -> None:
    """000 附件 §4.4: 当期出现结余时，50 %作为归集基金，50 %可用于结余地弥补其今后年度的缺口.
    The kept half is added to the county's balance."""
    result = run(
        "shaoxing", {"EMP": 0}, county("330602", "优秀", EMP=year(wan(1200), wan(1000), wan(50)))
    )
    item = one(result, "330602")
    assert (item.surplus_to_pool, item.surplus_kept) == (wan(100), wan(100))
    assert item.balance_after == wan(150)
    assert item.deficit == 0 and sum(item.deficit_payers().values()) == 0
    assert result.scheme("EMP").pooled_after == wan(100)
    sources = {step.source for step in item.working}
    assert "000 附件 §4.4" in sources


def test_an_odd_fen_of_surplus_goes_to_the_pool_half_up() -> None:
    """000 附件 §4.4, rounding: 50 % of 1.01 yuan is 0.505 → 0.51 to the pool, 0.50 kept."""
    result = run("shaoxing", {"EMP": 0}, county("330602", "良好", EMP=year(101, 0)))
    item = one(result, "330602")
    assert (item.surplus_to_pool, item.surplus_kept) == (51, 50)


def test_surplus_split_does_not_depend_on_the_grade() -> None:
    """000 附件 §4.6 raises the county's 分担比例 (deficit sharing); 结余留用 is not a sharing
    ratio, so a county below 优秀 still keeps 50 % of its surplus."""
    result = run("shaoxing", {"EMP": 0}, county("330602", "不合格", EMP=year(wan(1200), wan(1000))))
    assert one(result, "330602").surplus_kept == wan(100)


def test_deficit_covered_by_the_county_balance() -> None:
    """000 附件 §4.5.3: 首先动用其基金累计结余弥补 — nobody else pays while the balance lasts."""
    result = run(
        "shaoxing", BIG_POOL, county("330602", "良好", EMP=year(wan(1000), wan(1080), wan(100)))
    )
    item = one(result, "330602")
    assert item.from_balance == wan(80) and item.balance_after == wan(20)
    assert item.pooled_fund == item.county_finance == item.city_finance == 0


def test_rest_of_the_deficit_split_50_50_for_an_excellent_county() -> None:
    """000 附件 §4.5.3: 若各地基金累计结余不足支付时，由归集基金、缺口地财政分别按50%比例补足."""
    result = run(
        "shaoxing", BIG_POOL, county("330602", "优秀", EMP=year(wan(1000), wan(1300), wan(100)))
    )
    item = one(result, "330602")
    assert item.deficit_payers() == {
        "county_caused": 0,
        "county_balance": wan(100),
        "risk_reserve": 0,
        "pooled_fund": wan(100),
        "county_finance": wan(100),
        "city_finance": 0,
    }
    assert item.balance_after == 0


@pytest.mark.parametrize("grade", ["良好", "合格", "不合格"])
def test_below_excellent_the_county_carries_55_percent(grade: str) -> None:
    """000 附件 §4.6: 考核达不到优秀的，地方分担比例上升5个百分点 — the local (county) share
    rises: pooled fund 45 %, county finance 55 %."""
    result = run(
        "shaoxing", BIG_POOL, county("330602", grade, EMP=year(wan(1000), wan(1300), wan(100)))
    )
    item = one(result, "330602")
    assert (item.pooled_fund, item.county_finance) == (wan(90), wan(110))
    grade_step = next(step for step in item.working if grade in step.label)
    assert grade_step.source == "000 附件 §4.6"


def test_county_caused_gap_is_the_county_governments_in_full() -> None:
    """000 附件 §4.5.2: 少收多支部分由各区（县、市）政府补足; the balance and the 50/50 split
    apply to the rest only (§4.5.3: 上述情况以外的当期正常基金收支缺口)."""
    result = run(
        "shaoxing",
        BIG_POOL,
        county("330602", "优秀", EMP=year(wan(1000), wan(1300), wan(100), caused=wan(50))),
    )
    item = one(result, "330602")
    assert item.county_caused == wan(50)
    assert item.from_balance == wan(100)
    assert (item.pooled_fund, item.county_finance) == (wan(75), wan(75))
    assert item.county_finance_total == wan(125)
    assert_conserved(result)


def test_zero_balance_goes_straight_to_the_split() -> None:
    """000 附件 §4.5.3 with no accumulated balance: the whole deficit is split 50/50."""
    result = run("shaoxing", BIG_POOL, county("330602", "优秀", EMP=year(wan(1000), wan(1200), 0)))
    item = one(result, "330602")
    assert (item.from_balance, item.pooled_fund, item.county_finance) == (0, wan(100), wan(100))


@pytest.mark.parametrize(("grade", "city", "county_share"), [("优秀", 40, 160), ("合格", 30, 170)])
def test_empty_pooled_fund_city_20_county_80(grade: str, city: int, county_share: int) -> None:
    """000 附件 §4.5.3: 若归集基金亦不足支付时，则由市财政、缺口地财政分别按20 %、80%比例补足;
    §4.6: below 优秀 the county's share is 85 %, the city's 15 %."""
    result = run("shaoxing", {"EMP": 0}, county("330602", grade, EMP=year(wan(1000), wan(1200))))
    item = one(result, "330602")
    assert item.pooled_fund == 0
    assert (item.city_finance, item.county_finance) == (wan(city), wan(county_share))
    assert result.scheme("EMP").exhausted


def test_pooled_fund_exhausted_midway_excellent() -> None:
    """000 附件 §4.5.3: the 50/50 split runs while the pooled fund lasts (60万: the county
    matches it with 60万), the 80万 left is split 20/80 (city 16万, county 64万)."""
    result = run(
        "shaoxing", {"EMP": wan(60)}, county("330602", "优秀", EMP=year(wan(1000), wan(1200)))
    )
    item = one(result, "330602")
    assert item.pooled_fund == wan(60)
    assert item.city_finance == wan(16)
    assert item.county_finance == wan(60) + wan(64)
    assert result.scheme("EMP").pooled_after == 0
    assert_conserved(result)


def test_pooled_fund_exhausted_midway_below_excellent() -> None:
    """000 附件 §4.5.3 and §4.6 (45/55, then 15/85): the pooled fund pays 60万 of the 90万 asked;
    the county matches at 55:45 → 73.333333万 rounded half-up to 73,333,333 fen; the
    66,666,667 fen left: city 15 % = 10,000,000.05 → 10,000,000 fen, county the rest."""
    result = run(
        "shaoxing", {"EMP": wan(60)}, county("330602", "良好", EMP=year(wan(1000), wan(1200)))
    )
    item = one(result, "330602")
    assert item.pooled_fund == wan(60)
    assert item.city_finance == 10_000_000
    assert item.county_finance == 73_333_333 + 56_666_667
    assert_conserved(result)


def test_surplus_of_one_county_pays_into_the_deficit_of_another() -> None:
    """000 附件 §4.4 and §4.5.3 in one clearing (§4.6): 330603's surplus half (100万) joins the
    pooled fund (20万) and covers 120万 of 330602's 150万 share; the 60万 left is 20/80."""
    result = run(
        "shaoxing",
        {"EMP": wan(20)},
        county("330602", "优秀", EMP=year(wan(1000), wan(1300))),
        county("330603", "优秀", EMP=year(wan(1200), wan(1000), wan(10))),
    )
    deficit, surplus = one(result, "330602"), one(result, "330603")
    assert (surplus.surplus_to_pool, surplus.balance_after) == (wan(100), wan(110))
    assert deficit.pooled_fund == wan(120)
    assert deficit.city_finance == wan(12)
    assert deficit.county_finance == wan(120) + wan(48)
    scheme = result.scheme("EMP")
    assert (scheme.surplus_in, scheme.pooled_drawn, scheme.pooled_after) == (wan(100), wan(120), 0)
    assert_conserved(result)


def test_exhausted_pooled_fund_is_shared_pro_rata_whatever_the_order() -> None:
    """Pooled fund 100万 against 150万 asked (100万 + 50万): each county gets 2/3 of its share;
    the odd fen goes to the larger remainder (330602), in either order of the list."""
    a = county("330602", "优秀", EMP=year(0, wan(200)))
    b = county("330603", "优秀", EMP=year(0, wan(100)))
    forward = run("shaoxing", {"EMP": wan(100)}, a, b)
    backward = run("shaoxing", {"EMP": wan(100)}, b, a)
    assert forward == backward
    assert one(forward, "330602").pooled_fund == 66_666_667
    assert one(forward, "330603").pooled_fund == 33_333_333
    pro_rata = [step for step in one(forward, "330603").working if step.source == PRO_RATA_SOURCE]
    assert pro_rata and pro_rata[0].amount == 33_333_333
    assert_conserved(forward)


def test_two_schemes_have_separate_pooled_funds() -> None:
    """000 附件 §3.4–3.5: 职工医保归集基金 and 居民医保归集基金 are separate funds: an EMP
    surplus never pays a RES deficit."""
    result = run(
        "shaoxing",
        {"EMP": 0, "RES": 0},
        county("330602", "优秀", EMP=year(wan(300), wan(100)), RES=year(wan(100), wan(300))),
    )
    assert result.scheme("EMP").pooled_after == wan(100)
    res = one(result, "330602", "RES")
    assert res.pooled_fund == 0 and res.city_finance == wan(40)


def test_every_step_cites_a_source_and_the_citywide_reserve_is_checked() -> None:
    """Working: every step has a rule and a source; the reserve after settlement is compared
    with the profile's amber months: the deficit of 50万 comes out of the balance (100万 → 50万),
    so pool 100万 + balance 50万 = 150万 = 1.5 months of 100万 a month, below 6: a warning."""
    result = run(
        "shaoxing",
        {"EMP": wan(100)},
        county("330602", "优秀", EMP=year(wan(1150), wan(1200), wan(100))),
    )
    scheme = result.scheme("EMP")
    steps = [*scheme.working, *one(result, "330602").working]
    assert all(step.rule and step.source for step in steps)
    assert scheme.reserve_warning
    assert scheme.working[-1].amount == wan(150)


def test_a_grade_the_profile_does_not_know_is_refused() -> None:
    """000 附件 §4.6: the grade decides the shares, so an unknown one cannot be settled."""
    with pytest.raises(ValueError, match="grade"):
        run("shaoxing", BIG_POOL, county("330602", "甲等", EMP=year(0, 1)))
    with pytest.raises(ValueError, match="grade"):
        run("shaoxing", BIG_POOL, county("330602", None, EMP=year(0, 1)))
