"""The year-end settlement as a workbook a city office files and an auditor re-checks.

`write_settlement_workbook(path, result, city_name)`: one sheet per settled scheme — every
county's row (who pays what, balances before and after), a 合计 row, and the pooled fund's
account below — and one sheet 计算过程 with every step of the working (scheme, county,
step, amount, rule, source). Chinese headers (a filed document, like the report forms);
the working's sentences are in the interface language. Values only, exact two-place
decimals, text always as text; A4 landscape with the header repeated; written atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from mibdesk.core.catalog.schemes import scheme_name
from mibdesk.core.excel.writing import (
    MONEY_FORMAT,
    cell_style,
    finish_sheet,
    put_number,
    put_step,
    put_text,
    put_totals,
    save_atomically,
    sheet_heading,
    sheet_title,
)
from mibdesk.core.rules.settlement.result import CountySettlement, SettlementResult
from mibdesk.core.rules.working import Step

HEADER_ROW = 3
COUNTY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("当期收入", "income"),
    ("当期支出", "expenditure"),
    ("当期结余（负数为缺口）", "result"),
    ("结余上缴统筹基金", "surplus_to_pool"),
    ("结余留用", "surplus_kept"),
    ("自身原因缺口（县区财政）", "county_caused"),
    ("动用累计结余", "from_balance"),
    ("动用风险准备金", "from_reserve"),
    ("统筹基金承担", "pooled_fund"),
    ("县区财政分担", "county_finance"),
    ("市财政分担", "city_finance"),
    ("县区上缴市财政", "remit_to_city"),
    ("清算前累计结余", "balance_before"),
    ("清算后累计结余", "balance_after"),
)
"""Column header → `CountySettlement` attribute, after code, name and grade."""


def write_settlement_workbook(
    path: str | os.PathLike[str], result: SettlementResult, city_name: str
) -> None:
    """Write `result` (see the module docstring); UserError naming the file if it fails."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for scheme in result.schemes:
        sheet = workbook.create_sheet(sheet_title(f"{scheme.scheme} 清算", taken))
        title = f"{city_name}{result.year}年度{scheme_name(scheme.scheme)}清算结果"
        headers = ["县区代码", "县区", "考核等次", *(header for header, _attr in COUNTY_COLUMNS)]
        _heading(sheet, title, result, headers)
        row = HEADER_ROW
        for county in scheme.counties:
            row += 1
            _county_row(sheet, row, county)
        row += 1
        _total_row(sheet, row, scheme.counties)
        row += 2
        for label, amount in (
            ("统筹基金清算前余额", scheme.pooled_before),
            ("当年结余上缴", scheme.surplus_in),
            ("各地应由统筹基金承担", scheme.pooled_demand),
            ("统筹基金实际承担", scheme.pooled_drawn),
            ("统筹基金清算后余额", scheme.pooled_after),
        ):
            put_text(sheet.cell(row, 2), label)
            put_number(sheet.cell(row, 4), amount, "fen")
            row += 1
        finish_sheet(sheet, [10, 14, 9, *([16] * len(COUNTY_COLUMNS))], HEADER_ROW, 3)
    _working_sheet(workbook, result, sheet_title("计算过程", taken))
    save_atomically(workbook, path)


def _heading(sheet: Any, title: str, result: SettlementResult, headers: list[str]) -> None:
    subtitle = f"政策方案：{result.profile_id} 第{result.profile_version}版　金额单位：元"
    sheet_heading(sheet, title, subtitle, headers, HEADER_ROW)
    sheet.row_dimensions[HEADER_ROW].height = 42


def _county_row(sheet: Any, row: int, county: CountySettlement) -> None:
    money = cell_style(sheet.parent, "mibdesk 清算金额", number_format=MONEY_FORMAT)
    text = cell_style(sheet.parent, "mibdesk 清算文字")
    for column, value in enumerate((county.county, county.name, county.grade or ""), start=1):
        sheet.cell(row, column).style = text
        put_text(sheet.cell(row, column), value)
    for offset, (_header, attribute) in enumerate(COUNTY_COLUMNS):
        cell = sheet.cell(row, 4 + offset)
        cell.style = money
        put_number(cell, getattr(county, attribute), "fen")


def _total_row(sheet: Any, row: int, counties: Sequence[CountySettlement]) -> None:
    sums = [sum(getattr(c, attribute) for c in counties) for _h, attribute in COUNTY_COLUMNS]
    put_totals(sheet, row, sums, 4, "mibdesk 清算合计")


def _working_sheet(workbook: Any, result: SettlementResult, title: str) -> None:
    sheet = workbook.create_sheet(title)
    headers = ["险种", "县区代码", "县区", "步骤", "金额", "规则", "依据"]
    _heading(sheet, f"{result.year}年度清算计算过程", result, headers)
    row = HEADER_ROW
    for scheme in result.schemes:
        rows: list[tuple[str, str, Step]] = [("", "", step) for step in scheme.working]
        for county in scheme.counties:
            rows += [(county.county, county.name, step) for step in county.working]
        for code, name, step in rows:
            row += 1
            put_step(sheet, row, (scheme.scheme, code, name), step)
    finish_sheet(sheet, [8, 10, 14, 30, 18, 70, 40], HEADER_ROW, 3)
