"""The import preview dialog: errors and differences first, nothing written until confirmed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot

from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.services import figures
from mibdesk.ui.context import UiContext
from mibdesk.ui.imports.preview_dialog import ImportPreviewDialog


def _history(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["单位代码", "险种", "项目代码", "期间", "数值"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_confirming_a_clean_preview_imports(
    qtbot: QtBot, ui_context: UiContext, tmp_path: Path
) -> None:
    path = _history(tmp_path / "h.xlsx", [["330699", "EMP", "EXP_OTHER", "2025-01", "12.30"]])
    dialog = ImportPreviewDialog(ui_context, "history", path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=5000)
    assert dialog.import_button.isEnabled() and dialog.errors.count() == 0
    assert dialog.table.row_count() == 1 and dialog.table.rows[0].new == "12.30"
    assert (
        figures.month_form(ui_context.store, ui_context.profile, "EMP", Month(2025, 1)).cells == {}
    )
    dialog.import_button.click()
    assert dialog.written == 1
    cells = figures.month_form(ui_context.store, ui_context.profile, "EMP", Month(2025, 1)).cells
    assert cells == {Cell("EXP_OTHER"): 1230}


def test_an_error_keeps_the_import_button_off(
    qtbot: QtBot, ui_context: UiContext, tmp_path: Path
) -> None:
    path = _history(
        tmp_path / "bad.xlsx",
        [
            ["330699", "EMP", "EXP_OTHER", "2025-01", "12.30"],
            ["330699", "EMP", "EXP_OTHER", "2025-01", "=A1"],
        ],
    )
    dialog = ImportPreviewDialog(ui_context, "history", path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=5000)
    assert dialog.errors.count() >= 1 and not dialog.import_button.isEnabled()


def test_a_file_that_is_not_a_workbook_says_so(
    qtbot: QtBot, ui_context: UiContext, tmp_path: Path
) -> None:
    path = tmp_path / "figures.csv"
    path.write_text("单位代码,险种\n330699,EMP\n", encoding="utf-8")
    dialog = ImportPreviewDialog(ui_context, "history", path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.summary.styleSheet()), timeout=5000)
    assert dialog.preview is None and not dialog.import_button.isEnabled()
