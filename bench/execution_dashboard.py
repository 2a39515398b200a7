"""Quota execution dashboard: the year's data for every scheme, and the screen shown with its
charts.

An office with 10 years of history (the demo generator: Shaoxing EMP and RES, quotas every
year, plans every month). Baseline, in the same run: raw sqlite3 fetching the rows the
dashboard reads (two years of the schemes' county totals, every year's quotas and
adjustments, the year's plans). Goals (issue #4): data < 150 ms; screen shown < 300 ms
(constructing `ExecutionScreen` and processing events, offscreen, the first build included in
a separate line since QtCharts loads then).

    .venv/bin/python bench/execution_dashboard.py
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import sqlite3
import sys

from timing import median_ms, ten_year_office, timed_ms

from mibdesk.core.services import accounts
from mibdesk.core.services.execution import execution
from mibdesk.core.services.setup import office_info

YEAR = 2026


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from mibdesk.ui.app import make_application
    from mibdesk.ui.context import UiContext
    from mibdesk.ui.hub import ChangeHub
    from mibdesk.ui.tasks import TaskRunner

    folder, store, profile, _head = ten_year_office()
    raw = sqlite3.connect(folder / "mibdesk.sqlite")

    def baseline() -> object:
        rows = []
        for scheme in ("EMP", "RES"):
            rows += raw.execute(
                "SELECT r.period, v.line, SUM(v.value) FROM report_value v JOIN monthly_report r "
                "ON r.id = v.report_id WHERE r.scheme = ? AND r.period BETWEEN ? AND ? "
                "GROUP BY r.period, v.line",
                (scheme, (YEAR - 1) * 100 + 1, YEAR * 100 + 12),
            ).fetchall()
            rows += raw.execute("SELECT * FROM quota WHERE scheme = ?", (scheme,)).fetchall()
            rows += raw.execute(
                "SELECT * FROM quota_adjustment WHERE scheme = ?", (scheme,)
            ).fetchall()
            rows += raw.execute(
                "SELECT * FROM fund_plan WHERE scheme = ? AND period BETWEEN ? AND ?",
                (scheme, YEAR * 100 + 1, YEAR * 100 + 12),
            ).fetchall()
        return rows

    months = sum(1 for _ in raw.execute("SELECT DISTINCT period FROM monthly_report"))
    base = median_ms(baseline)
    data_ms = median_ms(lambda: execution(store, profile, YEAR))

    app = make_application([])
    info = office_info(store)
    tasks = TaskRunner()
    ctx = UiContext(
        store, info, profile, accounts.demo_login(store).value, ChangeHub(), tasks, demo=True
    )

    def show_screen() -> object:
        from mibdesk.ui.execution.view import ExecutionScreen

        screen = ExecutionScreen(ctx)
        screen.resize(1198, 720)  # a 1366×768 window less the sidebar and status bar
        screen.show()
        QApplication.processEvents()
        screen.close()
        screen.deleteLater()
        QApplication.processEvents()
        return screen

    first_ms = timed_ms(show_screen)
    screen_ms = median_ms(show_screen, runs=9)
    tasks.shutdown()
    store.close()
    app.processEvents()
    print(f"office: {months} months of history, 2 schemes, quotas and plans every year")
    print(f"raw sqlite3, the same rows: {base:.1f} ms")
    print(
        f"execution({YEAR}) for every scheme: {data_ms:.1f} ms "
        f"(goal < 150 ms; {data_ms / base:.1f}x raw)"
    )
    print(
        f"screen shown with its charts: {screen_ms:.1f} ms (goal < 300 ms; "
        f"{screen_ms / base:.1f}x raw); first time, QtCharts loading: {first_ms:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
