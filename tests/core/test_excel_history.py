"""Years of past figures from one flat sheet: every accepted form, every refusal, real files."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.excel import history_rows
from mibdesk.core.excel.history import HistoryReading, HistoryRow, read_history
from mibdesk.core.periods import Month

OFFICE = "330602"
T1 = "330602001"
HEADER = ["单位代码", "险种", "项目代码", "期间", "数值"]


@pytest.fixture(scope="module")
def shaoxing() -> Profile:
    return load_profile("shaoxing")


def sheet_file(path: Path, rows: list[list[object]], *, above: int = 0, error_cells=()) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "历史数据"
    for _ in range(above):
        sheet.append(["某县医保基金历年数据"])
    for row in rows:
        sheet.append(row)
    for ref in error_cells:
        sheet[ref].value = "#REF!"
        sheet[ref].data_type = "e"
    workbook.save(path)
    return path


def read(path: Path, profile: Profile) -> HistoryReading:
    return read_history(path, profile, OFFICE, {T1})


def test_every_accepted_form(tmp_path: Path, shaoxing: Profile) -> None:
    rows = [
        HEADER,
        [OFFICE, "EMP", "INC_EMPLOYER", "2024-01", Decimal("1234.56")],
        [330602, "emp", "单位缴费收入", "202402", 1234.5600000000002],
        ["330602", "职工基本医疗保险（含生育保险）", "住院医疗费用支出", 202403, -12.5],
        [OFFICE, "职工基本医疗保险统筹基金", "EXP_INPATIENT", "2024年4月", "１，２３４．５６"],
        [
            OFFICE,
            "城乡居民基本医疗保险",
            "成年居民(不含资助参保人员)",
            datetime.date(2024, 5, 1),
            12,
        ],
        [T1, "RES", "ENR_ADULT", datetime.datetime(2024, 6, 30, 0, 0), "45,210"],
        [T1, "RES", "INC_PERSONAL", "2024/7", 0],
        [None, None, None, None, None],  # blank rows are skipped
        [OFFICE, "RES", "BAL_END", "2024-08", "-100.00"],  # a deficit balance
    ]
    reading = read(sheet_file(tmp_path / "h.xlsx", rows), shaoxing)
    assert reading.errors == []
    assert reading.sheet == "历史数据"
    assert reading.rows == [
        HistoryRow(OFFICE, "EMP", "INC_EMPLOYER", Month(2024, 1), 123_456, 2),
        HistoryRow(OFFICE, "EMP", "INC_EMPLOYER", Month(2024, 2), 123_456, 3),
        HistoryRow(OFFICE, "EMP", "EXP_INPATIENT", Month(2024, 3), -1250, 4),
        HistoryRow(OFFICE, "EMP", "EXP_INPATIENT", Month(2024, 4), 123_456, 5),
        HistoryRow(OFFICE, "RES", "ENR_ADULT", Month(2024, 5), 12, 6),
        HistoryRow(T1, "RES", "ENR_ADULT", Month(2024, 6), 45_210, 7),
        HistoryRow(T1, "RES", "INC_PERSONAL", Month(2024, 7), 0, 8),
        HistoryRow(OFFICE, "RES", "BAL_END", Month(2024, 8), -10_000, 10),
    ]


def test_the_header_is_found_by_name_anywhere_near_the_top(
    tmp_path: Path, shaoxing: Profile
) -> None:
    rows = [
        ["备注", "数值", "期间", "项目", "险种", "单位代码"],
        ["x", 5, "2024-01", "ENR_RETIRED", "EMP", OFFICE],
    ]
    reading = read(sheet_file(tmp_path / "h.xlsx", rows, above=3), shaoxing)
    assert reading.rows == [HistoryRow(OFFICE, "EMP", "ENR_RETIRED", Month(2024, 1), 5, 5)]


def test_no_header_is_refused(tmp_path: Path, shaoxing: Profile) -> None:
    path = sheet_file(tmp_path / "h.xlsx", [["单位", "险种"], [OFFICE, "EMP"]])
    with pytest.raises(ValidationError) as error:
        read(path, shaoxing)
    assert "表头" in error.value.message and error.value.where == "h.xlsx"


@pytest.mark.parametrize(
    ("row", "column", "said"),
    [
        (["330699", "EMP", "INC_EMPLOYER", "2024-01", 1], "A", "330699"),
        (["330602009", "RES", "ENR_ADULT", "2024-01", 1], "A", "330602009"),
        ([OFFICE, "XYZ", "INC_EMPLOYER", "2024-01", 1], "B", "XYZ"),
        ([OFFICE, "EMP_PA", "INC_INTEREST", "2024-01", 1], "B", "未统筹"),
        ([OFFICE, "EMP", "NO_SUCH_LINE", "2024-01", 1], "C", "NO_SUCH_LINE"),
        ([OFFICE, "EMP", "INC_TOTAL", "2024-01", 1], "C", "合计"),
        ([OFFICE, "EMP", "缴费收入小计", "2024-01", 1], "C", "小计"),
        ([T1, "EMP", "INC_EMPLOYER", "2024-01", 1], "C", "县本级"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024.01", 1], "D", "2024.01"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-13", 1], "D", "2024-13"),
        ([OFFICE, "EMP", "INC_EMPLOYER", None, 1], "D", "期间为空"),
        ([OFFICE, "EMP", "INC_EMPLOYER", 45292, 1], "D", "45292"),
        ([OFFICE, "EMP", "ENR_RETIRED", "2024-01", -3], "E", "负数"),
        ([OFFICE, "EMP", "ENR_RETIRED", "2024-01", 3.5], "E", "整数"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", "一千元"], "E", "金额"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", 1234.567], "E", "两位"),
        ([OFFICE, "EMP", "BASE_FLEXIBLE", "2024-01", -1], "E", "负数"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", Decimal("1000000000000")], "E", "过大"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", None], "E", "为空"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", datetime.date(2024, 1, 1)], "E", "日期"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", True], "E", "TRUE"),
        ([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", "=1+2"], "E", "公式"),
    ],
)
def test_bad_rows_name_their_cell(
    tmp_path: Path, shaoxing: Profile, row: list[object], column: str, said: str
) -> None:
    good = [OFFICE, "EMP", "INC_EMPLOYER", "2023-12", 1]
    reading = read(sheet_file(tmp_path / "h.xlsx", [HEADER, good, row]), shaoxing)
    assert [e.ref for e in reading.errors] == [f"{column}3"]
    assert said in reading.errors[0].message, reading.errors[0].message
    assert str(reading.errors[0]).startswith(f"历史数据!{column}3：")
    assert [r.row for r in reading.rows] == [2]


def test_an_error_value_reads_as_empty_with_a_hint(tmp_path: Path, shaoxing: Profile) -> None:
    rows = [HEADER, [OFFICE, "EMP", "INC_EMPLOYER", "2024-01", 0]]
    reading = read(sheet_file(tmp_path / "h.xlsx", rows, error_cells=("E2",)), shaoxing)
    assert [e.ref for e in reading.errors] == ["E2"]
    assert "#REF!" in reading.errors[0].message


def test_duplicates_name_both_rows(tmp_path: Path, shaoxing: Profile) -> None:
    rows = [
        HEADER,
        [OFFICE, "EMP", "INC_EMPLOYER", "2024-01", 1],
        [OFFICE, "RES", "INC_PERSONAL", "2024-01", 1],
        [OFFICE, "职工基本医疗保险统筹基金", "单位缴费收入", "202401", 2],  # the same figure again
        [T1, "RES", "INC_PERSONAL", "2024-01", 1],  # another unit: not a duplicate
    ]
    reading = read(sheet_file(tmp_path / "h.xlsx", rows), shaoxing)
    assert len(reading.errors) == 1
    assert "第 4 行" in reading.errors[0].message and "第 2 行" in reading.errors[0].message
    assert [r.row for r in reading.rows] == [2, 3, 5]


def test_errors_stop_at_the_limit(
    tmp_path: Path, shaoxing: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_rows, "MAX_ERRORS", 3)
    rows = [HEADER] + [[OFFICE, "EMP", "NOPE", "2024-01", 1]] * 10
    reading = read(sheet_file(tmp_path / "h.xlsx", rows), shaoxing)
    assert len(reading.errors) == 4 and "停止读取" in reading.errors[-1].message


def test_jining_schemes_and_names(tmp_path: Path) -> None:
    jining = load_profile("jining")
    rows = [
        HEADER,
        ["370811", "EMP_PA", "个人账户支出（门诊、购药）", "2025-12", Decimal("99.90")],
        ["370811", "长期护理保险", "EXP_CARE", "2025-12", 10],
    ]
    reading = read_history(sheet_file(tmp_path / "h.xlsx", rows), jining, "370811", set())
    assert reading.errors == []
    assert [(r.scheme, r.line, r.value) for r in reading.rows] == [
        ("EMP_PA", "EXP_PERSONAL_ACCOUNT", 9990),
        ("LTC", "EXP_CARE", 1000),
    ]


def test_other_files_go_through_the_gate(tmp_path: Path, shaoxing: Profile) -> None:
    path = tmp_path / "历史.csv"
    path.write_text("单位代码,险种,项目代码,期间,数值\n330602,EMP,INC_EMPLOYER,2024-01,1\n")
    with pytest.raises(ValidationError, match="文本文件"):
        read(path, shaoxing)


def test_ten_thousand_rows_are_read(tmp_path: Path, shaoxing: Profile) -> None:
    path = tmp_path / "big.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("历史数据")
    sheet.append(HEADER)
    months = [Month(2000, 1).plus(n) for n in range(10_000)]
    for month in months:
        sheet.append([OFFICE, "EMP", "INC_EMPLOYER", str(month), Decimal("1234.56")])
    workbook.save(path)
    reading = read(path, shaoxing)
    assert reading.errors == [] and len(reading.rows) == 10_000
    assert reading.rows[-1] == HistoryRow(
        OFFICE, "EMP", "INC_EMPLOYER", months[-1], 123_456, 10_001
    )


def test_cell_references_count_from_a1_whatever_is_empty(tmp_path: Path, shaoxing: Profile) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, text in enumerate(HEADER):
        sheet.cell(4, 3 + offset, text)
    for offset, value in enumerate([OFFICE, "EMP", "INC_EMPLOYER", "2024-01", "x"]):
        sheet.cell(6, 3 + offset, value)
    workbook.save(tmp_path / "h.xlsx")
    reading = read(tmp_path / "h.xlsx", shaoxing)
    assert [str(e).split("：")[0] for e in reading.errors] == ["Sheet!G6"]
