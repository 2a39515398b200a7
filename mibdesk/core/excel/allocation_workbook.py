"""County amounts of a quota allocation (or adjustment) from a workbook, read with calamine.

The first sheet that has a header row (in its first `HEADER_SEARCH_ROWS` rows) naming the
columns below is read; other columns (a county's name, notes) are ignored:

========  =================================================================
县区代码   the county's 6-digit division code (one of the city's counties)
金额       yuan with at most two decimals (`cells.read_number`); negative only
           in an adjustment
========  =================================================================

Strict: every non-blank row must have a known county and an amount; a county listed twice,
a code that is not one of the city's counties, a formula's error value, a date, a text that
is not an amount — each is reported with its cell (分配表!C7), at most `MAX_ERRORS` of them,
and nothing is returned unless the whole sheet is good.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from mibdesk.core.errors import ValidationError
from mibdesk.core.excel.cells import CellError, cell_ref, read_number
from mibdesk.core.excel.safety import check_workbook_file, damaged
from mibdesk.core.i18n import _

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 2_000
MAX_ERRORS = 20
HEADERS: dict[str, tuple[str, ...]] = {
    "county": ("县区代码", "单位代码", "行政区划代码", "县（市、区）代码"),
    "amount": ("金额", "金额（元）", "金额(元)", "分配金额", "定额", "调整金额"),
}


@dataclass(frozen=True)
class AmountRow:
    county: str
    amount: int  # fen
    where: str  # the amount's cell, e.g. 分配表!C5


def read_amounts(
    path: str | os.PathLike[str], counties: Collection[str], *, negative_ok: bool
) -> list[AmountRow]:
    """Every county's amount from the workbook at `path`; ValidationError lists the bad cells."""
    file = check_workbook_file(path)
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_path(file) as workbook:
            name, table, header, columns = _find_table(workbook, file.name)
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise damaged(file, error) from error
    if len(table) - header - 1 > MAX_ROWS:
        raise ValidationError(
            _("The sheet has more than {limit} rows; a city has far fewer counties.").format(
                limit=MAX_ROWS
            ),
            where=f"{file.name}：{name}",
        )
    rows, errors = _rows(name, table, header, columns, set(counties), negative_ok)
    if errors:
        shown = "\n".join(str(error) for error in errors[:MAX_ERRORS])
        more = len(errors) - MAX_ERRORS
        if more > 0:
            shown += "\n" + _("… and {n} more problems.").format(n=more)
        raise ValidationError(
            _(
                "The workbook was not imported; correct these cells and try again:\n{problems}"
            ).format(problems=shown),
            where=file.name,
        )
    if not rows:
        raise ValidationError(_("The sheet lists no county amounts."), where=file.name)
    return rows


def _find_table(workbook: Any, where: str) -> tuple[str, list[list[Any]], int, dict[str, int]]:
    from python_calamine import SheetVisibleEnum

    for meta in workbook.sheets_metadata:
        if meta.visible == SheetVisibleEnum.VeryHidden:
            continue
        table = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
            columns = _header_columns(row)
            if columns is not None:
                return meta.name, table, index, columns
    raise ValidationError(
        _(
            "No header row found: one of the first {rows} rows must name the columns {columns}. "
            "Add the header row and try again."
        ).format(rows=HEADER_SEARCH_ROWS, columns="县区代码、金额"),
        where=where,
    )


def _header_columns(row: list[Any]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        text = str(cell).strip() if isinstance(cell, str) else ""
        for field, names in HEADERS.items():
            if text in names and field not in found:
                found[field] = index
    return found if len(found) == len(HEADERS) else None


def _rows(
    sheet: str,
    table: list[list[Any]],
    header: int,
    columns: dict[str, int],
    counties: set[str],
    negative_ok: bool,
) -> tuple[list[AmountRow], list[CellError]]:
    rows: list[AmountRow] = []
    errors: list[CellError] = []
    seen: dict[str, str] = {}
    for number, raw in enumerate(table[header + 1 :], start=header + 2):
        code_cell = raw[columns["county"]] if columns["county"] < len(raw) else None
        value = raw[columns["amount"]] if columns["amount"] < len(raw) else None
        code_ref = cell_ref(number, columns["county"] + 1)
        amount_ref = cell_ref(number, columns["amount"] + 1)
        code = _code_text(code_cell)
        if not code and _blank(value):
            continue  # an empty row (or a note under the table)
        if code not in counties:
            message = (
                _("{code} is not one of the city's registered counties.").format(code=code)
                if code
                else _("The county code is empty.")
            )
            errors.append(CellError(sheet, code_ref, message))
            continue
        if code in seen:
            errors.append(
                CellError(
                    sheet,
                    code_ref,
                    _("{code} is listed twice (first at {ref}).").format(code=code, ref=seen[code]),
                )
            )
            continue
        seen[code] = code_ref
        try:
            amount = read_number(value, "fen", negative_ok=negative_ok)
        except ValidationError as error:
            errors.append(CellError(sheet, amount_ref, error.message))
            continue
        if amount is None:
            errors.append(CellError(sheet, amount_ref, _("The amount is empty.")))
            continue
        rows.append(AmountRow(code, amount, f"{sheet}!{amount_ref}"))
    return rows, errors


def _code_text(cell: object) -> str:
    """A division code as text: a number cell 330602.0 reads as "330602"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
