"""Monthly report form: open a month (with year-to-date and last-year columns) and save one.

An office with 10 years of history (the demo generator, Shaoxing EMP and RES, 12 townships).
Baseline, in the same run: raw sqlite3 fetching the same rows the form reads (37 months of
the scheme's cells). Goals (issue #3): open < 100 ms; save and re-validate < 100 ms.

    .venv/bin/python bench/figures_form.py
"""

from __future__ import annotations

import sqlite3
import sys

from timing import median_ms, ten_year_office

from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.services import figures

MONTH = Month(2026, 10)


def main() -> int:
    folder, store, profile, head = ten_year_office()
    raw = sqlite3.connect(folder / "mibdesk.sqlite")

    def baseline() -> object:
        return raw.execute(
            "SELECT r.period, v.line, v.unit, v.value FROM report_value v JOIN monthly_report r "
            "ON r.id = v.report_id WHERE r.scheme = 'RES' AND r.period BETWEEN ? AND ?",
            (MONTH.plus(-37).to_int(), MONTH.to_int()),
        ).fetchall()

    months = sum(1 for _ in raw.execute("SELECT DISTINCT period FROM monthly_report"))
    base = median_ms(baseline)
    open_ms = median_ms(lambda: figures.month_form(store, profile, "RES", MONTH))
    value = figures.month_form(store, profile, "RES", MONTH).cells[Cell("EXP_OTHER")]
    flip = iter(range(10**6))

    def save() -> object:
        edit = {Cell("EXP_OTHER"): value + next(flip) % 2}
        return figures.save_cells(store, head, profile, "RES", MONTH, edit)

    from mibdesk.core.services import report_flow

    report_flow.send_back(store, head, profile, "RES", MONTH, "bench")  # make it editable
    save_ms = median_ms(save)
    print(f"office: {months} months of history, 2 schemes, 12 townships")
    print(f"raw sqlite3, the same rows: {base:.1f} ms")
    print(f"open the month's form: {open_ms:.1f} ms (goal < 100 ms; {open_ms / base:.1f}x raw)")
    print(f"save one cell and re-validate: {save_ms:.1f} ms (goal < 100 ms)")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
