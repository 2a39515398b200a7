"""The city's overview of a month for 100 counties × 10 years × every scheme (issue #7).

A city on Jilin's profile (six pooled schemes) holds 10 years of monthly reports (every input
line, township lines for 10 townships: ~2 million figures) and plans from 100 counties,
seeded with bulk inserts (city_seed.py). Timed: `overview` for the latest month (who sent
what, on time or late, consolidated figures of every scheme) and one drill-down. Baseline,
in the same run and on the same database: the raw SQL read of that month's figures (the rows
any consolidation must read). Goal: overview ≤ 500 ms on SQLite and on PostgreSQL.

    .venv/bin/python bench/city_overview.py [sqlite] [postgresql]

PostgreSQL needs MIBDESK_TEST_PG_URL (tools/dev.sh starts a throwaway server).
"""

from __future__ import annotations

import os
import sys
import time

from city_seed import TODAY, city_office, seed_history
from sqlalchemy import text
from timing import median_ms

from mibdesk.core.periods import Month
from mibdesk.core.services.city.drilldown import line_by_county
from mibdesk.core.services.city.overview import overview

COUNTIES, YEARS = 100, 10
GOAL_MS = 500.0


def run(backend: str) -> None:
    bench = city_office(backend)
    try:
        started = time.perf_counter()
        counts = seed_history(bench, COUNTIES, YEARS)
        seeded = time.perf_counter() - started
        report_month = Month.of(TODAY.date()).prev()
        plan_month = report_month.next()
        with bench.store.engine.connect() as connection:
            if backend == "postgresql":
                connection.execute(text("ANALYZE"))
                connection.commit()

        def baseline() -> object:
            with bench.store.engine.connect() as connection:
                return connection.execute(
                    text(
                        "SELECT r.office, r.scheme, v.line, v.unit, v.value "
                        "FROM county_report_value v JOIN county_report r ON r.id = v.report_id "
                        "WHERE r.period = :period"
                    ),
                    {"period": report_month.to_int()},
                ).fetchall()

        def view() -> object:
            return overview(bench.store, bench.profile, report_month, plan_month, TODAY.date())

        result = view()
        assert len(result.counties) == COUNTIES  # type: ignore[attr-defined]
        base = median_ms(baseline)
        full = median_ms(view)
        drill = median_ms(
            lambda: line_by_county(bench.store, bench.profile, "EMP", report_month, "EXP_TOTAL")
        )
        print(
            f"[{backend}] seeded {counts['reports']:,} reports, {counts['values']:,} figures, "
            f"{counts['plans']:,} plans in {seeded:.0f} s"
        )
        print(f"[{backend}] raw SQL, the month's figures: {base:.1f} ms")
        print(
            f"[{backend}] overview of {report_month.label}: {full:.1f} ms "
            f"(goal ≤ {GOAL_MS:.0f} ms; {full / base:.1f}x raw)"
        )
        print(f"[{backend}] drill-down of one line to 100 counties: {drill:.1f} ms")
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
