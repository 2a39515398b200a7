"""A year of monthly reports for the settlement tests (Shaoxing: EMP and RES), sent by the
two registered counties of the city world, and the worked figures they add up to.

2025, per month (fen): 北城区 EMP: 单位缴费 100,000.00 + 利息 1,000.00 in, 住院 110,000.00
out (December amended to 130,000.00); RES: 个人缴费 30,000.00 from a township + 10,000.00
entered by the county in, 住院 35,000.00 out. 南湖县 EMP: 90,000.00 in, 80,000.00 out; RES:
20,000.00 in, 25,000.00 out. Year totals:

| | income | expenditure | result |
|---|---|---|---|
| 北城区 EMP | 1,212,000.00 | 1,340,000.00 | deficit 128,000.00 |
| 南湖县 EMP | 1,080,000.00 | 960,000.00 | surplus 120,000.00 |
| 北城区 RES | 480,000.00 | 420,000.00 | surplus 60,000.00 |
| 南湖县 RES | 240,000.00 | 300,000.00 | deficit 60,000.00 |

A January 2026 report (not of the year) and a December 2024 one must not count.
"""

from __future__ import annotations

from city_kit import NORTH, SOUTH, World, send_report

from mibdesk.core.periods import Month
from mibdesk.core.services.exchange.sync import sync

YEAR = 2025
YUAN = 100

MONTHLY = {
    (NORTH, "EMP"): {
        ("INC_EMPLOYER", ""): 100_000 * YUAN,
        ("INC_INTEREST", ""): 1_000 * YUAN,
        ("EXP_INPATIENT", ""): 110_000 * YUAN,
    },
    (NORTH, "RES"): {
        ("INC_PERSONAL", f"{NORTH}001"): 30_000 * YUAN,
        ("INC_PERSONAL", ""): 10_000 * YUAN,
        ("EXP_INPATIENT", ""): 35_000 * YUAN,
    },
    (SOUTH, "EMP"): {("INC_EMPLOYER", ""): 90_000 * YUAN, ("EXP_INPATIENT", ""): 80_000 * YUAN},
    (SOUTH, "RES"): {("INC_PERSONAL", ""): 20_000 * YUAN, ("EXP_INPATIENT", ""): 25_000 * YUAN},
}
TOTALS = {
    (NORTH, "EMP"): (1_212_000 * YUAN, 1_340_000 * YUAN),
    (SOUTH, "EMP"): (1_080_000 * YUAN, 960_000 * YUAN),
    (NORTH, "RES"): (480_000 * YUAN, 420_000 * YUAN),
    (SOUTH, "RES"): (240_000 * YUAN, 300_000 * YUAN),
}


TYPED = {
    ("", "EMP", "pooled_fund"): 1_000_000 * YUAN,
    ("", "RES", "pooled_fund"): 10_000 * YUAN,
    (NORTH, "", "grade"): "优秀",
    (SOUTH, "", "grade"): "良好",
    (NORTH, "EMP", "balance"): 50_000 * YUAN,
    (NORTH, "EMP", "county_caused"): 28_000 * YUAN,
    (SOUTH, "EMP", "balance"): 200_000 * YUAN,
    (NORTH, "RES", "balance"): 0,
    (SOUTH, "RES", "balance"): 0,
    (SOUTH, "RES", "county_caused"): 0,
}
"""What the city types (Shaoxing). Settled: 北城区 EMP deficit 128,000 = caused 28,000 +
balance 50,000 + pooled 25,000 + county 25,000 (优秀: 50/50); 南湖县 EMP surplus 120,000,
60,000 to the pool; EMP pooled fund 1,000,000 → 1,035,000. 北城区 RES surplus 60,000, 30,000
to the pool; 南湖县 RES deficit 60,000 = pooled 27,000 + county 33,000 (良好: 45/55); RES
pooled fund 10,000 → 13,000."""


def send_year(world: World, *, skip: tuple[tuple[str, str, int], ...] = ()) -> None:
    """Every county's twelve reports of 2025 (less `skip`: (county, scheme, month)), the
    December amendment, the reports outside the year; the city syncs them all."""
    offices = {NORTH: world.north, SOUTH: world.south}
    for (code, scheme), values in MONTHLY.items():
        for month in range(1, 13):
            if (code, scheme, month) in skip:
                continue
            send_report(
                offices[code],
                scheme,
                Month(YEAR, month),
                values,
                sent_at=f"{YEAR + (month == 12)}-{month % 12 + 1:02d}-05T10:00:00+08:00",
            )
    amended = dict(MONTHLY[(NORTH, "EMP")])
    amended[("EXP_INPATIENT", "")] = 130_000 * YUAN
    send_report(
        world.north,
        "EMP",
        Month(YEAR, 12),
        amended,
        sent_at="2026-01-20T10:00:00+08:00",
        revision=1,
        reason="补记12月住院结算",
    )
    for month in (Month(YEAR + 1, 1), Month(YEAR - 1, 12)):
        send_report(
            world.south,
            "EMP",
            month,
            {("INC_EMPLOYER", ""): 999_999 * YUAN},
            sent_at="2026-02-05T10:00:00+08:00",
        )
    verdicts = sync(world.city.store).value.verdicts
    assert {v.status for v in verdicts} == {"applied"}
