"""Jilin's and Jining's year-end settlement: a balance first, then a city–county ratio
(001 §2.3.2, 004 §4.6). Amounts in 万元 (`wan`)."""

from __future__ import annotations

from settlement_cases import assert_conserved, county, edited, one, run, wan, year

from mibdesk.core.rules.settlement.ratio import EXHAUSTED_SOURCE


def test_jilin_the_citys_balance_first_then_city_and_county_by_ratio() -> None:
    """001 §2.3.2: 如当年基金收支相抵出现缺口，由市级通过结余基金补足。累计结余不足的，由市和
    县（市）区、开发区分级按比例分担 — the pooled balance (100万) pays first, the other 200万 is
    shared by city and county finance (0.5/0.5 until the city sets its ratio). The county's own
    balance is not drawn on."""
    result = run(
        "jilin", {"EMP": wan(100)}, county("220202", EMP=year(wan(1000), wan(1300), wan(200)))
    )
    item = one(result, "220202")
    assert item.pooled_fund == wan(100)
    assert (item.city_finance, item.county_finance) == (wan(100), wan(100))
    assert item.from_balance == 0 and item.balance_after == wan(200)
    assert_conserved(result)


def test_jilin_pooled_balance_sufficient() -> None:
    """001 §2.3.2: while the city's balance suffices it makes up the whole gap."""
    result = run("jilin", {"EMP": wan(1000)}, county("220202", EMP=year(wan(1000), wan(1300))))
    item = one(result, "220202")
    assert item.pooled_fund == wan(300) and item.county_finance == item.city_finance == 0


def test_jilin_county_caused_shortfall() -> None:
    """001 §2.3.2: 未完成征收计划等情形形成的基金收入缺口，由县（市）区政府…负责补足."""
    result = run(
        "jilin",
        {"EMP": wan(1000)},
        county("220202", EMP=year(wan(1000), wan(1300), caused=wan(30))),
    )
    item = one(result, "220202")
    assert (item.county_caused, item.pooled_fund) == (wan(30), wan(270))


def test_jining_historical_balance_first_then_city_fund_and_county_government() -> None:
    """004 §4.6: 有历史结余的，从历史结余中解决；无历史结余的，由市级城镇职工医疗保险基金和县级
    政府分别承担 — 100万 from the historical balance, the 200万 left half from the city fund,
    half from the county government (0.5/0.5 until the city decides)."""
    result = run(
        "jining", {"EMP": wan(1000)}, county("370811", EMP=year(wan(1000), wan(1300), wan(100)))
    )
    item = one(result, "370811")
    assert (item.from_balance, item.pooled_fund, item.county_finance) == (
        wan(100),
        wan(100),
        wan(100),
    )
    assert item.city_finance == 0


def test_jining_city_fund_exhausted_city_finance_carries_the_citys_share() -> None:
    """004 §4.6 only covers the case 全市城镇职工医保基金仍有累计结余; with 40万 left the city fund
    pays 40万, the county matches 40万, and the 120万 left is city finance / county 50/50."""
    result = run("jining", {"EMP": wan(40)}, county("370811", EMP=year(wan(1000), wan(1200))))
    item = one(result, "370811")
    assert item.pooled_fund == wan(40)
    assert (item.city_finance, item.county_finance) == (wan(60), wan(40) + wan(60))
    assert any(EXHAUSTED_SOURCE in step.source for step in item.working)
    assert_conserved(result)


def test_the_ratio_is_set_by_the_city_in_its_profile() -> None:
    """004 §4.6 具体承担责任另行确定: with the city's 0.7/0.3 the 200万 gap is 140万 city fund,
    60万 county government."""

    def ratio(data: dict[str, object]) -> None:
        block = data["settlement"]["ratio"]  # type: ignore[index]
        block["city_share"]["value"] = "0.7"
        block["county_share"]["value"] = "0.3"

    result = run(
        edited("jining", ratio), {"EMP": wan(1000)}, county("370811", EMP=year(0, wan(200)))
    )
    item = one(result, "370811")
    assert (item.pooled_fund, item.county_finance) == (wan(140), wan(60))


def test_surplus_and_deficit_counties_in_the_same_year() -> None:
    """004 §4.6 with a surplus county: its 50万 surplus stays in the city fund (mibdesk default:
    统收统支) and pays towards the other county's city share."""
    result = run(
        "jining",
        {"EMP": 0},
        county("370811", EMP=year(wan(1050), wan(1000), wan(5))),
        county("370812", EMP=year(wan(1000), wan(1200))),
    )
    surplus, deficit = one(result, "370811"), one(result, "370812")
    assert (surplus.surplus_to_pool, surplus.surplus_kept, surplus.balance_after) == (
        wan(50),
        0,
        wan(5),
    )
    assert deficit.pooled_fund == wan(50)
    assert deficit.city_finance == wan(50) and deficit.county_finance == wan(100)
    assert_conserved(result)
