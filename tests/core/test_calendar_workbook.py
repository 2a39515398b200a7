"""The working-day calendar typed in Excel/WPS (.xlsx), laid out as the CSV file: date cells
or text dates both read, the same calendar as the CSV gives; a bad row is refused naming the
sheet and the row; what is not a plain workbook is refused as every workbook is."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from mibdesk.core.calendar_edits import parse_calendar_csv, read_calendar_path
from mibdesk.core.errors import ValidationError

NOTICE = "国务院办公厅关于2027年部分节假日安排的通知"
DAYS: list[tuple[object, str, str]] = [
    (date(2027, 1, 1), "休", "元旦"),
    (datetime(2027, 2, 6), "休", "春节"),  # a date cell as Excel stores it (midnight)
    ("2027-02-07", "休", "春节"),  # or typed as text
    (date(2027, 2, 14), "班", "春节调休上班"),
]


def workbook(path: Path, days: list[tuple[object, str, str]] = DAYS, sheet: str = "2027") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["来源", NOTICE])
    ws.append(["日期", "类型", "名称"])
    for row in days:
        ws.append(list(row))
    ws["F20"] = None  # a cell touched far away: empty columns and rows are skipped
    book.save(path)
    return path


def test_a_workbook_reads_as_the_same_csv_would(tmp_path: Path) -> None:
    data = read_calendar_path(workbook(tmp_path / "2027年节假日.xlsx"), 2027)
    csv = parse_calendar_csv(
        f"来源,{NOTICE}\n日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,休,春节\n"
        "2027-02-07,休,春节\n2027-02-14,班,春节调休上班\n",
        2027,
        where="2027.csv",
    )
    assert data == csv
    assert data.holidays == {date(2027, 1, 1), date(2027, 2, 6), date(2027, 2, 7)}
    assert data.workdays == {date(2027, 2, 14)} and data.source == NOTICE


def test_a_csv_saved_with_empty_columns_after_the_last_is_read(tmp_path: Path) -> None:
    path = tmp_path / "2027.csv"
    path.write_text(f"来源,{NOTICE},,\n日期,类型,名称,\n2027-01-01,休,元旦,,\n", "gb18030")
    assert read_calendar_path(path, 2027).holidays == {date(2027, 1, 1)}


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ((date(2027, 2, 15), "班", "调休"), "第4行"),  # a Monday made a working day
        ((datetime(2027, 2, 8, 9, 30), "休", "春节"), "日期格式不正确"),  # a time, not a day
        ((date(2026, 12, 31), "休", "元旦"), "不在2027年"),
        ((date(2027, 2, 8), "假", "春节"), "第4行"),
        ((20270208, "休", "春节"), "日期格式不正确"),
    ],
)
def test_a_bad_row_is_refused_naming_the_sheet_and_row(
    tmp_path: Path, day: tuple[object, str, str], message: str
) -> None:
    path = workbook(tmp_path / "日历.xlsx", [DAYS[0], day], sheet="二〇二七")
    with pytest.raises(ValidationError) as refused:
        read_calendar_path(path, 2027)
    text = str(refused.value)
    assert message in text and "日历.xlsx" in text
    assert "工作表“二〇二七”第4行" in text


def test_what_is_not_a_plain_workbook_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "2027.xlsx"
    fake.write_text(f"来源,{NOTICE}\n", "utf-8")  # a CSV renamed
    with pytest.raises(ValidationError, match=r"2027\.xlsx"):
        read_calendar_path(fake, 2027)
    with pytest.raises(ValidationError, match="CSV"):
        read_calendar_path(tmp_path / "2027.docx", 2027)
