"""Year-end settlement for 100 counties (issue #7 goal: ≤ 1 s).

A Shaoxing city of 100 counties, both schemes, half of them in deficit with mixed grades,
a pooled fund that runs out midway (the pro-rata path) — every step of the working built
and translated. Baseline, in the same run: the same waterfall arithmetic (surplus split,
balance first, 50/50 share, pro rata, 20/80) in a bare loop over int fen, without working
or checks. Also timed: reading and checking the input file for those 100 counties.

    .venv/bin/python bench/settlement.py
"""

from __future__ import annotations

import json
import random
import sys

from timing import median_ms

from mibdesk.core.catalog import load_profile
from mibdesk.core.rules.settlement import CountyInput, SchemeYear, SettlementInput, settle
from mibdesk.core.rules.settlement.input_file import read_input_file, to_settlement_input

COUNTIES = 100
GOAL_MS = 1000.0
SCHEMES = ("EMP", "RES")
GRADES = ("优秀", "良好", "合格")


def city(seed: int = 7) -> SettlementInput:
    rng = random.Random(seed)
    counties = []
    for index in range(COUNTIES):
        years = {}
        for scheme in SCHEMES:
            income = rng.randrange(30_000, 90_000) * 10**6  # 3–9 亿元 in fen
            expenditure = income + rng.randrange(-3_000, 6_000) * 10**6
            caused = rng.randrange(0, max(expenditure - income, 0) // 4 + 1)
            balance = rng.randrange(0, 2_000) * 10**6
            years[scheme] = SchemeYear(income, expenditure, balance, caused)
        counties.append(
            CountyInput(f"{330000 + index:06d}", f"县区{index}", GRADES[index % 3], years)
        )
    return SettlementInput(2024, {"EMP": 10**9, "RES": 10**8}, tuple(counties))


def bare(inputs: SettlementInput) -> int:
    """The waterfall's arithmetic alone: no working, no checks, no result objects."""
    total = 0
    for scheme, pooled in inputs.pooled_fund.items():
        gaps, demands, surplus = {}, {}, 0
        for county in inputs.counties:
            year = county.schemes[scheme]
            result = year.income - year.expenditure
            if result >= 0:
                surplus += (result + 1) // 2
                continue
            gap = max(-result - year.county_caused - year.balance, 0)
            gaps[county.code] = gap
            demands[county.code] = (gap * (9 if county.grade != "优秀" else 10) + 10) // 20
        available, asked = pooled + surplus, sum(demands.values())
        for code, gap in gaps.items():
            granted = demands[code] if asked <= available else available * demands[code] // asked
            left = gap - 2 * granted
            total += granted + (left * 2 + 5) // 10
    return total


def main() -> int:
    inputs = city()
    profile = load_profile("shaoxing")
    result = settle(inputs, profile)
    assert any(scheme.exhausted for scheme in result.schemes), (
        "the bench must take the pro-rata path"
    )
    base = median_ms(lambda: bare(inputs))
    settle_ms = median_ms(lambda: settle(inputs, profile))
    text = json.dumps(_file(inputs), ensure_ascii=False)
    read_ms = median_ms(
        lambda: to_settlement_input(read_input_file(text, where="bench"), profile, where="bench")
    )
    steps = sum(len(c.working) for s in result.schemes for c in s.counties)
    print(f"city: {COUNTIES} counties × {len(SCHEMES)} schemes, {steps} steps of working")
    print(f"bare arithmetic loop: {base:.2f} ms")
    print(
        f"settle with working: {settle_ms:.1f} ms "
        f"(goal ≤ {GOAL_MS:.0f} ms; {settle_ms / base:.0f}x bare)"
    )
    print(f"read and check the input file: {read_ms:.1f} ms ({read_ms / base:.0f}x bare)")
    return 0


def _file(inputs: SettlementInput) -> dict[str, object]:
    """The same city as a settlement input file (docs/settlement-input.md)."""

    def yuan(fen: int) -> str:
        return f"{fen // 100}.{fen % 100:02d}"

    return {
        "format": "mibdesk-settlement-input",
        "format_version": 1,
        "profile": "shaoxing",
        "year": inputs.year,
        "counties": [{"code": c.code, "name": c.name, "grade": c.grade} for c in inputs.counties],
        "schemes": {
            scheme: {
                "pooled_fund": yuan(pooled),
                "counties": {
                    c.code: {
                        "income": yuan(c.schemes[scheme].income),
                        "expenditure": yuan(c.schemes[scheme].expenditure),
                        "balance": yuan(c.schemes[scheme].balance),
                        "county_caused": yuan(c.schemes[scheme].county_caused),
                    }
                    for c in inputs.counties
                },
            }
            for scheme, pooled in inputs.pooled_fund.items()
        },
    }


if __name__ == "__main__":
    sys.exit(main())
