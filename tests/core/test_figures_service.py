"""Monthly figures through the services: the form, saving, the submit workflow, amendments.

Built on the demo office (Shaoxing profile, EMP and RES, 2024-01 to 2026-10, 12 townships):
its figures keep the balance identity, so the month after the last one can be entered clean.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import CHINA

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.errors import AuthError, ValidationError
from mibdesk.core.monthly import Cell, ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts, audit_log, demo, figures, report_flow
from mibdesk.core.services.store import Store
from mibdesk.core.services.township_figures import township_breakdown

TODAY = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)
OCT, SEP, NOV = Month(2026, 10), Month(2026, 9), Month(2026, 11)


@pytest.fixture
def profile() -> Profile:
    return load_profile("shaoxing")


def _login(store: Store, username: str) -> Actor:
    return accounts.login(store, username, demo.DEMO_PASSWORD).value


def _clean_copy(store: Store, profile: Profile, source: Month) -> dict[Cell, int]:
    """November as a copy of October's cells, with the closing balance continued."""
    form = figures.month_form(store, profile, "EMP", source)
    cells = dict(form.cells)
    flow = form.row("INC_TOTAL").value - form.row("EXP_TOTAL").value  # type: ignore[operator]
    cells[Cell("BAL_END")] = form.row("BAL_END").value + flow  # type: ignore[operator]
    return cells


def test_the_form_computes_totals_ytd_and_last_year(demo_store: Store, profile: Profile) -> None:
    form = figures.month_form(demo_store, profile, "EMP", OCT)
    total = form.row("EXP_TOTAL")
    inpatient = form.row("EXP_INPATIENT")
    assert total.computed and not inpatient.computed
    assert total.value == sum(
        form.row(code).value or 0
        for code in ("EXP_BENEFITS", "EXP_TRANSFER_OUT", "EXP_REMIT_UP", "EXP_OTHER")
    )
    year = [figures.month_form(demo_store, profile, "EMP", Month(2026, m)) for m in range(1, 11)]
    assert inpatient.ytd == sum(f.row("EXP_INPATIENT").value or 0 for f in year)
    last = figures.month_form(demo_store, profile, "EMP", Month(2025, 10)).row("EXP_INPATIENT")
    assert inpatient.last_year == last.value
    assert inpatient.change == inpatient.value - last.value  # type: ignore[operator]
    # a stock has no year to date
    assert form.row("ENR_RETIRED").ytd is None


def test_townships_add_up_to_the_county_figure(demo_store: Store, profile: Profile) -> None:
    form = figures.month_form(demo_store, profile, "RES", OCT)
    adult = form.row("ENR_ADULT")
    assert adult.township and adult.own is not None and adult.townships is not None
    assert adult.value == adult.own + adult.townships
    breakdown = township_breakdown(demo_store, profile, "RES", OCT)
    assert len(breakdown.townships) == 12 and breakdown.missing == ()
    assert breakdown.total("ENR_ADULT") == adult.value


def test_blank_is_not_zero_and_every_change_is_kept(demo_store: Store, profile: Profile) -> None:
    preparer = _login(demo_store, "wangfang")
    form = figures.save_cells(
        demo_store, preparer, profile, "EMP", NOV, {Cell("EXP_OTHER"): 0}
    ).value
    assert form.row("EXP_OTHER").value == 0 and form.row("EXP_INPATIENT").value is None
    assert any(p.rule == "blank_line" for p in form.problems)
    figures.save_cells(demo_store, preparer, profile, "EMP", NOV, {Cell("EXP_OTHER"): 12_345})
    form = figures.save_cells(
        demo_store, preparer, profile, "EMP", NOV, {Cell("EXP_OTHER"): None}
    ).value
    assert form.row("EXP_OTHER").value is None
    history = report_flow.cell_history(demo_store, "EMP", NOV, Cell("EXP_OTHER"))
    assert [(h.old, h.new) for h in history] == [(None, 0), (0, 12_345), (12_345, None)]
    saves = audit_log.entries(demo_store, AuditFilter(action="figures.save"))
    assert len(saves) == 3 and saves[0].actor == "wangfang"


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (Cell("EXP_TOTAL"), 1),  # a computed line
        (Cell("EXP_INPATIENT", "330699001"), 1),  # not a township line
        (Cell("ENR_ADULT", "330699999"), 1),  # not a township of the county
        (Cell("ENR_RETIRED"), -1),  # a negative head count
        (Cell("EXP_OTHER"), 10**14),  # 10¹² yuan
    ],
)
def test_impossible_cells_are_refused_and_nothing_is_written(
    demo_store: Store, profile: Profile, cell: Cell, value: int
) -> None:
    preparer = _login(demo_store, "wangfang")
    scheme = "RES" if cell.line == "ENR_ADULT" else "EMP"
    with pytest.raises(ValidationError):
        figures.save_cells(demo_store, preparer, profile, scheme, NOV, {cell: value})
    assert figures.month_form(demo_store, profile, scheme, NOV).cells == {}


def test_prepare_review_approve_then_locked(demo_store: Store, profile: Profile) -> None:
    preparer, reviewer, head = (_login(demo_store, n) for n in ("wangfang", "liuqiang", "zhangli"))
    cells = _clean_copy(demo_store, profile, OCT)
    form = figures.save_cells(demo_store, preparer, profile, "EMP", NOV, cells).value
    assert [p for p in form.problems if p.severity == "hard"] == []
    notes = {p.key: "与上年同期口径一致，已核实" for p in form.problems}
    form = report_flow.prepare(demo_store, preparer, profile, "EMP", NOV, notes).value
    assert form.status == ReportStatus.PREPARED and not form.editable
    with pytest.raises(AuthError):  # a preparer cannot review at all
        report_flow.review(demo_store, preparer, profile, "EMP", NOV)
    report_flow.review(demo_store, reviewer, profile, "EMP", NOV)
    form = report_flow.approve(demo_store, head, profile, "EMP", NOV).value
    assert form.status == ReportStatus.APPROVED
    with pytest.raises(ValidationError):
        figures.save_cells(demo_store, preparer, profile, "EMP", NOV, {Cell("EXP_OTHER"): 1})


def test_the_head_cannot_approve_what_the_head_prepared(
    demo_store: Store, profile: Profile
) -> None:
    head, reviewer = _login(demo_store, "zhangli"), _login(demo_store, "liuqiang")
    cells = _clean_copy(demo_store, profile, OCT)
    form = figures.save_cells(demo_store, head, profile, "EMP", NOV, cells).value
    notes = {p.key: "已核实" for p in form.problems}
    report_flow.prepare(demo_store, head, profile, "EMP", NOV, notes)
    report_flow.review(demo_store, reviewer, profile, "EMP", NOV)
    with pytest.raises(AuthError):
        report_flow.approve(demo_store, head, profile, "EMP", NOV)


def test_hard_problems_block_and_soft_ones_need_an_explanation(
    demo_store: Store, profile: Profile
) -> None:
    preparer = _login(demo_store, "wangfang")
    cells = _clean_copy(demo_store, profile, OCT)
    cells[Cell("BAL_END")] += 100  # the balance identity no longer holds
    figures.save_cells(demo_store, preparer, profile, "EMP", NOV, cells)
    with pytest.raises(ValidationError):
        report_flow.prepare(demo_store, preparer, profile, "EMP", NOV)
    cells[Cell("BAL_END")] -= 100
    cells[Cell("EXP_INPATIENT")] *= 3  # far above its own history: a warning
    cells[Cell("BAL_END")] -= cells[Cell("EXP_INPATIENT")] * 2 // 3
    form = figures.save_cells(demo_store, preparer, profile, "EMP", NOV, cells).value
    soft = [p for p in form.problems if p.severity == "soft"]
    assert any(p.rule == "outlier" and p.line == "EXP_INPATIENT" for p in soft)
    assert not [p for p in form.problems if p.severity == "hard"]
    with pytest.raises(ValidationError):
        report_flow.prepare(demo_store, preparer, profile, "EMP", NOV)
    notes = {p.key: "本月结算上年度大额异地就医费用" for p in soft}
    assert report_flow.prepare(demo_store, preparer, profile, "EMP", NOV, notes).value.status == (
        ReportStatus.PREPARED
    )


def test_send_back_needs_a_reason_and_reopens_the_draft(
    demo_store: Store, profile: Profile
) -> None:
    reviewer = _login(demo_store, "liuqiang")
    with pytest.raises(ValidationError):
        report_flow.send_back(demo_store, reviewer, profile, "EMP", OCT, " ")
    form = report_flow.send_back(
        demo_store, reviewer, profile, "EMP", OCT, "住院支出与结算单不符"
    ).value
    assert form.status == ReportStatus.DRAFT and form.returned_reason == "住院支出与结算单不符"


def test_an_amendment_keeps_the_original_beside_the_change(
    demo_store: Store, profile: Profile
) -> None:
    preparer, reviewer, head = (_login(demo_store, n) for n in ("wangfang", "liuqiang", "zhangli"))
    original = figures.month_form(demo_store, profile, "EMP", SEP)
    with pytest.raises(ValidationError):
        report_flow.open_amendment(demo_store, preparer, profile, "EMP", SEP, "")
    form = report_flow.open_amendment(
        demo_store, preparer, profile, "EMP", SEP, "异地就医清算数据更正"
    ).value
    assert form.editable and form.open_amendment is not None
    old = original.cells[Cell("EXP_OTHER")]
    figures.save_cells(
        demo_store,
        preparer,
        profile,
        "EMP",
        SEP,
        {
            Cell("EXP_OTHER"): old + 50_000,
            Cell("BAL_END"): original.cells[Cell("BAL_END")] - 50_000,
        },
    )
    diff = report_flow.amendment_diff(demo_store, "EMP", SEP, 1)
    assert diff[Cell("EXP_OTHER")] == (old, old + 50_000)
    history = report_flow.cell_history(demo_store, "EMP", SEP, Cell("EXP_OTHER"))
    assert [h.amendment for h in history] == [1]
    report_flow.prepare(
        demo_store,
        preparer,
        profile,
        "EMP",
        SEP,
        {p.key: "更正" for p in figures.month_form(demo_store, profile, "EMP", SEP).problems},
    )
    report_flow.review(demo_store, reviewer, profile, "EMP", SEP)
    form = report_flow.approve(demo_store, head, profile, "EMP", SEP).value
    assert form.status == ReportStatus.APPROVED and form.open_amendment is None
    assert form.amendments[0].reason == "异地就医清算数据更正"
