"""What every workbook we write shares: safe text, exact numbers, styles, atomic saving.

Contracts:
* `put_text` writes a string cell, never a formula, whatever the text starts with
  (``=``, ``+``, ``-``, ``@``): its type is forced to string and, for those leading
  characters, the quote prefix is set so that editing the cell in Excel keeps it text.
* `put_number` writes fen as the exact two-place decimal text (``1234.56`` in the XML; not
  openpyxl's ``%.16g`` of a float, see `put_exact`) and persons as an int.
* `save_atomically` writes to a temporary file in the target folder, fsyncs it, and renames
  it over the target: the target is either the old file or the complete new one. A failure
  raises `UserError` naming the file, and leaves no temporary file behind.

openpyxl is imported only inside the functions that need it (start-up rule).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from mibdesk.core.errors import UserError
from mibdesk.core.excel.cells import column_letter
from mibdesk.core.i18n import _
from mibdesk.core.money import fen_to_decimal
from mibdesk.core.rules.working import Step

MONEY_FORMAT = "#,##0.00"
PERSONS_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
FORMULA_LEADS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
"""Leading characters that make Excel/WPS read typed text as a formula."""

GREY = "D9D9D9"
"""Cells that take no figure."""
SHADE = "EDEDED"
"""Computed rows (subtotals, totals)."""
HEADER = "DDEBF7"


def put_text(cell: Any, text: str) -> None:
    """Write `text` into an openpyxl cell as a string (never a formula)."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_LEADS):
        cell.quotePrefix = True


def put_number(cell: Any, value: int, unit: str) -> None:
    """Write fen (``unit == "fen"``) as an exact two-place Decimal, persons as an int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"figures are int fen or persons, not {type(value).__name__}")
    if unit == "fen":
        put_exact(cell, fen_to_decimal(value))
        cell.number_format = MONEY_FORMAT
    else:
        put_exact(cell, value)
        cell.number_format = PERSONS_FORMAT


def put_exact(cell: Any, number: Decimal | int) -> None:
    """Write a number cell whose XML text is exactly `number` (``1234.56``, ``0.10``).

    openpyxl formats numbers with ``"%.16g"``, which goes through a float: 952547762549.43
    would be stored as 952547762549.4301. Its writer passes text through unchanged, so the
    exact decimal text replaces the value after the cell has been typed as a number.
    """
    if isinstance(number, bool) or not isinstance(number, int | Decimal):
        raise TypeError(f"expected int or Decimal, not {type(number).__name__}")
    if isinstance(number, Decimal) and not number.is_finite():
        raise ValueError(f"not a finite number: {number}")
    cell.value = number
    cell._value = format(number, "f") if isinstance(number, Decimal) else str(number)


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique worksheet name from `text` (31 characters, no []:*?/\\)."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in text).strip("'") or "Sheet"
    title = cleaned[:31]
    number = 2
    while title.lower() in {name.lower() for name in taken}:
        suffix = f"({number})"
        title = cleaned[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(title)
    return title


def a4_landscape(sheet: Any, title_rows: str) -> None:
    """Print setup: A4 landscape, one page wide, `title_rows` (e.g. ``"4:4"``) on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def sheet_heading(
    sheet: Any, title: str, subtitle: str, headers: Sequence[str], header_row: int
) -> None:
    """`title` (large, bold, merged across the headers) in row 1, `subtitle` in row 2, and
    `headers` in `header_row`: bold on the header colour, bordered, centred and wrapped."""
    from openpyxl.styles import Alignment, Font

    put_text(sheet.cell(1, 1), title)
    sheet.cell(1, 1).font = Font(size=16, bold=True)
    sheet.merge_cells(f"A1:{column_letter(len(headers))}1")
    put_text(sheet.cell(2, 1), subtitle)
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(header_row, column)
        put_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = fill(HEADER)
        cell.border = thin_border()
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def put_totals(sheet: Any, row: int, sums: Sequence[int], first: int, style: str) -> None:
    """A bold, shaded 合计 row: the columns before `first` as labels ("合计" in column 2),
    `sums` (fen) from column `first` on; `style` names its named styles."""
    money = cell_style(sheet.parent, style, number_format=MONEY_FORMAT, bold=True, shade=SHADE)
    label = cell_style(sheet.parent, f"{style}文字", bold=True, shade=SHADE)
    for column in range(1, first):
        sheet.cell(row, column).style = label
    put_text(sheet.cell(row, 2), "合计")
    for column, total in enumerate(sums, start=first):
        cell = sheet.cell(row, column)
        cell.style = money
        put_number(cell, total, "fen")


def put_step(sheet: Any, row: int, texts: Sequence[str], step: Step) -> None:
    """A line of working in `row`: `texts` (who), then the step, amount, rule and source."""
    for column, value in enumerate((*texts, step.label), start=1):
        put_text(sheet.cell(row, column), value)
    amount = len(texts) + 2
    if step.amount is not None:
        put_number(sheet.cell(row, amount), step.amount, "fen")
    put_text(sheet.cell(row, amount + 1), step.rule)
    put_text(sheet.cell(row, amount + 2), step.source)


def finish_sheet(sheet: Any, widths: Sequence[int], header_row: int, frozen: int) -> None:
    """Column `widths`, panes frozen below `header_row` and right of the first `frozen`
    columns, A4 landscape with the header row on every page."""
    for column, size in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(column)].width = size
    sheet.freeze_panes = sheet.cell(header_row + 1, frozen + 1)
    a4_landscape(sheet, f"{header_row}:{header_row}")


def cell_style(
    workbook: Any,
    name: str,
    *,
    number_format: str = "General",
    bold: bool = False,
    shade: str = "",
    locked: bool = True,
    horizontal: str | None = None,
    indent: int = 0,
) -> str:
    """Register (once) a named cell style with a thin border and return its name.

    Styling cell by cell makes openpyxl hash every font, fill and border object again; a
    named style is set in one step, which makes a form with a few thousand cells ~5× faster.
    """
    from openpyxl.styles import Alignment, Font, NamedStyle, Protection

    if name not in workbook.named_styles:
        style = NamedStyle(name=name)
        style.font = Font(name="Calibri", sz=11, family=2, scheme="minor", b=bold)
        if shade:
            style.fill = fill(shade)
        style.border = thin_border()
        style.alignment = Alignment(horizontal=horizontal, indent=indent)
        style.protection = Protection(locked=locked)
        style.number_format = number_format
        workbook.add_named_style(style)
    return name


def fill(color: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color=color, end_color=color)


def thin_border() -> Any:
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color="808080")
    return Border(left=side, right=side, top=side, bottom=side)


def save_atomically(workbook: Any, path: str | os.PathLike[str]) -> None:
    """Save an openpyxl workbook to `path` through a temporary file and a rename."""
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise _cannot_write(target, error) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            workbook.save(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _cannot_write(target, error) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _cannot_write(target: Path, error: OSError) -> UserError:
    return UserError(
        _(
            "The workbook cannot be written ({reason}). Close it if it is open in Excel/WPS, or "
            "choose another folder, and try again."
        ).format(reason=error.strerror or type(error).__name__),
        where=str(target),
    )
