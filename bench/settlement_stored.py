"""Year-end settlement from the city's stored data for 100 counties (issue #7 goal: ≤ 1 s).

A city on Jilin's profile (six pooled schemes) holds two years of monthly reports (every
input line, township lines for 10 townships) from 100 counties, seeded with bulk inserts
(city_seed.py), so 2025 has 100 counties × 12 months × 6 schemes = 7,200 reports. The city's
typed values (balances, county-caused gaps, grades and reserves where the profile uses them,
the pooled funds) are saved through the service. Timed: `compute` — the worksheet read from
the reports (latest revision per month, section totals), written as the settlement input
file, read back, checked and settled with every step of working — and its parts. Baselines,
in the same run: the raw SQL sum of the year's figures per county and scheme (the rows any
settlement from stored reports must read), and `settle()` alone on the same input in memory.

    .venv/bin/python bench/settlement_stored.py [sqlite] [postgresql]

PostgreSQL needs MIBDESK_TEST_PG_URL (tools/dev.sh starts a throwaway server).
"""

from __future__ import annotations

import os
import sys
import time

from city_seed import city_office, seed_history
from sqlalchemy import text
from timing import median_ms

from mibdesk.core.repos.settlement import EntryKey
from mibdesk.core.rules.settlement import settle
from mibdesk.core.rules.settlement.input_file import read_input_file, to_settlement_input
from mibdesk.core.services import accounts
from mibdesk.core.services.city.settlement import Worksheet, save, worksheet
from mibdesk.core.services.city.settlement_run import compute, input_text

COUNTIES, YEARS, YEAR = 100, 2, 2025
GOAL_MS = 1000.0
RUNS = 5


def _typed(sheet: Worksheet) -> dict[EntryKey, int | str]:
    """What the city types: a balance and a county-caused part for every county and scheme,
    a grade and a reserve where the profile uses them, every scheme's pooled fund."""
    typed: dict[EntryKey, int | str] = {}
    for scheme in sheet.schemes:
        typed[("", scheme, "pooled_fund")] = 5 * 10**10
    for n, county in enumerate(sheet.counties):
        if sheet.uses_grade:
            typed[(county.code, "", "grade")] = sheet.grades[n % len(sheet.grades)]
        for scheme in county.schemes:
            typed[(county.code, scheme, "balance")] = (n % 7) * 10**8
            typed[(county.code, scheme, "county_caused")] = 0
            if sheet.uses_reserve:
                typed[(county.code, scheme, "risk_reserve")] = (n % 3) * 10**7
    return typed


def run(backend: str) -> None:
    bench = city_office(backend)
    store, profile = bench.store, bench.profile
    try:
        started = time.perf_counter()
        counts = seed_history(bench, COUNTIES, YEARS)
        seeded = time.perf_counter() - started
        with store.engine.connect() as connection:
            if backend == "postgresql":
                connection.execute(text("ANALYZE"))
                connection.commit()
        head = accounts.login(store, "head", "Head2026pw").value
        sheet = worksheet(store, profile, YEAR)
        save(store, head, profile, YEAR, _typed(sheet))

        def raw_sql() -> object:
            with store.engine.connect() as connection:
                return connection.execute(
                    text(
                        "SELECT r.office, r.scheme, SUM(v.value) "
                        "FROM county_report_value v JOIN county_report r ON r.id = v.report_id "
                        "WHERE r.period BETWEEN :first AND :last GROUP BY r.office, r.scheme"
                    ),
                    {"first": YEAR * 100 + 1, "last": YEAR * 100 + 12},
                ).fetchall()

        settled = compute(store, profile, YEAR)
        inputs = to_settlement_input(
            read_input_file(settled.input_text, where="bench"), profile, where="bench"
        )
        reports = sum(len(f.months) for c in settled.sheet.counties for f in c.schemes.values())
        steps = sum(len(c.working) for s in settled.result.schemes for c in s.counties)
        assert len(settled.sheet.counties) == COUNTIES and reports == COUNTIES * 12 * len(
            settled.sheet.schemes
        )

        base_sql = median_ms(raw_sql, RUNS)
        base_settle = median_ms(lambda: settle(inputs, profile), RUNS)
        read_ms = median_ms(lambda: worksheet(store, profile, YEAR), RUNS)
        file_ms = median_ms(lambda: input_text(settled.sheet), RUNS)
        total = median_ms(lambda: compute(store, profile, YEAR), RUNS)

        print(
            f"[{backend}] seeded {counts['reports']:,} reports, {counts['values']:,} figures "
            f"in {seeded:.0f} s; {YEAR}: {reports:,} reports, {len(settled.sheet.schemes)} "
            f"schemes, {steps:,} steps of working"
        )
        print(f"[{backend}] baseline raw SQL sum of the year's figures: {base_sql:.1f} ms")
        print(f"[{backend}] baseline settle() on the same input in memory: {base_settle:.1f} ms")
        print(f"[{backend}] worksheet from the stored reports: {read_ms:.1f} ms")
        print(f"[{backend}] worksheet written as the input file: {file_ms:.1f} ms")
        print(
            f"[{backend}] settle {YEAR} from stored data (compute): {total:.1f} ms "
            f"(goal ≤ {GOAL_MS:.0f} ms; {total / base_sql:.1f}x raw SQL, "
            f"{total / base_settle:.1f}x bare settle)"
        )
    finally:
        bench.dispose()


def main() -> int:
    backends = sys.argv[1:] or ["sqlite", "postgresql"]
    for backend in backends:
        if backend == "postgresql" and not os.environ.get("MIBDESK_TEST_PG_URL"):
            print("[postgresql] skipped: MIBDESK_TEST_PG_URL is not set")
            continue
        run(backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
