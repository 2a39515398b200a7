"""Workbooks a person reads: one month of a scheme, or a year of every scheme (openpyxl).

`write_month_workbook(path, office_name, office_code, scheme, month, rows)`: one sheet, the
month's report as `ReportRow`s (this month, year to date, same month last year, change).
`write_year_workbook(path, office_name, office_code, year, schemes, figures)`: one sheet per
scheme, report lines × 12 months, and 全年合计 for flows (income, expenditure, contribution
bases; stocks — enrolment and balance — have no yearly sum). Computed lines are recomputed
here from their parts (`monthly.with_computed`), so a year sheet always adds up.

Both: Chinese headers, title, office, period, amount unit 元; money as exact two-place
decimals with ``#,##0.00``, persons ``#,##0``, change as a percentage; computed rows bold and
shaded; frozen panes below the header and right of the line names; column widths; A4
landscape, one page wide, header row repeated on every page. Text is always written as text
(a name starting with = + - @ never becomes a formula). Values only, no formulas: the file
reads the same in any viewer. Written atomically; blank (None) figures stay blank.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mibdesk.core.catalog import SchemeProfile
from mibdesk.core.excel.cells import column_letter
from mibdesk.core.excel.writing import (
    HEADER,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    PERSONS_FORMAT,
    SHADE,
    a4_landscape,
    cell_style,
    fill,
    put_exact,
    put_number,
    put_text,
    save_atomically,
    sheet_title,
    thin_border,
)
from mibdesk.core.monthly import is_flow, with_computed
from mibdesk.core.periods import Month

UNIT_LABELS = {"persons": "人", "fen": "元"}
FIRST_ROW = 4
"""The header row; figures start below it."""


@dataclass(frozen=True)
class ReportRow:
    """One line of a month's report as a person reads it.

    `unit` is "persons" or "fen"; figures are int (fen or persons) or None for blank;
    `change` is a ratio (Decimal("0.052") is +5.2 %) or None; `computed` rows are bold.
    """

    line: str
    name: str
    unit: str
    value: int | None
    ytd: int | None = None
    last_year: int | None = None
    change: Decimal | None = None
    computed: bool = False


def write_month_workbook(
    path: str | os.PathLike[str],
    office_name: str,
    office_code: str,
    scheme: SchemeProfile,
    month: Month,
    rows: Sequence[ReportRow],
) -> None:
    """Write one month of one scheme (see the module docstring)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(f"{scheme.name}月报", set())
    headers = ["行次", "项目", "计量单位", "本月数", "本年累计", "上年同期", "同比增减"]
    _heading(sheet, f"{scheme.name} 月报", f"{month.label}", office_name, office_code, headers)
    for index, row in enumerate(rows, start=1):
        number = FIRST_ROW + index
        figures: list[int | None] = [row.value, row.ytd, row.last_year]
        _label(sheet, number, index, row.name, row.unit, row.computed, len(headers))
        for offset, figure in enumerate(figures):
            if figure is not None:
                put_number(sheet.cell(number, 4 + offset), figure, row.unit)
        if row.change is not None:
            cell = sheet.cell(number, 7)
            put_exact(cell, row.change)
            cell.number_format = PERCENT_FORMAT
    _finish(sheet, len(headers), [6, 40, 9, 18, 18, 18, 12])
    save_atomically(workbook, path)


def write_year_workbook(
    path: str | os.PathLike[str],
    office_name: str,
    office_code: str,
    year: int,
    schemes: Sequence[SchemeProfile],
    figures: Mapping[str, Mapping[Month, Mapping[str, int]]],
) -> None:
    """Write a year: one sheet per scheme of `schemes`, in that order.

    `figures[scheme_code][month][line_code]` is the county's figure for the line (computed
    lines may be left out: they are recomputed). ValueError for a month outside `year`.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    months = [Month(year, number) for number in range(1, 13)]
    for scheme in schemes:
        by_month = figures.get(scheme.code, {})
        for month in by_month:
            if month.year != year:
                raise ValueError(f"{month} is not in {year}")
        complete = {month: with_computed(scheme, by_month.get(month, {})) for month in months}
        sheet = workbook.create_sheet(sheet_title(scheme.name, taken))
        headers = ["行次", "项目", "计量单位", *(f"{m}月" for m in range(1, 13)), "全年合计"]
        _heading(
            sheet, f"{scheme.name} 年度月报汇总", f"{year}年", office_name, office_code, headers
        )
        for index, line in enumerate(scheme.lines, start=1):
            number = FIRST_ROW + index
            _label(sheet, number, index, line.name, line.unit, line.computed, len(headers))
            present = [complete[month].get(line.code) for month in months]
            for offset, figure in enumerate(present):
                if figure is not None:
                    put_number(sheet.cell(number, 4 + offset), figure, line.unit)
            known = [figure for figure in present if figure is not None]
            if is_flow(line) and known:
                put_number(sheet.cell(number, 16), sum(known), line.unit)
        _finish(sheet, len(headers), [6, 36, 9, *([15] * 12), 17])
    if not schemes:
        workbook.create_sheet("空")
    save_atomically(workbook, path)


def _heading(
    sheet: Any, title: str, period: str, office_name: str, office_code: str, headers: list[str]
) -> None:
    from openpyxl.styles import Alignment, Font

    last = column_letter(len(headers))
    put_text(sheet.cell(1, 1), f"{title}（{period}）")
    sheet.cell(1, 1).font = Font(size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 30
    put_text(sheet.cell(2, 1), f"填报单位：{office_name}（{office_code}）")
    sheet.merge_cells(f"A2:{column_letter(len(headers) - 1)}2")
    put_text(sheet.cell(2, len(headers)), "金额单位：元")
    sheet.cell(2, len(headers)).alignment = Alignment(horizontal="right")
    border = thin_border()
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(FIRST_ROW, column)
        put_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = fill(HEADER)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[FIRST_ROW].height = 28


def _label(
    sheet: Any, row: int, index: int, name: str, unit: str, computed: bool, width: int
) -> None:
    """Row number, name and unit of a line, and the style of its whole row."""
    workbook = sheet.parent
    weight = "小计" if computed else ""
    shade = SHADE if computed else ""

    def style(kind: str, **options: Any) -> str:
        return cell_style(
            workbook, f"mibdesk 报表{weight}{kind}", bold=computed, shade=shade, **options
        )

    # the style first: setting a named style replaces the quote prefix put_text may set
    sheet.cell(row, 1, index).style = style("居中", horizontal="center")
    sheet.cell(row, 2).style = style("项目", indent=0 if computed else 1)
    put_text(sheet.cell(row, 2), name)
    sheet.cell(row, 3).style = style("居中", horizontal="center")
    put_text(sheet.cell(row, 3), UNIT_LABELS.get(unit, unit))
    money = unit == "fen"
    figure = style(
        "金额" if money else "人数", number_format=MONEY_FORMAT if money else PERSONS_FORMAT
    )
    for column in range(4, width + 1):
        sheet.cell(row, column).style = figure


def _finish(sheet: Any, width: int, widths: list[int]) -> None:
    for column, size in enumerate(widths[:width], start=1):
        sheet.column_dimensions[column_letter(column)].width = size
    sheet.freeze_panes = sheet.cell(FIRST_ROW + 1, 4)
    a4_landscape(sheet, f"{FIRST_ROW}:{FIRST_ROW}")
