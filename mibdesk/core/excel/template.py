"""The month's fill-in form (月报填报模板): written for a county or its townships, read back.

`write_template(path, identity, scheme, unit_names, values)` writes sheet "月报" (see
`layout` for where everything sits): title, office, amount unit 元, notes, a header row, one
row per report line with one input column per unit of `identity.units` ("" = 本级, then each
township by name) and a 合计 column when there are several units. Input cells are white and
unlocked, with data validation (persons: whole numbers ≥ 0; money: two-place decimals,
negative allowed on income, expenditure and balance lines — corrections are booked as
negative amounts, a balance can be in deficit — and ≥ 0 on contribution bases). Computed
lines are shaded, locked and carry our SUM formulas, so the filler sees subtotals and totals;
cells that take no figure are grey and locked. Existing `values` are prefilled. The sheet and
the workbook structure are protected without a password: the protection guards against
slips, and a password in open code would protect nothing; what counts is that the reader
checks labels, formulas and the hidden layout. Every text we write is a string, never a
formula. The file is written atomically.

`read_template(path, expected)` gates the file (`safety`), refuses a workbook whose hidden
identity is missing or damaged, whose "月报" sheet is missing or renamed, whose rows or
columns were moved, or which is for another office, period, scheme, template version or
township than `expected`; then reads only the mapped cells (rows below or columns right of
the form are never read, so notes or 100,000 stray rows there cost nothing). Cell problems
(text, formulas, errors, dates, negative counts, out-of-range amounts, merged cells, figures
in grey cells, changed formulas) are returned in `errors`, one per cell; a figure typed over
a computed line's total cell is returned in `provided_totals` (our own intact formulas carry
no figure: their results are derived from `values` anyway).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from mibdesk.core.catalog import SchemeProfile
from mibdesk.core.excel.cells import CellError
from mibdesk.core.excel.layout import FIRST_LINE_ROW, FORM_SHEET, FormLayout, FormRow
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month

TEMPLATE_VERSION = 1
"""The layout version written into every template; a template of another version is refused."""

__all__ = [
    "FORM_SHEET",
    "TEMPLATE_VERSION",
    "CellError",
    "TemplateIdentity",
    "TemplateReading",
    "form_layout",
    "read_template",
    "write_template",
]


@dataclass(frozen=True)
class TemplateIdentity:
    """Whose template this is: office, period, scheme, layout version, unit columns."""

    office_code: str
    office_name: str
    period: Month
    scheme: str
    template_version: int
    units: tuple[str, ...]


@dataclass
class TemplateReading:
    """What a filled-in template holds. Blank cells are absent from `values`."""

    identity: TemplateIdentity
    values: dict[Cell, int] = field(default_factory=dict)
    provided_totals: dict[str, int] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


def form_layout(
    scheme: SchemeProfile, units: tuple[str, ...], unit_names: Mapping[str, str]
) -> FormLayout:
    """The layout of `scheme`'s form for `units` (one row per line, in profile order)."""
    rows = tuple(
        FormRow(
            row=FIRST_LINE_ROW + index,
            code=line.code,
            name=line.name,
            unit=line.unit,
            section=line.section,
            township=line.township,
            parts=tuple(line.sum_of),
        )
        for index, line in enumerate(scheme.lines)
    )
    names = tuple("本级" if unit == "" else unit_names.get(unit, unit) for unit in units)
    return FormLayout(rows, units, names)


def write_template(
    path: str | os.PathLike[str],
    identity: TemplateIdentity,
    scheme: SchemeProfile,
    unit_names: Mapping[str, str],
    values: Mapping[Cell, int],
) -> None:
    """Write the fill-in form for `identity` (see the module docstring).

    ValueError (a programming error) when `identity` does not fit `scheme` or
    `TEMPLATE_VERSION`, or when `values` holds a cell that is not an input cell of the form.
    """
    from mibdesk.core.excel.template_writer import build_workbook
    from mibdesk.core.excel.writing import save_atomically

    _check_identity(identity, scheme)
    layout = form_layout(scheme, identity.units, unit_names)
    for cell in values:
        row = layout.by_code.get(cell.line)
        if row is None or cell.unit not in identity.units or not layout.is_input(row, cell.unit):
            raise ValueError(f"{cell} is not an input cell of this template")
    workbook = build_workbook(identity, scheme.name, layout, values)
    save_atomically(workbook, path)


def read_template(
    path: str | os.PathLike[str], expected: TemplateIdentity | None = None
) -> TemplateReading:
    """Read a filled-in template (see the module docstring); ValidationError refuses the file."""
    from mibdesk.core.excel.template_reader import read

    return read(path, expected)


def _check_identity(identity: TemplateIdentity, scheme: SchemeProfile) -> None:
    if identity.scheme != scheme.code:
        raise ValueError(f"identity is for {identity.scheme}, scheme is {scheme.code}")
    if identity.template_version != TEMPLATE_VERSION:
        raise ValueError(f"this program writes template version {TEMPLATE_VERSION}")
    if not (len(identity.office_code) == 6 and identity.office_code.isdigit()):
        raise ValueError(f"office code {identity.office_code!r} is not 6 digits")
    if not identity.units or len(set(identity.units)) != len(identity.units):
        raise ValueError(f"units must be unique and not empty: {identity.units!r}")
    for unit in identity.units:
        if unit and not (len(unit) == 9 and unit.isascii() and unit.isdigit()):
            raise ValueError(f"township code {unit!r} is not 9 digits")
