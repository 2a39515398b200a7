"""Drafting a fund-use plan: the suggestion for every line, and drafting the plan itself.

An office with 10 years of history (the demo generator, Shaoxing EMP and RES). `suggestion`
is timed for next month (2026-12); `draft_plan` on months that have no plan yet: the demo
plans up to next month, so the year 2027 gets a quota and each run drafts a fresh month of
it (2027-01 … 2027-12, both schemes). Baseline, in the same run: raw sqlite3 fetching the
history rows a suggestion reads (25 months of the scheme's county figures). Goal (issue #4):
drafting a plan (suggestion for every line) < 100 ms.

    .venv/bin/python bench/plan_draft.py
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from datetime import date

from timing import median_ms, ten_year_office

from mibdesk.core.periods import Month
from mibdesk.core.services import plans, quotas
from mibdesk.core.services.plans import SUGGESTION_HISTORY_MONTHS

NEXT_MONTH = Month(2026, 12)
GOAL_MS = 100.0


def main() -> int:
    folder, store, profile, head = ten_year_office()
    raw = sqlite3.connect(folder / "mibdesk.sqlite")
    first = NEXT_MONTH.plus(-SUGGESTION_HISTORY_MONTHS)

    def baseline() -> object:
        return raw.execute(
            "SELECT r.period, v.line, v.unit, v.value FROM report_value v JOIN monthly_report r "
            "ON r.id = v.report_id WHERE r.scheme = 'EMP' AND r.period BETWEEN ? AND ?",
            (first.to_int(), NEXT_MONTH.prev().to_int()),
        ).fetchall()

    months = sum(1 for _ in raw.execute("SELECT DISTINCT period FROM monthly_report"))
    base = median_ms(baseline)
    suggest_ms = median_ms(lambda: plans.suggestion(store, profile, "EMP", NEXT_MONTH))

    for scheme in profile.schemes:  # next year's quota, so that its months can be drafted
        this_year = quotas.documents(store, scheme.code, NEXT_MONTH.year)
        amount = max((d.amount for d in this_year), default=10**12 // 1000)
        quotas.record_quota(
            store, head, profile, scheme.code, 2027, amount, "bench〔2027〕1号", date(2026, 11, 20)
        )
    fresh: Iterator[tuple[str, Month]] = (
        (scheme.code, Month(2027, month)) for month in range(1, 13) for scheme in profile.schemes
    )

    def draft() -> object:
        scheme, month = next(fresh)
        return plans.draft_plan(store, head, profile, scheme, month)

    draft_ms = median_ms(draft, runs=2 * 12)
    print(f"office: {months} months of history, {len(profile.schemes)} schemes")
    print(f"raw sqlite3, the history rows of one suggestion: {base:.1f} ms")
    print(
        f"suggestion for every line: {suggest_ms:.1f} ms "
        f"(goal < {GOAL_MS:.0f} ms; {suggest_ms / base:.1f}x raw)"
    )
    print(
        f"draft a plan (suggestion + store + audit): {draft_ms:.1f} ms "
        f"(goal < {GOAL_MS:.0f} ms; {draft_ms / base:.1f}x raw)"
    )
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
