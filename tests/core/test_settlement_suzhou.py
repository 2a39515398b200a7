"""Suzhou's year-end settlement with worked numbers (003 §3.3). Amounts in 万元 (`wan`)."""

from __future__ import annotations

from settlement_cases import assert_conserved, county, edited, one, run, wan, year

from mibdesk.core.rules.settlement.suzhou import EXHAUSTED_SOURCE

POOL = {"EMP": wan(10_000), "RES": wan(10_000)}


def test_local_balance_then_risk_reserve_then_the_city_fund_with_20_percent_back() -> None:
    """003 §3.3: 由当地使用留存当地的…累计结余、医疗风险准备金先行予以弥补；上述资金使用完后
    仍出现缺口的，由市财政局通过市级医保统筹基金补足，当地按职工医疗保险实际缺口的 20%上缴
    市级财政: deficit 500万 − balance 100万 − reserve 50万 = 350万 from the city fund; the
    county pays 20 % of those 350万 (70万) to city finance."""
    result = run(
        "suzhou",
        POOL,
        county(
            "320506",
            EMP=year(wan(1000), wan(1500), wan(100), reserve=wan(50)),
            RES=year(wan(1000), wan(1500), wan(100), reserve=wan(50)),
        ),
    )
    emp = one(result, "320506")
    assert (emp.from_balance, emp.from_reserve, emp.pooled_fund) == (wan(100), wan(50), wan(350))
    assert emp.county_finance == emp.city_finance == 0
    assert emp.remit_to_city == wan(70)
    assert (emp.balance_after, emp.reserve_after) == (0, 0)
    assert emp.county_finance_total == wan(70)
    assert_conserved(result)


def test_the_20_percent_applies_to_the_employee_scheme_only() -> None:
    """003 §3.3: "按职工医疗保险实际缺口的 20%" — a resident-scheme gap is the city fund's alone."""
    result = run(
        "suzhou",
        POOL,
        county(
            "320506",
            EMP=year(wan(1000), wan(1000), reserve=0),
            RES=year(wan(1000), wan(1500), wan(100), reserve=wan(50)),
        ),
    )
    res = one(result, "320506", "RES")
    assert res.pooled_fund == wan(350) and res.remit_to_city == 0


def test_reserve_is_not_touched_while_the_balance_suffices() -> None:
    """003 §3.3: balance first, then the reserve, each only as far as needed."""
    result = run(
        "suzhou",
        POOL,
        county(
            "320506",
            EMP=year(wan(1000), wan(1080), wan(100), reserve=wan(50)),
            RES=year(0, 0, reserve=0),
        ),
    )
    emp = one(result, "320506")
    assert (emp.from_balance, emp.from_reserve, emp.reserve_after) == (wan(80), 0, wan(50))
    assert emp.pooled_fund == emp.remit_to_city == 0


def test_missed_plans_are_the_countys_own() -> None:
    """003 §3.3: 对未完成基金收入计划和违规少收多支形成的管理性基金缺口，由当地负责补足 — the
    county pays the 100万 it caused; balance and fund cover the remaining 400万."""
    result = run(
        "suzhou",
        POOL,
        county(
            "320506",
            EMP=year(wan(1000), wan(1500), wan(100), caused=wan(100), reserve=0),
            RES=year(0, 0, reserve=0),
        ),
    )
    emp = one(result, "320506")
    assert (emp.county_caused, emp.from_balance, emp.pooled_fund) == (wan(100), wan(100), wan(300))
    assert emp.remit_to_city == wan(60)


def test_city_finance_makes_up_what_the_exhausted_city_fund_cannot() -> None:
    """003 §3.3 names 市财政局 as the one who makes the gap good; with 200万 in the city fund
    against a 350万 gap, city finance pays the other 150万 (mibdesk default); the county's 20 %
    is still of the whole gap the city filled (70万)."""
    result = run(
        "suzhou",
        {"EMP": wan(200), "RES": 0},
        county(
            "320506",
            EMP=year(wan(1000), wan(1500), wan(100), reserve=wan(50)),
            RES=year(0, 0, reserve=0),
        ),
    )
    emp = one(result, "320506")
    assert (emp.pooled_fund, emp.city_finance, emp.county_finance) == (wan(200), wan(150), 0)
    assert emp.remit_to_city == wan(70)
    assert any(step.source == EXHAUSTED_SOURCE for step in emp.working)
    assert_conserved(result)


def test_a_surplus_stays_in_the_city_fund() -> None:
    """003 §3.3 keeps no surplus locally (mibdesk default: income goes to the city treasury)."""
    result = run(
        "suzhou",
        {"EMP": 0, "RES": 0},
        county("320506", EMP=year(wan(1200), wan(1000), wan(10), reserve=0), RES=year(0, 0)),
    )
    emp = one(result, "320506")
    assert (emp.surplus_to_pool, emp.surplus_kept, emp.balance_after) == (wan(200), 0, wan(10))


def test_the_20_percent_is_profile_data() -> None:
    """003 §3.3's 20 % comes from the profile: at 25 % the county pays 87.5万 of a 350万 gap."""
    profile = edited(
        "suzhou",
        lambda data: data["settlement"]["suzhou"]["county_deficit_share"].update(value="0.25"),
    )
    result = run(
        profile,
        {"EMP": wan(10_000)},
        county("320506", EMP=year(wan(1000), wan(1500), wan(100), reserve=wan(50))),
    )
    assert one(result, "320506").remit_to_city == 87_500_000


def test_suzhou_reserve_warning_below_six_months() -> None:
    """003 §3.3: 当全市基本医疗保险基金备付期低于 6 个月时，及时调整医保政策 — 12 months of
    1,200万 spending (100万 a month): 599万 held is a warning, 600万 is not."""
    low = run(
        "suzhou",
        {"EMP": wan(499)},
        county("320506", EMP=year(wan(1200), wan(1200), wan(100), reserve=0)),
    )
    assert low.scheme("EMP").reserve_warning
    assert low.scheme("EMP").working[-1].source == "003 §3.3"
    enough = run(
        "suzhou",
        {"EMP": wan(500)},
        county("320506", EMP=year(wan(1200), wan(1200), wan(100), reserve=0)),
    )
    assert not enough.scheme("EMP").reserve_warning
