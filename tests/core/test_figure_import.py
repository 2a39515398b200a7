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


def test_template_round_trip_for_a_township(office: Store, head: Actor, tmp_path: Path) -> None:
    """Export the month's template for one township, fill it, import it back."""
    from mibdesk.core.excel.template import read_template
    from mibdesk.core.services import townships
    from mibdesk.core.services.figure_exports import export_template
    from mibdesk.core.services.figure_import import preview_template

    townships.save_township(office, head, "330699001", "青溪街道")
    month = Month(2026, 10)
    path = export_template(office, PROFILE, "RES", month, tmp_path / "t.xlsx", ("330699001",))
    assert read_template(path).identity.units == ("330699001",)
    book = openpyxl.load_workbook(path)
    sheet = book["月报"]
    filled = 0
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        if row[1].value == "成年居民（不含资助参保人员）":
            row[3].value = 43_539
            filled += 1
    assert filled == 1
    book.save(path)
    preview = preview_template(office, PROFILE, path)
    assert preview.ok
    assert [(d.cell, d.new) for d in preview.diffs] == [(Cell("ENR_ADULT", "330699001"), 43_539)]
    apply_import(office, head, PROFILE, preview)
    form = figures.month_form(office, PROFILE, "RES", month)
    assert form.row("ENR_ADULT").townships == 43_539


def test_a_template_for_another_office_is_refused(
    office: Store, head: Actor, tmp_path: Path
) -> None:
    from mibdesk.core.excel.template import TEMPLATE_VERSION, TemplateIdentity, write_template
    from mibdesk.core.services.figure_import import preview_template

    identity = TemplateIdentity("330602", "越城区", Month(2026, 10), "EMP", TEMPLATE_VERSION, ("",))
    path = tmp_path / "other.xlsx"
    write_template(path, identity, PROFILE.scheme("EMP"), {}, {})
    with pytest.raises(ValidationError, match="330602"):
        preview_template(office, PROFILE, path)
