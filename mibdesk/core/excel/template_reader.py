"""Reads a filled-in monthly template back (openpyxl, read-only mode); see `template`.

openpyxl's read-only mode streams the sheet XML and stops after the last row asked for, so
only the form's rows are parsed; its `data_only=False` mode shows formulas as formulas, which
is what lets an input cell holding a formula be refused. Merged cells are listed after the
cell data in the sheet XML, which the read-only mode does not reach: they are found by a byte
scan of the sheet part (a few ms even behind 100,000 stray rows). Everything is read before
anything is returned; nothing is written.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from mibdesk.core.errors import UserError, ValidationError
from mibdesk.core.excel import layout as at
from mibdesk.core.excel.cells import (
    CellError,
    NumberUnit,
    allows_negative,
    cell_ref,
    read_number,
)
from mibdesk.core.excel.layout import FormLayout, FormRow, LayoutError, same_formula
from mibdesk.core.excel.safety import check_workbook_file, damaged
from mibdesk.core.excel.template import TEMPLATE_VERSION, TemplateIdentity, TemplateReading
from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month

log = logging.getLogger(__name__)
Grid = dict[tuple[int, int], tuple[object, str]]
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref=\""
    rb"([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)\""
)
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def read(path: str | os.PathLike[str], expected: TemplateIdentity | None) -> TemplateReading:
    file = check_workbook_file(path)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # a parser failing on a damaged file: say so, log the detail
        log.warning("openpyxl could not open %s", file, exc_info=True)
        raise damaged(file, error) from error
    try:
        return _read_open(workbook, file, expected)
    except UserError:
        raise
    except Exception as error:
        log.warning("openpyxl failed reading %s", file, exc_info=True)
        raise damaged(file, error) from error
    finally:
        workbook.close()


def _read_open(workbook: Any, file: Path, expected: TemplateIdentity | None) -> TemplateReading:
    names = list(workbook.sheetnames)
    if at.HIDDEN_SHEET not in names:
        raise ValidationError(
            _(
                "This workbook is not a mibdesk monthly template: its hidden identification is "
                "missing. Export the template from mibdesk and fill in that file."
            ),
            where=file.name,
        )
    identity, layout = _identity(workbook[at.HIDDEN_SHEET], file.name, expected)
    _check_expected(identity, expected, file.name)
    if at.FORM_SHEET not in names:
        shown = "、".join(name for name in names if name != at.HIDDEN_SHEET)
        raise ValidationError(
            _(
                'The sheet "{sheet}" is missing or was renamed (sheets found: {names}). Rename it '
                'back to "{sheet}" or export a new template.'
            ).format(sheet=at.FORM_SHEET, names=shown),
            where=file.name,
        )
    sheet = workbook[at.FORM_SHEET]
    grid = _grid(sheet, layout)
    _check_labels(grid, layout)
    reading = TemplateReading(identity)
    for merged in _merged_in_grid(sheet, layout):
        reading.errors.append(
            CellError(
                at.FORM_SHEET,
                merged,
                _("These cells are merged: unmerge them and enter one figure per cell."),
            )
        )
    for row in layout.rows:
        for column in range(at.FIRST_UNIT_COLUMN, layout.last_column + 1):
            _read_cell(grid, layout, row, column, reading)
    return reading


def _identity(
    sheet: Any, where: str, expected: TemplateIdentity | None
) -> tuple[TemplateIdentity, FormLayout]:
    rows: list[list[str]] = []
    for values in sheet.iter_rows(max_row=at.MAX_HIDDEN_ROWS, values_only=True):
        texts = ["" if value is None else str(value) for value in values]
        while texts and texts[-1] == "":
            texts.pop()
        if texts:
            rows.append(texts)
    if not rows or rows[0][:1] != [at.MARKER] or len(rows[0]) != 2 or not rows[0][1].isdigit():
        raise _damaged_identity(where)
    version = int(rows[0][1])
    wanted = expected.template_version if expected is not None else TEMPLATE_VERSION
    if version != wanted or version != TEMPLATE_VERSION:
        raise ValidationError(
            _(
                "This template has layout version {found}; version {expected} is needed. Export "
                "a new template and copy the figures into it."
            ).format(found=version, expected=wanted),
            where=where,
        )
    try:
        fields, layout = at.decode(rows)
        identity = TemplateIdentity(
            office_code=fields["office_code"],
            office_name=fields["office_name"],
            period=Month.parse(fields["period"]),
            scheme=fields["scheme"],
            template_version=version,
            units=layout.units,
        )
    except (LayoutError, KeyError, ValidationError) as error:
        log.info("damaged template identity in %s: %r", where, error)
        raise _damaged_identity(where) from error
    return identity, layout


def _damaged_identity(where: str) -> ValidationError:
    return ValidationError(
        _(
            "The template's hidden identification is damaged or was changed, so its cells cannot "
            "be matched to report lines. Export a new template and copy the figures into it."
        ),
        where=where,
    )


def _check_expected(found: TemplateIdentity, expected: TemplateIdentity | None, where: str) -> None:
    if expected is None:
        return
    if found.office_code != expected.office_code:
        raise ValidationError(
            _(
                "This template is for office {found} ({name}), not for {expected}. Use the "
                "template exported for {expected}."
            ).format(
                found=found.office_code, name=found.office_name, expected=expected.office_code
            ),
            where=where,
        )
    if found.scheme != expected.scheme:
        raise ValidationError(
            _(
                "This template is for scheme {found}, not {expected}. Use the template of "
                "{expected}."
            ).format(found=found.scheme, expected=expected.scheme),
            where=where,
        )
    if found.period != expected.period:
        raise ValidationError(
            _(
                "This template is for {found}, not {expected}. Use the template of {expected}."
            ).format(found=found.period.label, expected=expected.period.label),
            where=where,
        )
    for unit in found.units:
        if unit not in expected.units:
            raise ValidationError(
                _(
                    "This template has a column for township {unit}, which is not expected "
                    "here. Export a new template for this office."
                ).format(unit=unit or at.COUNTY_TOKEN),
                where=where,
            )


def _grid(sheet: Any, layout: FormLayout) -> Grid:
    grid: Grid = {}
    rows = sheet.iter_rows(
        min_row=at.HEADER_ROW, max_row=layout.last_row, min_col=1, max_col=layout.last_column
    )
    for row_number, cells in enumerate(rows, start=at.HEADER_ROW):
        for column, cell in enumerate(cells, start=1):
            if cell.value is not None:
                grid[(row_number, column)] = (cell.value, cell.data_type)
    return grid


def _text_at(grid: Grid, row: int, column: int) -> str:
    value = grid.get((row, column), ("", "s"))[0]
    return str(value).strip()


def _check_labels(grid: Grid, layout: FormLayout) -> None:
    for column, name in enumerate(layout.unit_names, start=at.FIRST_UNIT_COLUMN):
        found = _text_at(grid, at.HEADER_ROW, column)
        if found != name:
            raise ValidationError(
                _(
                    'This column should be headed "{name}" but reads "{found}": columns were '
                    "inserted, deleted or moved. Fill in a freshly exported template."
                ).format(name=name, found=found[:40]),
                where=f"{at.FORM_SHEET}!{cell_ref(at.HEADER_ROW, column)}",
            )
    for row in layout.rows:
        found = _text_at(grid, row.row, at.NAME_COLUMN)
        if found != row.name:
            raise ValidationError(
                _(
                    'This row should be "{name}" but reads "{found}": rows were inserted, '
                    "deleted or moved. Fill in a freshly exported template."
                ).format(name=row.name, found=found[:40]),
                where=f"{at.FORM_SHEET}!{cell_ref(row.row, at.NAME_COLUMN)}",
            )


def _read_cell(
    grid: Grid, layout: FormLayout, row: FormRow, column: int, reading: TemplateReading
) -> None:
    value, data_type = grid.get((row.row, column), (None, "n"))
    if isinstance(value, str) and not value.strip():
        value = None
    ref = cell_ref(row.row, column)
    formula = layout.formula(row, column)
    unit_kind: NumberUnit = "fen" if row.unit == "fen" else "persons"
    negative_ok = unit_kind == "fen" and allows_negative(row.section)
    try:
        if formula is not None:
            if value is None or (data_type == "f" and same_formula(str(value), formula)):
                return
            if data_type == "f":
                raise ValidationError(
                    _(
                        "The formula of this calculated cell was changed ({found}). Restore it "
                        "({formula}) or export a new template."
                    ).format(found=str(value)[:40], formula=formula)
                )
            if not row.computed or column != layout.total_cell(row):
                raise ValidationError(
                    _(
                        "This cell is calculated ({formula}); a figure typed here is not used. "
                        "Restore the formula and enter figures in the white cells."
                    ).format(formula=formula)
                )
            total = read_number(value, unit_kind, negative_ok=negative_ok, data_type=data_type)
            if total is not None:
                reading.provided_totals[row.code] = total
            return
        unit = layout.units[column - at.FIRST_UNIT_COLUMN]
        if layout.is_input(row, unit):
            number = read_number(value, unit_kind, negative_ok=negative_ok, data_type=data_type)
            if number is not None:
                reading.values[Cell(row.code, unit)] = number
        elif value is not None:
            raise ValidationError(
                _(
                    "This cell takes no figure ({line} is not reported for {unit}); leave it empty."
                ).format(line=row.name, unit=layout.unit_names[column - at.FIRST_UNIT_COLUMN])
            )
    except ValidationError as error:
        reading.errors.append(CellError(at.FORM_SHEET, ref, error.message))


def _merged_in_grid(sheet: Any, layout: FormLayout) -> list[str]:
    """Merged ranges that touch the figure cells (title and notes are merged on purpose)."""
    found: list[str] = []
    for text in _merged_ranges(sheet):
        corners = [_REF.fullmatch(part) for part in text.split(":")]
        if not all(corners):
            continue
        columns = [_column_number(match[1]) for match in corners if match]
        rows = [int(match[2]) for match in corners if match]
        touches_rows = min(rows) <= layout.last_row and max(rows) >= at.FIRST_LINE_ROW
        touches_columns = (
            min(columns) <= layout.last_column and max(columns) >= at.FIRST_UNIT_COLUMN
        )
        if touches_rows and touches_columns and text not in found:
            found.append(text)
    return found


def _merged_ranges(sheet: Any) -> list[str]:
    refs: list[str] = []
    tail = b""
    with sheet._get_source() as stream:  # openpyxl keeps the part open on demand only
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            if b"mergeCell" in data:
                refs += [match[1].decode("ascii") for match in _MERGE.finditer(data)]
            tail = data[-512:]
            # a match wholly inside the overlap is found twice: dropped by the caller
    return refs


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
