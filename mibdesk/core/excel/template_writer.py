"""Builds the monthly template workbook in memory (openpyxl); `template.write_template` saves it.

Contract: `build_workbook(identity, scheme_name, layout, values)` returns an openpyxl
Workbook laid out as `layout` describes, with the identity and layout in the veryHidden
sheet. Official texts are Chinese, written directly (not through the catalog).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mibdesk.core.excel import layout as at
from mibdesk.core.excel.cells import allows_negative, column_letter
from mibdesk.core.excel.layout import FormLayout, FormRow
from mibdesk.core.excel.writing import (
    GREY,
    HEADER,
    MONEY_FORMAT,
    PERSONS_FORMAT,
    SHADE,
    a4_landscape,
    cell_style,
    fill,
    put_number,
    put_text,
    thin_border,
)
from mibdesk.core.monthly import Cell

if TYPE_CHECKING:
    from mibdesk.core.excel.template import TemplateIdentity

UNIT_LABELS = {"persons": "人", "fen": "元"}
NOTE = (
    "填报说明：白色单元格填写本月数；灰色单元格不填；浅灰色的小计、合计行由表格自动计算。"
    "人数填整数；金额以元为单位，保留两位小数；收入、支出、结余的冲减数可填负数。"
    "请勿增删、移动行列或改动工作表名称。"
)
SIGNATURES = (
    "填表人：　　　　　　审核人：　　　　　　负责人：　　　　　　填报日期：　　年　　月　　日"
)
MAX_MONEY = "999999999999.99"
MAX_PERSONS = "999999999"


def build_workbook(
    identity: TemplateIdentity, scheme_name: str, layout: FormLayout, values: Mapping[Cell, int]
) -> Any:
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = at.FORM_SHEET
    _heading(sheet, identity, scheme_name, layout)
    _lines(sheet, layout, values)
    _validation(sheet, layout)
    _page(sheet, layout)
    _hidden_sheet(workbook, identity, layout)
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.active = 0
    return workbook


def _heading(sheet: Any, identity: TemplateIdentity, scheme_name: str, layout: FormLayout) -> None:
    from openpyxl.styles import Alignment, Font

    last = column_letter(layout.last_column)
    title = sheet.cell(at.TITLE_ROW, 1)
    put_text(title, f"{scheme_name} 月报 {identity.period.label}")
    title.font = Font(size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A{at.TITLE_ROW}:{last}{at.TITLE_ROW}")
    sheet.row_dimensions[at.TITLE_ROW].height = 30
    office = sheet.cell(at.OFFICE_ROW, 1)
    put_text(office, f"填报单位：{identity.office_name}（{identity.office_code}）")
    if layout.last_column > at.FIRST_UNIT_COLUMN:
        sheet.merge_cells(
            f"A{at.OFFICE_ROW}:{column_letter(layout.last_column - 1)}{at.OFFICE_ROW}"
        )
    unit_note = sheet.cell(at.OFFICE_ROW, layout.last_column)
    put_text(unit_note, "金额单位：元")
    unit_note.alignment = Alignment(horizontal="right")
    note = sheet.cell(at.NOTE_ROW, 1)
    put_text(note, NOTE)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    note.font = Font(size=9, color="595959")
    sheet.merge_cells(f"A{at.NOTE_ROW}:{last}{at.NOTE_ROW}")
    sheet.row_dimensions[at.NOTE_ROW].height = 42
    headers = ["行次", "项目", "计量单位", *layout.unit_names]
    if layout.total_column:
        headers.append("合计")
    border = thin_border()
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(at.HEADER_ROW, column)
        put_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = fill(HEADER)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[at.HEADER_ROW].height = 30


def _lines(sheet: Any, layout: FormLayout, values: Mapping[Cell, int]) -> None:
    styles = _Styles(sheet.parent)
    for number, row in enumerate(layout.rows, start=1):
        label = sheet.cell(row.row, at.NUMBER_COLUMN, number)
        label.style = styles.label(row, "center")
        name = sheet.cell(row.row, at.NAME_COLUMN)
        name.style = styles.label(row, "name")  # before put_text: it may set a quote prefix
        put_text(name, row.name)
        unit_label = sheet.cell(row.row, at.UNIT_COLUMN)
        unit_label.style = styles.label(row, "center")
        put_text(unit_label, UNIT_LABELS[row.unit])
        for column in range(at.FIRST_UNIT_COLUMN, layout.last_column + 1):
            _fill_cell(sheet.cell(row.row, column), layout, row, column, values, styles)
    footer = sheet.cell(layout.last_row + 2, 1)
    put_text(footer, SIGNATURES)


class _Styles:
    """The form's named styles: labels and figure cells of input and computed rows."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook

    def label(self, row: FormRow, kind: str) -> str:
        computed = "小计" if row.computed else ""
        return cell_style(
            self.workbook,
            f"mibdesk {computed}{'项目' if kind == 'name' else '居中'}",
            bold=row.computed,
            shade=SHADE if row.computed else "",
            horizontal="center" if kind == "center" else None,
            indent=1 if kind == "name" and not row.computed else 0,
        )

    def figure(self, row: FormRow, kind: str) -> str:
        """`kind`: "input" (white, unlocked), "none" (grey), "calc" (formula, shaded)."""
        money = row.unit == "fen"
        bold = kind == "calc" and row.computed
        return cell_style(
            self.workbook,
            f"mibdesk {kind}{'粗' if bold else ''} {'金额' if money else '人数'}",
            number_format=MONEY_FORMAT if money else PERSONS_FORMAT,
            bold=bold,
            shade={"input": "", "none": GREY, "calc": SHADE}[kind],
            locked=kind != "input",
        )


def _fill_cell(
    cell: Any,
    layout: FormLayout,
    row: FormRow,
    column: int,
    values: Mapping[Cell, int],
    styles: _Styles,
) -> None:
    formula = layout.formula(row, column)
    if formula is not None:
        cell.value = formula
        cell.style = styles.figure(row, "calc")
        return
    unit = layout.units[column - at.FIRST_UNIT_COLUMN]
    if layout.is_input(row, unit):
        cell.style = styles.figure(row, "input")
        value = values.get(Cell(row.code, unit))
        if value is not None:
            put_number(cell, value, row.unit)
    else:
        cell.style = styles.figure(row, "none")


def _validation(sheet: Any, layout: FormLayout) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    def rule(kind: str, low: str, high: str, prompt: str) -> Any:
        check = DataValidation(
            type=kind,
            operator="between",
            formula1=low,
            formula2=high,
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="数值不符合要求",
            error=prompt,
            promptTitle="填写提示",
            prompt=prompt,
        )
        sheet.add_data_validation(check)
        return check

    persons = rule("whole", "0", MAX_PERSONS, "请填写不小于 0 的整数人数。")
    signed = rule(
        "decimal", "-" + MAX_MONEY, MAX_MONEY, "请填写金额（元），保留两位小数；冲减数可为负数。"
    )
    positive = rule("decimal", "0", MAX_MONEY, "请填写不小于 0 的金额（元），保留两位小数。")
    for row in layout.rows:
        for column, unit in layout.unit_columns():
            if not layout.is_input(row, unit):
                continue
            ref = f"{column_letter(column)}{row.row}"
            if row.unit == "persons":
                persons.add(ref)
            elif allows_negative(row.section):
                signed.add(ref)
            else:
                positive.add(ref)


def _page(sheet: Any, layout: FormLayout) -> None:
    from openpyxl.worksheet.protection import SheetProtection

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 9
    for column in range(at.FIRST_UNIT_COLUMN, layout.last_column + 1):
        sheet.column_dimensions[column_letter(column)].width = 18
    sheet.freeze_panes = sheet.cell(at.FIRST_LINE_ROW, at.FIRST_UNIT_COLUMN)
    a4_landscape(sheet, f"{at.HEADER_ROW}:{at.HEADER_ROW}")
    # No password: protection guards against slips; the reader checks what matters.
    sheet.protection = SheetProtection(
        sheet=True, formatColumns=False, formatRows=False, selectLockedCells=False
    )


def _hidden_sheet(workbook: Any, identity: TemplateIdentity, layout: FormLayout) -> None:
    from openpyxl.worksheet.protection import SheetProtection

    hidden = workbook.create_sheet(at.HIDDEN_SHEET)
    hidden.sheet_state = "veryHidden"
    fields = [
        ("office_code", identity.office_code),
        ("office_name", identity.office_name),
        ("period", str(identity.period)),
        ("scheme", identity.scheme),
    ]
    for row_number, row in enumerate(at.encode(fields, identity.template_version, layout), 1):
        for column, text in enumerate(row, start=1):
            put_text(hidden.cell(row_number, column), text)
    hidden.protection = SheetProtection(sheet=True)
