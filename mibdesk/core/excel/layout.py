"""Where everything sits on the monthly template, shared by its writer and its reader.

The sheet "月报" (`FORM_SHEET`): title, office, notes, a header row (`HEADER_ROW`), then one
row per report line from `FIRST_LINE_ROW`: 行次 (A), 项目 (B), 计量单位 (C), one column per
unit from D (`FIRST_UNIT_COLUMN`; "" = 本级, then townships), and a 合计 column when there is
more than one unit. A cell is

* an input cell: an input line in the 本级 column, or a township line in any unit column;
* a formula cell: a computed line in a unit column where one of its leaf lines is entered,
  and every row's 合计 cell (SUM across the unit columns);
* otherwise a cell that takes no figure (grey).

The veryHidden sheet "_mibdesk" (`HIDDEN_SHEET`) holds the template's identity and this
layout as text rows; `encode`/`decode` turn a `FormLayout` into those rows and back, and the
last row carries a SHA-256 over the others, so an edit to the hidden sheet is detected (a
guard against slips and half-copied sheets, not a signature).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from mibdesk.core.excel.cells import column_letter

FORM_SHEET = "月报"
HIDDEN_SHEET = "_mibdesk"
MARKER = "mibdesk 月报模板"
COUNTY_TOKEN = "本级"
"""How the county's own unit ("") is written in the hidden sheet and the header."""
TITLE_ROW, OFFICE_ROW, NOTE_ROW, HEADER_ROW, FIRST_LINE_ROW = 1, 2, 3, 4, 5
NUMBER_COLUMN, NAME_COLUMN, UNIT_COLUMN, FIRST_UNIT_COLUMN = 1, 2, 3, 4
MAX_HIDDEN_ROWS = 2000
NO_PARTS = "-"
"""Written for an input line's parts: the hidden sheet holds no empty text."""


class LayoutError(ValueError):
    """The hidden sheet does not describe a consistent template."""


@dataclass(frozen=True)
class FormRow:
    """One report line on the form: its sheet row and what the reader needs to know of it."""

    row: int
    code: str
    name: str
    unit: str
    section: str
    township: bool
    parts: tuple[str, ...]

    @property
    def computed(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True)
class FormLayout:
    """The rows and unit columns of one template."""

    rows: tuple[FormRow, ...]
    units: tuple[str, ...]
    unit_names: tuple[str, ...]

    @property
    def total_column(self) -> int | None:
        """The 合计 column, present when there is more than one unit."""
        return FIRST_UNIT_COLUMN + len(self.units) if len(self.units) > 1 else None

    @property
    def last_column(self) -> int:
        return FIRST_UNIT_COLUMN + len(self.units) - (0 if len(self.units) > 1 else 1)

    @property
    def last_row(self) -> int:
        return self.rows[-1].row

    def unit_columns(self) -> list[tuple[int, str]]:
        return [(FIRST_UNIT_COLUMN + index, unit) for index, unit in enumerate(self.units)]

    @cached_property
    def by_code(self) -> dict[str, FormRow]:
        return {row.code: row for row in self.rows}

    def is_input(self, row: FormRow, unit: str) -> bool:
        return not row.computed and (unit == "" or row.township)

    def entered_in(self, row: FormRow, unit: str) -> bool:
        """Whether `row` (or, for a computed row, one of its leaves) takes figures for `unit`."""
        if not row.computed:
            return self.is_input(row, unit)
        return any(self.entered_in(self.by_code[code], unit) for code in row.parts)

    def formula(self, row: FormRow, column: int) -> str | None:
        """Our formula for the cell, or None when the cell holds no formula."""
        if column == self.total_column:
            first = column_letter(FIRST_UNIT_COLUMN)
            last = column_letter(column - 1)
            return f"=SUM({first}{row.row}:{last}{row.row})"
        if not row.computed:
            return None
        unit = self.units[column - FIRST_UNIT_COLUMN]
        if not self.entered_in(row, unit):
            return None
        letter = column_letter(column)
        rows = sorted(self.by_code[code].row for code in row.parts)
        return "=SUM(" + ",".join(_ranges(letter, rows)) + ")"

    def total_cell(self, row: FormRow) -> int:
        """The column whose figure is the county's total for the line."""
        return self.total_column or FIRST_UNIT_COLUMN


def _ranges(letter: str, rows: Sequence[int]) -> list[str]:
    """Runs of consecutive rows as ranges: [5, 6, 7, 9] → D5:D7, D9."""
    runs: list[list[int]] = []
    for number in rows:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [
        f"{letter}{run[0]}:{letter}{run[-1]}" if len(run) > 1 else f"{letter}{run[0]}"
        for run in runs
    ]


def same_formula(found: str, ours: str) -> bool:
    """Formulas equal up to case, spaces and absolute-reference dollars."""

    def normal(text: str) -> str:
        return text.lstrip("=").replace(" ", "").replace("$", "").upper()

    return normal(found) == normal(ours)


def checksum(rows: Sequence[Sequence[str]]) -> str:
    return hashlib.sha256(json.dumps([list(row) for row in rows]).encode()).hexdigest()


def encode(
    identity_fields: Sequence[tuple[str, str]], version: int, layout: FormLayout
) -> list[list[str]]:
    """The hidden sheet's rows: marker and version, identity, units, lines, checksum."""
    rows: list[list[str]] = [[MARKER, str(version)]]
    rows += [[key, value] for key, value in identity_fields]
    rows.append(["units", *(unit or COUNTY_TOKEN for unit in layout.units)])
    rows.append(["unit_names", *layout.unit_names])
    for line in layout.rows:
        rows.append(
            [
                "line",
                str(line.row),
                line.code,
                line.name,
                line.unit,
                line.section,
                "1" if line.township else "0",
                ",".join(line.parts) or NO_PARTS,
            ]
        )
    rows.append(["checksum", checksum(rows)])
    return rows


def decode(rows: list[list[str]]) -> tuple[dict[str, str], FormLayout]:
    """Identity fields and the layout from the hidden sheet's rows (version already read).

    Raises LayoutError when the checksum does not match or the layout is inconsistent.
    """
    if len(rows) < 2 or rows[-1][:1] != ["checksum"] or rows[-1][1:2] != [checksum(rows[:-1])]:
        raise LayoutError("checksum")
    fields: dict[str, str] = {}
    units: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    lines: list[FormRow] = []
    for row in rows[1:-1]:
        key, rest = row[0], row[1:]
        if key == "units":
            units = tuple("" if unit == COUNTY_TOKEN else unit for unit in rest)
        elif key == "unit_names":
            names = tuple(rest)
        elif key == "line" and len(rest) == 7:
            number, code, name, unit, section, township, parts = rest
            if not number.isdigit() or unit not in ("fen", "persons"):
                raise LayoutError(f"line {code}")
            split = tuple(parts.split(",")) if parts != NO_PARTS else ()
            lines.append(FormRow(int(number), code, name, unit, section, township == "1", split))
        elif len(rest) == 1:
            fields[key] = rest[0]
        else:
            raise LayoutError(key)
    layout = FormLayout(tuple(lines), units, names)
    _check_consistent(layout)
    return fields, layout


def _check_consistent(layout: FormLayout) -> None:
    if not layout.rows or not layout.units or len(layout.units) != len(layout.unit_names):
        raise LayoutError("empty")
    if len(set(layout.units)) != len(layout.units):
        raise LayoutError("units")
    expected = list(range(FIRST_LINE_ROW, FIRST_LINE_ROW + len(layout.rows)))
    if [row.row for row in layout.rows] != expected or len(layout.by_code) != len(layout.rows):
        raise LayoutError("rows")
    for row in layout.rows:
        if any(code not in layout.by_code or code == row.code for code in row.parts):
            raise LayoutError(f"parts of {row.code}")
    _check_acyclic(layout)


def _check_acyclic(layout: FormLayout) -> None:
    done: set[str] = set()
    pending = list(layout.rows)
    while pending:
        ready = [row for row in pending if all(code in done for code in row.parts)]
        if not ready:
            raise LayoutError("cycle")
        done.update(row.code for row in ready)
        pending = [row for row in pending if row.code not in done]
