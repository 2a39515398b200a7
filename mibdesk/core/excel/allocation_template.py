"""A blank allocation workbook for the city to fill in: one row per registered county with its
code and name, the amount column empty. It is exactly what `allocation_workbook.read_amounts`
reads back (sheet 分配表, header row 县区代码 / 县区名称 / 金额（元） in row 2).

openpyxl is imported only here, when a template is written (start-up rule).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from mibdesk.core.excel.writing import (
    HEADER,
    MONEY_FORMAT,
    cell_style,
    put_text,
    save_atomically,
)

SHEET = "分配表"
HEADERS = ("县区代码", "县区名称", "金额（元）")


def write_template(path: str | os.PathLike[str], counties: Mapping[str, str], title: str) -> Path:
    """Write the template for `counties` (code → name, in code order) to `path`; `title` goes
    in row 1 (e.g. "2027年 职工基本医疗保险 支出定额分配表"). Returns the path written."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    put_text(sheet.cell(1, 1), title)
    header = cell_style(book, "allocation-header", bold=True, shade=HEADER, horizontal="center")
    text = cell_style(book, "allocation-text")
    amount = cell_style(book, "allocation-amount", number_format=MONEY_FORMAT, locked=False)
    for column, name in enumerate(HEADERS, start=1):
        put_text(sheet.cell(2, column), name)
        sheet.cell(2, column).style = header
    for row, code in enumerate(sorted(counties), start=3):
        for column, value in ((1, code), (2, counties[code])):
            put_text(sheet.cell(row, column), value)
            sheet.cell(row, column).style = text
        sheet.cell(row, 3).style = amount
    for letter, width in (("A", 14), ("B", 28), ("C", 20)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    target = Path(path)
    save_atomically(book, target)
    return target
