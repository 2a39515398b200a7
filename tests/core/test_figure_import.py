"""Importing a flat history sheet: a preview of every difference and error, then all or nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from mibdesk.core.catalog import load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.monthly import Cell, ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import audit_log, figures
from mibdesk.core.services.figure_import import apply_import, preview_history
from mibdesk.core.services.store import Store

PROFILE = load_profile("shaoxing")
HEADER = ["单位代码", "险种", "项目代码", "期间", "数值"]


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_preview_lists_every_difference_then_apply_writes_them_as_history(
    office: Store, head: Actor, tmp_path: Path
) -> None:
    path = _sheet(
        tmp_path / "history.xlsx",
        [
            ["330699", "EMP", "EXP_INPATIENT", "2025-01", "1,234,567.89"],
            ["330699", "EMP", "EXP_INPATIENT", "2025-02", 1100000.5],
            ["330699", "职工基本医疗保险（含生育保险）", "退休人员", "2025-01", 39000],
        ],
    )
    preview = preview_history(office, PROFILE, path)
    assert preview.ok and preview.unchanged == 0
    assert [(d.month, d.cell, d.old, d.new) for d in preview.diffs] == [
        (Month(2025, 1), Cell("ENR_RETIRED"), None, 39_000),
        (Month(2025, 1), Cell("EXP_INPATIENT"), None, 123_456_789),
        (Month(2025, 2), Cell("EXP_INPATIENT"), None, 110_000_050),
    ]
    assert figures.month_form(office, PROFILE, "EMP", Month(2025, 1)).cells == {}  # nothing yet
    assert apply_import(office, head, PROFILE, preview).value == 3
    january = figures.month_form(office, PROFILE, "EMP", Month(2025, 1))
    assert january.status == ReportStatus.APPROVED
    assert january.row("EXP_INPATIENT").value == 123_456_789
    entry = audit_log.entries(office, AuditFilter(action="figures.import"))[0]
    assert entry.entity_key == "history.xlsx"
    # the same file again changes nothing
    again = preview_history(office, PROFILE, path)
    assert again.diffs == () and again.unchanged == 3


def test_a_file_with_errors_writes_nothing(office: Store, head: Actor, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "bad.xlsx",
        [
            ["330699", "EMP", "EXP_INPATIENT", "2025-01", "1000"],
            ["330699", "EMP", "EXP_TOTAL", "2025-01", "1000"],  # a computed line
            ["330699", "EMP", "ENR_RETIRED", "2025-01", "-3"],  # a negative head count
        ],
    )
    preview = preview_history(office, PROFILE, path)
    assert not preview.ok and len(preview.errors) == 2
    assert all(error.ref for error in preview.errors)  # each names its cell
    with pytest.raises(ValidationError):
        apply_import(office, head, PROFILE, preview)
    assert figures.month_form(office, PROFILE, "EMP", Month(2025, 1)).cells == {}


def test_a_submitted_month_is_never_overwritten(office: Store, head: Actor, tmp_path: Path) -> None:
    first = _sheet(tmp_path / "first.xlsx", [["330699", "EMP", "EXP_OTHER", "2025-03", "10"]])
    apply_import(office, head, PROFILE, preview_history(office, PROFILE, first))
    changed = _sheet(tmp_path / "second.xlsx", [["330699", "EMP", "EXP_OTHER", "2025-03", "20"]])
    preview = preview_history(office, PROFILE, changed)
    assert not preview.ok and "2025年3月" in preview.errors[0].message
    cell = figures.month_form(office, PROFILE, "EMP", Month(2025, 3)).cells[Cell("EXP_OTHER")]
    assert cell == 1000


def test_figures_changed_since_the_preview_are_not_overwritten(
    office: Store, head: Actor, tmp_path: Path
) -> None:
    path = _sheet(tmp_path / "h.xlsx", [["330699", "EMP", "EXP_OTHER", "2026-10", "10"]])
    preview = preview_history(office, PROFILE, path)
    figures.save_cells(office, head, PROFILE, "EMP", Month(2026, 10), {Cell("EXP_OTHER"): 5})
    with pytest.raises(ValidationError):
        apply_import(office, head, PROFILE, preview)
    cells = figures.month_form(office, PROFILE, "EMP", Month(2026, 10)).cells
    assert cells == {Cell("EXP_OTHER"): 5}
