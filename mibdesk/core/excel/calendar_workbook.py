"""A year's working-day calendar typed in a workbook (Excel/WPS), laid out as the CSV file
is (`mibdesk.core.calendar_edits`): on the first visible sheet, row 1 来源 and the notice,
row 2 the header 日期 类型 名称, then one day a row. A date may be a date cell or the text
2027-01-01; the parsing and its refusals are the CSV file's, naming the sheet and the row.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from typing import Any

from mibdesk.core.errors import ValidationError
from mibdesk.core.excel.safety import check_workbook_file, damaged
from mibdesk.core.i18n import _

MAX_ROWS = 1_000  # a year has 366 days


def calendar_rows(path: str | os.PathLike[str]) -> tuple[str, list[list[str]]]:
    """(sheet name, its rows as text) of the workbook at `path`; ValidationError when the
    file is not a plain workbook, is damaged, has no visible sheet or too many rows."""
    file = check_workbook_file(path)
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_path(file) as workbook:
            name, table = _first_sheet(workbook, file.name)
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise damaged(file, error) from error
    if len(table) > MAX_ROWS:
        raise ValidationError(
            _("The sheet has more than {limit} rows; a calendar has one row a day.").format(
                limit=MAX_ROWS
            ),
            where=f"{file.name}：{name}",
        )
    return name, [[cell_text(cell) for cell in row] for row in table]


def _first_sheet(workbook: Any, where: str) -> tuple[str, list[list[Any]]]:
    from python_calamine import SheetVisibleEnum

    for meta in workbook.sheets_metadata:
        if meta.visible == SheetVisibleEnum.Visible:
            return meta.name, workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
    raise ValidationError(_("The workbook has no visible sheet."), where=where)


def cell_text(cell: object) -> str:
    """A cell as the CSV file would hold it: a date cell as 2027-01-01 (a date with a time
    of day is not a day, and stays as it is, to be refused), a whole number without ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
