"""The demo office and the workbench built on it."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from helpers import CHINA

from mibdesk.core.catalog import load_profile
from mibdesk.core.services import accounts, audit_log, demo
from mibdesk.core.services.store import open_store
from mibdesk.core.services.workbench import State, build_workbench

TODAY = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)


def test_demo_office_has_two_full_years_for_every_pooled_scheme(tmp_path: Path) -> None:
    summary = demo.create_demo_office(tmp_path / "demo", lambda: TODAY)
    assert (summary.first_month, summary.last_month) == ("2024-01", "2026-10")
    connection = sqlite3.connect(tmp_path / "demo" / "mibdesk.sqlite")
    schemes = {s.code for s in load_profile(demo.DEMO_PROFILE).schemes}
    months = dict(
        connection.execute("SELECT scheme, count(*) FROM monthly_report GROUP BY scheme").fetchall()
    )
    assert months == {code: 34 for code in schemes}
    quotas = connection.execute("SELECT DISTINCT year FROM quota ORDER BY year").fetchall()
    assert [y for (y,) in quotas] == [2024, 2025, 2026]
    plans = dict(
        connection.execute("SELECT status, count(*) FROM fund_plan GROUP BY status").fetchall()
    )
    assert plans["draft"] == len(schemes) and plans["disbursed"] == 35 * len(schemes)
    connection.close()


def test_demo_figures_keep_the_balance_identity(tmp_path: Path) -> None:
    """opening balance + income − expenditure = closing balance, month by month."""
    demo.create_demo_office(tmp_path / "demo", lambda: TODAY)
    profile = load_profile(demo.DEMO_PROFILE)
    connection = sqlite3.connect(tmp_path / "demo" / "mibdesk.sqlite")
    for scheme in profile.schemes:
        inputs = {ln.code: ln.section for ln in scheme.lines if not ln.sum_of}
        rows = connection.execute(
            "SELECT r.period, v.line, v.value FROM report_value v JOIN monthly_report r "
            "ON r.id = v.report_id WHERE r.scheme = ? ORDER BY r.period",
            (scheme.code,),
        )
        by_month: dict[int, dict[str, int]] = {}
        for period, line, value in rows:
            month_values = by_month.setdefault(period, {})
            month_values[line] = month_values.get(line, 0) + value  # townships add up
        previous = None
        for values in by_month.values():
            balance = next(values[c] for c, s in inputs.items() if s == "balance")
            flow = sum(v for c, v in values.items() if inputs.get(c) == "income") - sum(
                v for c, v in values.items() if inputs.get(c) == "expenditure"
            )
            if previous is not None:
                assert balance == previous + flow
            assert balance > 0
            previous = balance
    connection.close()


def test_the_demo_opens_logs_in_and_its_audit_chain_is_sound(tmp_path: Path) -> None:
    demo.create_demo_office(tmp_path / "demo", lambda: TODAY)
    store = open_store(tmp_path / "demo")
    try:
        actor = accounts.login(store, demo.DEMO_HEAD, demo.DEMO_PASSWORD).value
        assert actor.display_name == "张丽"
        assert audit_log.verify_chain(store).ok
    finally:
        store.close()


def test_workbench_lists_last_months_report_and_next_months_plan(tmp_path: Path) -> None:
    demo.create_demo_office(tmp_path / "demo", lambda: TODAY)
    store = open_store(tmp_path / "demo")
    try:
        view = build_workbench(store, load_profile(demo.DEMO_PROFILE), TODAY.date())
    finally:
        store.close()
    titles = [item.title for item in view.items]
    assert len(titles) == 4
    report = view.items[0]
    plan = view.items[1]
    # October's report was due on 10 November (Shaoxing profile default): 9 working days late
    assert report.deadline.due == date(2026, 11, 10) and report.state == State.LATE
    assert report.workdays_left == -9
    # December's plan is due on 25 November: Tuesday 24 and Wednesday 25 remain
    assert plan.deadline.due == date(2026, 11, 25) and plan.workdays_left == 2
    assert plan.state == State.DUE_SOON
    assert [s.deadline.code for s in plan.follow_up] == [
        "city_apply",
        "finance_disburse",
        "city_forward",
    ]
    # from 1 November, next year's missing calendar is a warning
    assert any("2027" in w for w in view.warnings)
