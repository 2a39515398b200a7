"""The month's fill-in template: written, filled in (by openpyxl, as Excel would), read back.

Every bad cell of issue #3's "Bad input" list is a real workbook here: text, formulas,
dates, #REF!, TRUE, negative or fractional head counts, 10¹² yuan, merged cells, renamed or
missing sheets, templates for another office, period, scheme or version, tampering.
"""

from __future__ import annotations

import datetime
import re
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mibdesk.core.catalog import SchemeProfile, load_profile
from mibdesk.core.errors import UserError, ValidationError
from mibdesk.core.excel import layout as at
from mibdesk.core.excel.cells import CellError, cell_ref, column_letter, read_number
from mibdesk.core.excel.template import (
    TEMPLATE_VERSION,
    TemplateIdentity,
    form_layout,
    read_template,
    write_template,
)
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month

OFFICE = "330602"
T1, T2 = "330602001", "330602002"
NAMES = {T1: "府山街道", T2: "=cmd|'/C calc'!A0"}


def res() -> SchemeProfile:
    return load_profile("shaoxing").scheme("RES")


def identity(**changes: Any) -> TemplateIdentity:
    fields: dict[str, Any] = {
        "office_code": OFFICE,
        "office_name": "越城区医疗保障事务中心",
        "period": Month(2026, 10),
        "scheme": "RES",
        "template_version": TEMPLATE_VERSION,
        "units": ("", T1, T2),
    }
    fields.update(changes)
    return TemplateIdentity(**fields)


def ref(code: str, unit: str = "", ident: TemplateIdentity | None = None) -> str:
    """The cell of (line, unit) on the form of `ident`."""
    ident = ident or identity()
    layout = form_layout(res(), ident.units, NAMES)
    return cell_ref(layout.by_code[code].row, at.FIRST_UNIT_COLUMN + ident.units.index(unit))


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "月报模板.xlsx"
    write_template(path, identity(), res(), NAMES, {})
    return path


def edit(path: Path, changes: dict[str, Any], *, errors: tuple[str, ...] = ()) -> Path:
    """Fill cells as a person would in Excel (openpyxl keeps protection and hidden sheets)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[at.FORM_SHEET]
    for where, value in changes.items():
        sheet[where] = value
    for where in errors:
        sheet[where].value = "#REF!"
        sheet[where].data_type = "e"
    workbook.save(path)
    return path


def only_error(path: Path) -> CellError:
    reading = read_template(path, identity())
    assert len(reading.errors) == 1, reading.errors
    return reading.errors[0]


# --- round trip -----------------------------------------------------------------------------


def test_values_written_are_the_values_read(tmp_path: Path) -> None:
    values = {
        Cell("ENR_ADULT", ""): 12,
        Cell("ENR_ADULT", T1): 45_210,
        Cell("ENR_MINOR", T2): 0,
        Cell("INC_PERSONAL", T2): 123_456,
        Cell("INC_SUBSIDY_CENTRAL", ""): 99_999_999_999_999,  # 999,999,999,999.99 yuan
        Cell("EXP_INPATIENT", ""): -5,  # a correction: -0.05 yuan
        Cell("BAL_END", ""): 1,
    }
    path = tmp_path / "t.xlsx"
    write_template(path, identity(), res(), NAMES, values)
    reading = read_template(path, identity())
    assert reading.identity == identity()
    assert reading.values == values
    assert reading.errors == [] and reading.provided_totals == {}


def test_a_county_only_form_has_no_total_column(tmp_path: Path) -> None:
    emp = load_profile("jining").scheme("EMP")
    ident = identity(scheme="EMP", units=("",), office_code="370811")
    values = {Cell("ENR_PUBLIC"): 5, Cell("INC_EMPLOYER"): 1_234_56}
    path = tmp_path / "emp.xlsx"
    write_template(path, ident, emp, {}, values)
    sheet = openpyxl.load_workbook(path)[at.FORM_SHEET]
    assert sheet.cell(at.HEADER_ROW, 4).value == "本级"
    assert sheet.cell(at.HEADER_ROW, 5).value is None
    assert read_template(path, ident).values == values


def test_the_form_shows_what_a_filler_needs(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, identity(), res(), NAMES, {Cell("INC_PERSONAL", T1): 123_456})
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[at.FORM_SHEET]
    assert sheet["A1"].value == "城乡居民基本医疗保险 月报 2026年10月"
    assert "越城区医疗保障事务中心" in sheet["A2"].value and OFFICE in sheet["A2"].value
    assert sheet.cell(at.OFFICE_ROW, 7).value == "金额单位：元"
    headers = [sheet.cell(at.HEADER_ROW, c).value for c in range(1, 8)]
    assert headers == ["行次", "项目", "计量单位", "本级", "府山街道", NAMES[T2], "合计"]
    adult, total = ref("ENR_ADULT"), ref("ENR_TOTAL")
    assert sheet[adult].protection.locked is False and sheet[adult].number_format == "#,##0"
    assert sheet[total].protection.locked is True
    # subtotals sum the right rows, in every unit column where townships report
    layout = form_layout(res(), identity().units, NAMES)
    rows = {code: layout.by_code[code].row for code in layout.by_code}
    assert sheet[ref("ENR_SELF_PAYING", T1)].value == (
        f"=SUM(E{rows['ENR_ADULT']}:E{rows['ENR_MINOR']})"
    )
    assert sheet[ref("ENR_TOTAL")].value == (
        f"=SUM(D{rows['ENR_SELF_PAYING']},D{rows['ENR_ASSISTED']})"
    )
    assert (
        sheet[f"G{rows['ENR_ADULT']}"].value == f"=SUM(D{rows['ENR_ADULT']}:F{rows['ENR_ADULT']})"
    )
    # expenditure is county-only: the township cells are grey, locked and empty
    grey = sheet[ref("EXP_INPATIENT", T1)]
    assert (
        grey.value is None
        and grey.protection.locked
        and grey.fill.start_color.rgb.endswith("D9D9D9")
    )
    assert sheet[ref("EXP_TOTAL", T1)].value is None  # no township reports expenditure
    money = sheet[ref("INC_PERSONAL", T1)]
    assert money.value == pytest.approx(1234.56) and money.number_format == "#,##0.00"
    # protection: sheet and structure, no password; the identity sheet is very hidden
    assert sheet.protection.sheet and not sheet.protection.password
    assert workbook.security.lockStructure
    assert workbook[at.HIDDEN_SHEET].sheet_state == "veryHidden"
    kinds = {dv.type: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert adult in kinds["whole"].split()
    assert set(kinds) == {"whole", "decimal"}
    assert sheet.freeze_panes == "D5"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9


def test_amounts_are_written_exactly_never_as_float_reprs(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    values = {
        Cell("INC_PERSONAL", T1): 123_456,
        Cell("INC_OTHER"): 10,
        Cell("INC_GRANT"): 95_254_776_254_943,  # openpyxl alone writes 952547762549.4301
    }
    write_template(path, identity(), res(), NAMES, values)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    for text in ("1234.56", "0.10", "952547762549.43"):
        assert f"<v>{text}</v>" in xml
    assert read_template(path).values == values


def test_names_that_look_like_formulas_are_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, identity(office_name="+SUM(1)"), res(), NAMES, {})
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "cmd|" not in "".join(re.findall(r"<f>(.*?)</f>", xml))
    header = openpyxl.load_workbook(path)[at.FORM_SHEET].cell(at.HEADER_ROW, 6)
    assert header.value == "=cmd|'/C calc'!A0" and header.data_type == "s"
    assert header.quotePrefix
    reading = read_template(path)
    assert reading.identity.office_name == "+SUM(1)" and reading.errors == []


def test_writing_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, identity(), res(), NAMES, {Cell("ENR_ADULT"): 1})
    before = path.read_bytes()

    def broken_save(self: Any, target: Any) -> None:
        target.write(b"PK half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(UserError) as error:
        write_template(path, identity(), res(), NAMES, {Cell("ENR_ADULT"): 2})
    assert "No space left" in str(error.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_values_outside_the_input_cells_are_a_programming_error(tmp_path: Path) -> None:
    for cell in (Cell("ENR_TOTAL"), Cell("EXP_INPATIENT", T1), Cell("ENR_ADULT", "330602009")):
        with pytest.raises(ValueError):
            write_template(tmp_path / "t.xlsx", identity(), res(), NAMES, {cell: 1})
    assert not (tmp_path / "t.xlsx").exists()


# --- bad cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        ("INC_OTHER", "abc", "金额"),
        ("INC_OTHER", "=1+2", "公式"),
        ("INC_OTHER", datetime.date(2024, 1, 5), "日期"),
        ("INC_OTHER", True, "TRUE/FALSE"),
        ("INC_OTHER", Decimal("1000000000000"), "过大"),
        ("INC_OTHER", Decimal("1234.565"), "两位"),
        ("ENR_ADULT", -3, "负"),
        ("ENR_ADULT", Decimal("12.5"), "整数"),
        ("ENR_ADULT", "12人", "整数"),
    ],
)
def test_bad_cells_are_named_with_sheet_cell_and_reason(
    template: Path, line: str, value: object, expected: str
) -> None:
    where = ref(line)
    error = only_error(edit(template, {where: value}))
    assert (error.sheet, error.ref) == ("月报", where)
    assert expected in error.message
    assert str(error).startswith(f"月报!{where}：")


def test_an_excel_error_value_is_refused(template: Path) -> None:
    error = only_error(edit(template, {}, errors=(ref("INC_OTHER"),)))
    assert error.ref == ref("INC_OTHER") and "#REF!" in error.message


def test_full_width_digits_separators_and_float_artefacts_are_accepted(template: Path) -> None:
    """Text numbers follow parse_yuan; a double is read at Excel's 15 significant digits."""
    edit(
        template,
        {
            ref("INC_OTHER"): "１，２３４．５６",
            ref("INC_INTEREST"): "¥1,234.5",
            ref("INC_GRANT"): 1234.5600000000002,  # a pasted computed value, shown as 1234.56
            ref("EXP_OTHER"): 0.1 + 0.2,
            ref("ENR_ADULT", T1): "４５，２１０",
            ref("ENR_MINOR"): 12.0,
            ref("EXP_INPATIENT"): -1234.56,  # a correction may be negative
        },
    )
    reading = read_template(template, identity())
    assert reading.errors == []
    assert reading.values == {
        Cell("INC_OTHER"): 123_456,
        Cell("INC_INTEREST"): 123_450,
        Cell("INC_GRANT"): 123_456,
        Cell("EXP_OTHER"): 30,
        Cell("ENR_ADULT", T1): 45_210,
        Cell("ENR_MINOR"): 12,
        Cell("EXP_INPATIENT"): -123_456,
    }


def test_negative_amounts_only_where_corrections_exist(tmp_path: Path) -> None:
    emp = load_profile("shaoxing").scheme("EMP")
    ident = identity(scheme="EMP", units=("",))
    path = tmp_path / "emp.xlsx"
    write_template(path, ident, emp, {}, {})
    row = form_layout(emp, ("",), {}).by_code["BASE_PAYROLL_PUBLIC"].row
    edit(path, {f"D{row}": -100})
    reading = read_template(path, ident)
    assert [(e.ref, "负" in e.message) for e in reading.errors] == [(f"D{row}", True)]


def test_blank_cells_are_absent_and_zero_is_kept(template: Path) -> None:
    edit(template, {ref("ENR_ADULT"): 0, ref("ENR_MINOR"): "   "})
    assert read_template(template).values == {Cell("ENR_ADULT"): 0}


def test_every_bad_cell_is_reported_at_once(template: Path) -> None:
    edit(template, {ref("ENR_ADULT"): "x", ref("ENR_MINOR"): -1, ref("INC_OTHER"): "=A1"})
    reading = read_template(template)
    assert [e.ref for e in reading.errors] == [ref("ENR_ADULT"), ref("ENR_MINOR"), ref("INC_OTHER")]


def test_merged_cells_in_the_input_area_are_refused(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    first, second = ref("ENR_ADULT"), ref("ENR_ADULT", T1)
    workbook[at.FORM_SHEET][first] = 5
    workbook[at.FORM_SHEET].merge_cells(f"{first}:{second}")
    workbook.save(template)
    reading = read_template(template)
    assert [(e.ref, "合并" in e.message) for e in reading.errors] == [(f"{first}:{second}", True)]


def test_figures_in_grey_cells_and_over_formulas(template: Path) -> None:
    layout = form_layout(res(), identity().units, NAMES)
    total_row = layout.by_code["ENR_TOTAL"].row
    edit(
        template,
        {
            ref("EXP_INPATIENT", T1): 5,  # grey: townships do not report expenditure
            f"G{total_row}": 1000,  # typed over the county total of a computed line
            ref("ENR_SELF_PAYING", T1): 7,  # typed over a township subtotal
            ref("ENR_ASSISTED"): "=SUM(D1:D2)",  # a changed formula
        },
    )
    reading = read_template(template)
    assert reading.provided_totals == {"ENR_TOTAL": 1000}
    assert {e.ref: e.message for e in reading.errors}.keys() == {
        ref("EXP_INPATIENT", T1),
        ref("ENR_SELF_PAYING", T1),
        ref("ENR_ASSISTED"),
    }


def test_100000_stray_rows_below_the_form_are_not_read(template: Path, tmp_path: Path) -> None:
    edit(template, {ref("ENR_ADULT"): 7})
    stray = tmp_path / "stray.xlsx"
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="D{n}" t="inlineStr"><is><t>x</t></is></c>'
        "</row>"
        for n in range(100, 100_100)
    )
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(stray, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            out.writestr(info, data)
    start = time.perf_counter()
    reading = read_template(stray, identity())
    assert time.perf_counter() - start < 1.5
    assert reading.values == {Cell("ENR_ADULT"): 7} and reading.errors == []


# --- whole-file refusals ----------------------------------------------------------------------


def test_a_renamed_or_deleted_sheet_is_refused(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    workbook[at.FORM_SHEET].title = "Sheet1"
    workbook.save(template)
    with pytest.raises(ValidationError) as error:
        read_template(template, identity())
    assert "月报" in error.value.message and "Sheet1" in error.value.message
    workbook.create_sheet("其他")
    del workbook["Sheet1"]
    workbook.save(template)
    with pytest.raises(ValidationError, match="月报"):
        read_template(template)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"office_code": "330603"}, "330603"),
        ({"period": Month(2026, 11)}, "2026年11月"),
        ({"scheme": "EMP"}, "EMP"),
        ({"template_version": 2}, "2"),
        ({"units": ("", T1)}, T2),
    ],
)
def test_a_template_for_something_else_is_refused(
    template: Path, changes: dict[str, Any], said: str
) -> None:
    with pytest.raises(ValidationError) as error:
        read_template(template, identity(**changes))
    assert said in error.value.message and error.value.where == template.name


def hidden_rows(path: Path) -> tuple[openpyxl.Workbook, list[list[str]]]:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[at.HIDDEN_SHEET]
    rows = [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]
    return workbook, rows


def rewrite_hidden(workbook: openpyxl.Workbook, rows: list[list[str]], path: Path) -> None:
    sheet = workbook[at.HIDDEN_SHEET]
    sheet.delete_rows(1, sheet.max_row)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_a_template_of_another_layout_version_is_refused(template: Path) -> None:
    workbook, rows = hidden_rows(template)
    rows[0][1] = "2"
    rows[-1] = ["checksum", at.checksum(rows[:-1])]
    rewrite_hidden(workbook, rows, template)
    with pytest.raises(ValidationError) as error:
        read_template(template)
    assert "2" in error.value.message and str(TEMPLATE_VERSION) in error.value.message


def test_hidden_sheet_tampering_is_detected(template: Path) -> None:
    workbook, rows = hidden_rows(template)
    line = next(row for row in rows if row[0] == "line" and row[2] == "ENR_ADULT")
    line[2] = "ENR_MINOR"
    rewrite_hidden(workbook, rows, template)
    with pytest.raises(ValidationError, match="隐藏"):
        read_template(template)


def test_a_workbook_without_identity_is_not_a_template(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = at.FORM_SHEET
    workbook.save(path)
    with pytest.raises(ValidationError, match="模板"):
        read_template(path)


def test_moved_rows_are_refused(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    workbook[at.FORM_SHEET].insert_rows(8)
    workbook.save(template)
    with pytest.raises(ValidationError) as error:
        read_template(template)
    assert error.value.where.startswith("月报!B")


# --- single cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "fen"),
    [
        (1234.56, "fen", 123_456),
        (1234.5600000000002, "fen", 123_456),
        (0.30000000000000004, "fen", 30),
        (12, "fen", 1200),
        (-0.0, "fen", 0),
        (999_999_999_999.99, "fen", 99_999_999_999_999),
        ("1,234.56", "fen", 123_456),
        ("１２３", "persons", 123),
        (12.0, "persons", 12),
        (None, "fen", None),
        ("  ", "persons", None),
    ],
)
def test_read_number_accepts(value: object, unit: Any, fen: int | None) -> None:
    assert read_number(value, unit, negative_ok=False) == fen


@pytest.mark.parametrize(
    ("value", "unit", "kwargs"),
    [
        (1234.565, "fen", {}),
        (1e12, "fen", {}),
        (float("nan"), "fen", {}),
        (float("inf"), "fen", {}),
        (-1.0, "fen", {}),
        (12.5, "persons", {}),
        (1e9, "persons", {}),
        ("=SUM(A1)", "fen", {}),
        ("#N/A", "fen", {}),
        ("=1", "fen", {"data_type": "f"}),
        ("#DIV/0!", "persons", {"data_type": "e"}),
        (datetime.time(3, 4), "fen", {}),
        (datetime.timedelta(hours=1), "fen", {}),
        (object(), "fen", {}),
    ],
)
def test_read_number_refuses(value: object, unit: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        read_number(value, unit, **kwargs)


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
