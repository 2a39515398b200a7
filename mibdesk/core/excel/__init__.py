"""Excel, both ways: plain data in and out of .xlsx files; no database here.

    write_template(path, identity, scheme, unit_names, values)   the month's fill-in form
    read_template(path, expected) -> TemplateReading              figures and cell problems
    read_history(path, profile, office_code, township_codes)      years of past figures
    write_month_workbook(...), write_year_workbook(...)           workbooks to read and print
    check_workbook_file(path)                                     the gate before any parser

Every reader runs `check_workbook_file` first (encrypted, .xls, CSV, zip bombs, XML entity
tricks are refused with a Chinese message naming the file) and raises `ValidationError` for a
file it refuses as a whole; problems with single cells come back as `CellError`s (sheet, cell,
message) so that all of them can be shown at once. Money is int fen throughout (see `cells`
for how Excel's doubles are read exactly). openpyxl and python-calamine are imported only
when a file is read or written.
"""

from __future__ import annotations

from mibdesk.core.excel.cells import CellError
from mibdesk.core.excel.history import HistoryReading, HistoryRow, read_history
from mibdesk.core.excel.safety import check_workbook_file
from mibdesk.core.excel.template import (
    TEMPLATE_VERSION,
    TemplateIdentity,
    TemplateReading,
    read_template,
    write_template,
)
from mibdesk.core.excel.workbook import ReportRow, write_month_workbook, write_year_workbook

__all__ = [
    "TEMPLATE_VERSION",
    "CellError",
    "HistoryReading",
    "HistoryRow",
    "ReportRow",
    "TemplateIdentity",
    "TemplateReading",
    "check_workbook_file",
    "read_history",
    "read_template",
    "write_month_workbook",
    "write_template",
    "write_year_workbook",
]
