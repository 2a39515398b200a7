"""Years of past figures from one flat sheet (历史数据导入), read with python-calamine.

The sheet has a header row with these columns, in any order, found by name in the first
`HEADER_SEARCH_ROWS` rows of the first sheet that has them (other columns are ignored):

========  =========================================================================
单位代码   the office's 6-digit code, or one of its townships' 9-digit codes
险种       a scheme code (EMP, RES …) or its Chinese name (the profile's or the standard one)
项目代码   a report line code (INC_EMPLOYER …) or the line's Chinese name in that scheme
期间       2024-01, 2024/1, 202401, 2024年1月, or a real Excel date (its month is taken)
数值       persons (whole, ≥ 0) or yuan (two decimals; negative only on income,
           expenditure and balance lines) — the rules of `cells.read_number`
========  =========================================================================

Accepted header aliases are in `HEADERS`. Entirely blank rows are skipped.

`read_history(path, profile, office_code, township_codes)` returns every good row and one
`CellError` per problem (a row with a problem yields no row): unknown unit, scheme or line;
a scheme this city does not pool; a computed line (subtotals and totals are derived, never
imported); a township reporting a line townships do not report; a bad period or value; a
duplicate (unit, scheme, line, month), named with the row it repeats. At most
`history_rows.MAX_ERRORS` problems are listed; a sheet over `MAX_ROWS` rows is refused.
Nothing is written anywhere: the caller diffs and stores.

What calamine cannot tell: it reads the value Excel computed and saved for a formula (a
history sheet may well hold =SUM…; the saved result is what the person saw), and it reads an
error value (#REF! …) or a formula never calculated as an empty cell: such a value is
reported as empty, with a hint that an error or an uncalculated formula looks the same.

Speed: one calamine read of the sheet, then one loop (`history_rows`) with per-value caches
(units, schemes, lines and periods repeat), an exact float fast path, and the cyclic garbage
collector paused while rows are built; 50,000 rows take about 1.25× calamine's own read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.excel.history_rows import (
    FIELDS,
    NAME_FOLD,
    HistoryReading,
    HistoryRow,
    RowReader,
)
from mibdesk.core.excel.safety import check_workbook_file, damaged
from mibdesk.core.i18n import _

__all__ = ["HEADERS", "HistoryReading", "HistoryRow", "read_history"]

HEADER_SEARCH_ROWS = 20
MAX_ROWS = 300_000
HEADERS: dict[str, tuple[str, ...]] = {
    "unit": ("单位代码", "单位编码", "行政区划代码"),
    "scheme": ("险种", "险种代码", "险种名称"),
    "line": ("项目代码", "项目", "项目名称", "报表项目"),
    "period": ("期间", "月份", "所属期", "所属期间", "年月"),
    "value": ("数值", "金额", "数额", "本月数"),
}


def read_history(
    path: str | os.PathLike[str], profile: Profile, office_code: str, township_codes: set[str]
) -> HistoryReading:
    """Read the history sheet at `path` (see the module docstring); ValidationError refuses it."""
    file = check_workbook_file(path)
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_path(file) as workbook:
            name, table, header_index, columns = _find_table(workbook, file.name)
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise damaged(file, error) from error
    if len(table) - header_index - 1 > MAX_ROWS:
        raise ValidationError(
            _(
                "The sheet has more than {limit} rows. Split it into several workbooks (for "
                "example one per year) and import them one by one."
            ).format(limit=MAX_ROWS),
            where=f"{file.name}：{name}",
        )
    reader = RowReader(profile, office_code, township_codes)
    return reader.read(name, table, header_index, columns)


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
    wanted = "、".join(names[0] for names in HEADERS.values())
    raise ValidationError(
        _(
            "No header row found: one of the first {rows} rows of a sheet must name the columns "
            "{columns}. Add the header row and try again."
        ).format(rows=HEADER_SEARCH_ROWS, columns=wanted),
        where=where,
    )


def _header_columns(row: Iterable[Any]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for column, value in enumerate(row):
        if not isinstance(value, str):
            continue
        text = value.translate(NAME_FOLD)
        for field, names in HEADERS.items():
            if text in names and field not in found:
                found[field] = column
    return found if len(found) == len(FIELDS) else None
