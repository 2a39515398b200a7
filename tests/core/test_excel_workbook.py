"""Workbooks a person reads and prints: one month of a scheme, a year of every scheme."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from mibdesk.core.catalog import load_profile
from mibdesk.core.excel.workbook import ReportRow, write_month_workbook, write_year_workbook
from mibdesk.core.periods import Month

OFFICE_NAME = '=HYPERLINK("http://evil","点击")'  # a hostile name stays text


def month_rows() -> list[ReportRow]:
    return [
        ReportRow("ENR_PUBLIC", "在职职工（机关事业单位）", "persons", 12_345, None, 12_000),
        ReportRow(
            "INC_EMPLOYER", "单位缴费收入", "fen", 95_254_776_254_943, 10, 5, Decimal("0.052")
        ),
        ReportRow("INC_TOTAL", "基金收入合计", "fen", 100, 200, None, None, computed=True),
        ReportRow("EXP_OTHER", "其他支出", "fen", None),
        ReportRow("X", "@SUM(1+1)", "fen", 1),
    ]


def test_a_month_workbook(tmp_path: Path) -> None:
    path = tmp_path / "月报.xlsx"
    scheme = load_profile("shaoxing").scheme("EMP")
    write_month_workbook(path, OFFICE_NAME, "330602", scheme, Month(2026, 10), month_rows())
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "职工基本医疗保险（含生育保险） 月报（2026年10月）"
    assert (
        sheet["A2"].value == f"填报单位：{OFFICE_NAME}（330602）" and sheet["A2"].data_type == "s"
    )
    headers = [sheet.cell(4, c).value for c in range(1, 8)]
    assert headers == ["行次", "项目", "计量单位", "本月数", "本年累计", "上年同期", "同比增减"]
    assert [sheet.cell(5, c).value for c in range(1, 7)] == [
        1,
        "在职职工（机关事业单位）",
        "人",
        12_345,
        None,
        12_000,
    ]
    assert sheet["D5"].number_format == "#,##0" and sheet["D6"].number_format == "#,##0.00"
    assert sheet["G6"].number_format == "0.0%"
    assert sheet["B7"].font.b and not sheet["B6"].font.b
    assert sheet["D8"].value is None  # blank stays blank
    assert sheet["B9"].value == "@SUM(1+1)" and sheet["B9"].data_type == "s"
    assert sheet["B9"].quotePrefix
    assert sheet.freeze_panes == "D5"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.column_dimensions["B"].width == 40
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>952547762549.43</v>" in xml and "<v>0.052</v>" in xml and "<f>" not in xml


def test_a_year_workbook(tmp_path: Path) -> None:
    profile = load_profile("jining")
    emp, ltc = profile.scheme("EMP"), profile.scheme("LTC")
    figures = {
        "EMP": {
            Month(2025, 1): {"INC_EMPLOYER": 100, "INC_PERSONAL": 50, "ENR_RETIRED": 7},
            Month(2025, 12): {"INC_EMPLOYER": 1, "ENR_RETIRED": 9},
        },
    }
    path = tmp_path / "年报.xlsx"
    write_year_workbook(path, "济宁市任城区医疗保障事务中心", "370811", 2025, [emp, ltc], figures)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [emp.name[:31], ltc.name]
    sheet = workbook[emp.name[:31]]
    headers = [sheet.cell(4, c).value for c in range(1, 17)]
    assert headers[3:5] == ["1月", "2月"] and headers[14:] == ["12月", "全年合计"]
    rows = {sheet.cell(r, 2).value: r for r in range(5, 5 + len(emp.lines))}
    employer = rows["单位缴费收入"]
    assert sheet.cell(employer, 4).value == 1 and sheet.cell(employer, 15).value == 0.01
    assert sheet.cell(employer, 16).value == 1.01  # flows are summed over the year
    contributions = rows["缴费收入小计"]  # computed here from its parts
    assert sheet.cell(contributions, 4).value == 1.5 and sheet.cell(contributions, 2).font.b
    retired = rows["退休人员"]
    assert sheet.cell(retired, 15).value == 9 and sheet.cell(retired, 16).value is None  # a stock
    assert sheet.cell(rows["其他支出"], 16).value is None  # nothing reported: blank, not 0
    assert workbook[ltc.name].cell(5, 4).value is None


def test_a_year_workbook_refuses_a_month_of_another_year(tmp_path: Path) -> None:
    emp = load_profile("jining").scheme("EMP")
    with pytest.raises(ValueError):
        write_year_workbook(
            tmp_path / "y.xlsx", "x", "370811", 2025, [emp], {"EMP": {Month(2024, 12): {}}}
        )
    assert list(tmp_path.iterdir()) == []


def test_long_and_odd_sheet_names(tmp_path: Path) -> None:
    from mibdesk.core.excel.writing import sheet_title

    taken: set[str] = set()
    assert sheet_title("a/b:c", taken) == "a_b_c"
    assert sheet_title("A/B:C", taken) == "A_B_C(2)"
    assert len(sheet_title("长" * 40, taken)) == 31
