"""Shared builders for the settlement tests: amounts in 万元, counties, profiles as data."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mibdesk.core.catalog import Profile, load_profile, parse_profile, profile_to_json
from mibdesk.core.rules.settlement import (
    CountyInput,
    CountySettlement,
    SchemeYear,
    SettlementInput,
    SettlementResult,
    settle,
)

WAN = 1_000_000
"""One 万元 in fen."""


def wan(amount: int) -> int:
    """`amount` 万元 in fen."""
    return amount * WAN


def year(
    income: int,
    expenditure: int,
    balance: int = 0,
    *,
    caused: int = 0,
    reserve: int = 0,
) -> SchemeYear:
    return SchemeYear(income, expenditure, balance, county_caused=caused, risk_reserve=reserve)


def county(code: str, grade: str | None = None, **schemes: SchemeYear) -> CountyInput:
    return CountyInput(code, f"县区{code}", grade, schemes)


def run(
    profile: str | Profile, pooled: dict[str, int], *counties: CountyInput, year_: int = 2024
) -> SettlementResult:
    loaded = load_profile(profile) if isinstance(profile, str) else profile
    return settle(SettlementInput(year_, pooled, counties), loaded)


def one(result: SettlementResult, code: str, scheme: str = "EMP") -> CountySettlement:
    return result.county(scheme, code)


def edited(profile_id: str, change: Callable[[dict[str, Any]], None]) -> Profile:
    """A bundled profile with its JSON changed by `change` (policy is data)."""
    data = json.loads(profile_to_json(load_profile(profile_id)))
    change(data)
    return parse_profile(json.dumps(data, ensure_ascii=False), where=f"{profile_id}-edited.json")


def assert_conserved(result: SettlementResult) -> None:
    """Every fen of every deficit has one payer; surplus shares add up; the pool balances."""
    for scheme in result.schemes:
        for item in scheme.counties:
            assert sum(item.deficit_payers().values()) == item.deficit
            assert item.surplus_to_pool + item.surplus_kept == item.surplus
            assert min(item.deficit_payers().values()) >= 0
            assert item.balance_after == item.balance_before - item.from_balance + item.surplus_kept
        drawn = sum(item.pooled_fund for item in scheme.counties)
        assert scheme.pooled_drawn == drawn
        assert scheme.pooled_after == scheme.pooled_before + scheme.surplus_in - drawn >= 0


def figures(
    income: str, expenditure: str, balance: str = "0.00", caused: str = "0.00"
) -> dict[str, str]:
    return {
        "income": income,
        "expenditure": expenditure,
        "balance": balance,
        "county_caused": caused,
    }


SHAOXING_FILE: dict[str, Any] = {
    # a settlement input file (docs/settlement-input.md) for two Shaoxing counties
    "format": "mibdesk-settlement-input",
    "format_version": 1,
    "profile": "shaoxing",
    "year": 2024,
    "counties": [
        {"code": "330602", "name": "越城区", "grade": "优秀"},
        {"code": "330603", "name": "柯桥区", "grade": "良好"},
    ],
    "schemes": {
        "EMP": {
            "pooled_fund": "1000000.00",
            "counties": {
                "330602": figures("50000000.00", "52000000.00", "500000.00", "300000.00"),
                "330603": figures("60000000.00", "58000000.00"),
            },
        },
        "RES": {
            "pooled_fund": "0.00",
            "counties": {
                "330602": figures("100.00", "100.00"),
                "330603": figures("100.00", "100.01"),
            },
        },
    },
}
