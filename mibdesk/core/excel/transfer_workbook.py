"""A balance transfer (历史结余上划) as a workbook the city files and sends with its notice.

`write_transfer_workbook(path, result, city_name, scheme_name, profile_label)`: sheet 上划
金额 — every county's retained balance, its transfer (now and, for Jining, deferred until
time deposits mature) and what it keeps, a 合计 row; sheet 计算过程 — every step of the
working (county, step, amount, rule, source). Amounts in yuan as exact two-place decimals
from int fen; text always as text; A4 landscape; written atomically (UserError naming the
file when it cannot be written).
"""

from __future__ import annotations

import os

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
)
from mibdesk.core.rules.settlement.transfers import TransferResult

HEADER_ROW = 3
COLUMNS: tuple[tuple[str, str], ...] = (
    ("暂存累计结余", "balance"),
    ("上划金额", "transfer"),
    ("其中：本次划转", "now"),
    ("其中：定期存款到期后补足", "deferred"),
    ("上划后留存", "remaining"),
)
"""Column header → `CountyTransfer` attribute, after code and name."""


def write_transfer_workbook(
    path: str | os.PathLike[str],
    result: TransferResult,
    city_name: str,
    scheme_name: str,
    profile_label: str,
) -> None:
    """Write `result` (see the module docstring)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "上划金额"
    title = f"{city_name}{result.year}年{scheme_name}历史结余上划"
    headers = ["县区代码", "县区", *(header for header, _attr in COLUMNS)]
    subtitle = f"政策方案：{profile_label}　金额单位：元"
    sheet_heading(sheet, title, subtitle, headers, HEADER_ROW)
    money = cell_style(workbook, "mibdesk 上划金额", number_format=MONEY_FORMAT)
    row = HEADER_ROW
    for county in result.counties:
        row += 1
        put_text(sheet.cell(row, 1), county.code)
        put_text(sheet.cell(row, 2), county.name)
        for offset, (_header, attribute) in enumerate(COLUMNS):
            cell = sheet.cell(row, 3 + offset)
            cell.style = money
            put_number(cell, getattr(county, attribute), "fen")
    row += 1
    sums = [sum(getattr(c, attribute) for c in result.counties) for _h, attribute in COLUMNS]
    put_totals(sheet, row, sums, 3, "mibdesk 上划合计")
    finish_sheet(sheet, [10, 18, *([18] * len(COLUMNS))], HEADER_ROW, 2)

    working = workbook.create_sheet("计算过程")
    headers = ["县区代码", "县区", "步骤", "金额", "规则", "依据"]
    sheet_heading(working, f"{title}计算过程", subtitle, headers, HEADER_ROW)
    row = HEADER_ROW
    steps = [("", "全市", step) for step in result.working]
    for county in result.counties:
        steps += [(county.code, county.name, step) for step in county.working]
    for code, name, step in steps:
        row += 1
        put_step(working, row, (code, name), step)
    finish_sheet(working, [10, 18, 30, 18, 60, 30], HEADER_ROW, 2)
    save_atomically(workbook, path)
