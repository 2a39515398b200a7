"""Historical balances moved to the pooled fund: Shaoxing (000 附件 §3.4–3.5) and Jining
(004 §4.5). Amounts in 万元 (`wan`)."""

from __future__ import annotations

import pytest
from settlement_cases import wan

from mibdesk.core.catalog import load_profile
from mibdesk.core.rules.settlement.transfers import (
    RetainedBalance,
    TransferInput,
    balance_transfer,
)

YI = wan(10_000)
"""One 亿元 in fen."""


def balances(*amounts: int) -> tuple[RetainedBalance, ...]:
    return tuple(
        RetainedBalance(f"33060{index + 2}", f"县区{index}", amount)
        for index, amount in enumerate(amounts)
    )


def shaoxing(scheme: str, pooled: int, spending: int, *amounts: int) -> list[int]:
    result = balance_transfer(
        TransferInput(2021, scheme, balances(*amounts), pooled, spending), load_profile("shaoxing")
    )
    assert result.total == sum(county.transfer for county in result.counties)
    return [county.transfer for county in result.counties]


def test_shaoxing_employee_scheme_three_months_same_share_for_every_county() -> None:
    """000 附件 §3.4: 上划比例=满足全市3个月支付能力的基金额度/暂存各区（县、市）基金累计结余的
    总和 — 12亿 a year is 3亿 for 3 months; the pooled fund holds 0.5亿 (the old 调剂金), so
    2.5亿 of the 10亿 retained: 25 % of every county's balance."""
    assert shaoxing("EMP", YI // 2, 12 * YI, 5 * YI, 3 * YI, 2 * YI) == [
        wan(12_500),
        wan(7_500),
        wan(5_000),
    ]


def test_shaoxing_resident_scheme_one_month() -> None:
    """000 附件 §3.5: 满足全市1个月支付能力 — 6亿 a year is 0.5亿 a month; the pooled fund holds
    0.2亿 (the year's income already moved up); 0.3亿 of 1.5亿: 20 %."""
    assert shaoxing("RES", wan(2_000), 6 * YI, YI, YI // 2) == [wan(2_000), wan(1_000)]


def test_shaoxing_share_is_capped_at_everything_retained() -> None:
    """000 附件 §3.4: a county cannot transfer more than it holds: 3亿 needed, 2亿 retained."""
    assert shaoxing("EMP", 0, 12 * YI, YI, YI) == [YI, YI]


def test_shaoxing_yearly_top_up_only_when_short() -> None:
    """000 附件 §3.4: 每年年初职工医保归集基金支付能力不足3个月时…上划补足 — a pooled fund already
    holding 3 months needs nothing; one holding 2.9亿 of 3亿 needs 0.1亿."""
    assert shaoxing("EMP", 3 * YI, 12 * YI, 5 * YI) == [0]
    assert shaoxing("EMP", wan(29_000), 12 * YI, 5 * YI, 5 * YI) == [wan(500), wan(500)]


def test_shaoxing_odd_fen_add_up_exactly() -> None:
    """000 附件 §3.4, rounding: 1.00 yuan over three equal balances of 1.00 yuan: 34 + 33 + 33
    fen (largest remainder, ties to the smaller code), never 99 or 101."""
    assert shaoxing("EMP", 0, 400, 100, 100, 100) == [34, 33, 33]


def test_shaoxing_working_names_the_share_and_sources() -> None:
    """000 附件 §3.4: the working shows the share (25.0000%) and cites the annex."""
    result = balance_transfer(
        TransferInput(2021, "EMP", balances(5 * YI, 3 * YI, 2 * YI), YI // 2, 12 * YI),
        load_profile("shaoxing"),
    )
    assert any("25.0000%" in step.label for step in result.working)
    assert {step.source for step in result.working} >= {"000 附件 §3.4", "000 附件 §3.4–3.5"}


def test_jining_thirty_percent_in_january_seventy_frozen() -> None:
    """004 §4.5: 其中30%于2020年1月底前归集到市…剩余70%暂存县（市、区）社会保障基金财政专户 —
    30 % of 1,000,000.01 yuan is 300,000.003 → 300,000.00; 700,000.01 stays frozen."""
    result = balance_transfer(
        TransferInput(2020, "EMP", balances(100_000_001)), load_profile("jining")
    )
    (item,) = result.counties
    assert (item.transfer, item.now, item.deferred, item.remaining) == (
        30_000_000,
        30_000_000,
        0,
        70_000_001,
    )
    assert {step.source for step in item.working} == {"004 §4.5"}


def test_jining_demand_deposits_short_of_thirty_percent() -> None:
    """004 §4.5: 活期存款不足30%的，待定期存款到期后补足 — 20万 of demand deposits move now, the
    other 10万 of the 30万 when the time deposits mature."""
    result = balance_transfer(
        TransferInput(
            2020, "EMP", (RetainedBalance("370811", "任城区", wan(100), demand_deposits=wan(20)),)
        ),
        load_profile("jining"),
    )
    (item,) = result.counties
    assert (item.transfer, item.now, item.deferred, item.remaining) == (
        wan(30),
        wan(20),
        wan(10),
        wan(70),
    )


def test_no_rule_for_the_scheme_or_the_city_is_refused() -> None:
    """004 §4.5 names the employee scheme only; Jilin's plan (001) sets no transfer."""
    with pytest.raises(ValueError):
        balance_transfer(TransferInput(2020, "CI", balances(wan(1))), load_profile("jining"))
    with pytest.raises(ValueError):
        balance_transfer(TransferInput(2020, "EMP", balances(wan(1))), load_profile("jilin"))
