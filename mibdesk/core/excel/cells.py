"""One workbook cell → fen or persons, or a reason why not (no openpyxl needed here).

Contract of `read_number(value, unit, negative_ok=…, data_type=…)`:

* returns None for a blank cell (None, or text that is only whitespace): blank means "not
  reported", never zero;
* returns an int: fen for ``unit == "fen"``, whole persons for ``unit == "persons"``;
* raises `ValidationError` (message only; the caller adds sheet and cell) for a formula
  (``data_type == "f"`` or text starting with ``=``), an Excel error value (``#REF!``,
  ``#DIV/0!``, ``#N/A`` …), a date or time, TRUE/FALSE, text that `parse_yuan` /
  `parse_count` refuse, an amount of 10¹² yuan or more, a negative amount where
  `negative_ok` is false, and a negative, fractional or too large head count.

Numbers stored by Excel are binary doubles. Excel works with 15 significant digits: it
shows a double in the formula bar, and compares and rounds it, at that precision. A number
cell is therefore read as its 15-significant-digit decimal (``format(v, ".15g")``) and then
parsed exactly with `parse_yuan`: 1234.56 → 123456 fen; a pasted computed value
1234.5600000000002 (shown by Excel as 1234.56 everywhere) → 123456 fen; 1234.565 is refused
as having more than two decimals. Every amount below 10¹² yuan with two decimals has at most
14 significant digits, so nothing a person can type is lost. The float is only formatted or
compared, never used in arithmetic that produces the amount.

Text numbers follow `parse_yuan` / `parse_count`: full-width digits (１２３４．５６), thousands
separators in correct groups (1,234.56 or 1，234.56) and a leading ¥ are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import MAX_COUNT, MAX_FEN, format_fen, parse_count, parse_yuan

NumberUnit = Literal["fen", "persons"]

EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#BUSY!",
        "#CONNECT!",
        "#PYTHON!",
    }
)
"""The error values Excel and WPS show in a cell."""

NEGATIVE_SECTIONS = frozenset({"income", "expenditure", "balance"})
"""Sections whose amounts may be negative: a month's correction (冲减, 退费) is booked as a
negative income or expenditure, and an accumulated balance can be in deficit. Contribution
bases and head counts never are."""

_SHOWN = 40


@dataclass(frozen=True)
class CellError:
    """A problem with one cell (or one row): sheet name, cell reference, message."""

    sheet: str
    ref: str
    message: str

    @property
    def where(self) -> str:
        """The cell as Excel names it: ``月报!D12``."""
        return f"{self.sheet}!{self.ref}"

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


def allows_negative(section: str) -> bool:
    """Whether an amount on a line of `section` may be negative (see NEGATIVE_SECTIONS)."""
    return section in NEGATIVE_SECTIONS


def column_letter(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA (1-based column numbers)."""
    if column < 1:
        raise ValueError(f"column {column} < 1")
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """The A1-style reference of a 1-based (row, column): (12, 4) → ``D12``."""
    return f"{column_letter(column)}{row}"


def read_number(
    value: object,
    unit: NumberUnit,
    *,
    negative_ok: bool = False,
    data_type: str | None = None,
) -> int | None:
    """The cell's figure (see the module docstring); None when blank."""
    if data_type == "f":
        raise ValidationError(
            _("The cell holds a formula ({formula}): enter the figure itself.").format(
                formula=_shown(str(value))
            )
        )
    if data_type == "e":
        raise ValidationError(
            _("The cell shows the error {code}: enter the figure itself.").format(
                code=_shown(str(value))
            )
        )
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("The cell holds TRUE/FALSE, not a number."))
    if isinstance(value, datetime | date | time | timedelta):
        raise ValidationError(
            _(
                "The cell holds a date or time ({value}), not a number: format the cell as a "
                "number and enter the figure again."
            ).format(value=value)
        )
    if isinstance(value, str):
        return _read_text(value, unit, negative_ok)
    if isinstance(value, int | float | Decimal):
        return _read_numeric(value, unit, negative_ok)
    raise ValidationError(
        _("The cell holds a value this program cannot read ({kind}).").format(
            kind=type(value).__name__
        )
    )


def float_to_fen(value: float) -> int | None:
    """Fast exact path: the fen of `value` if it is the double nearest a two-decimal amount.

    ``n / 100`` of ints is correctly rounded in Python, so ``n / 100 == value`` holds exactly
    when `value` is what Excel stores for the typed amount n/100. None otherwise (the caller
    then takes the 15-digit path of `read_number`).
    """
    if not -1e12 < value < 1e12:
        return None
    candidate = round(value * 100)
    return candidate if candidate / 100 == value and -MAX_FEN < candidate < MAX_FEN else None


def float_to_count(value: float) -> int | None:
    """Fast exact path for head counts: a whole, non-negative, in-range double; else None."""
    if 0 <= value < MAX_COUNT and value.is_integer():
        return int(value)
    return None


def excel_decimal(value: float) -> Decimal:
    """A double as Excel shows it at full precision: 15 significant digits, exactly."""
    return Decimal(format(value, ".15g"))


def _read_numeric(value: float | Decimal, unit: NumberUnit, negative_ok: bool) -> int:
    if unit == "persons":
        if isinstance(value, int):
            return parse_count(value)
        number = excel_decimal(value) if isinstance(value, float) else value
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError(
                _("Not a whole number of persons: {text}").format(text=_shown(str(number)))
            )
        return parse_count(int(number))
    if isinstance(value, float):
        fast = float_to_fen(value)
        fen = fast if fast is not None else parse_yuan(excel_decimal(value))
    else:
        fen = parse_yuan(value)
    return _signed(fen, negative_ok)


def _read_text(text: str, unit: NumberUnit, negative_ok: bool) -> int | None:
    stripped = text.strip().replace("\u3000", "")
    if not stripped:
        return None
    if stripped.startswith(("=", "＝")):
        raise ValidationError(
            _(
                "The cell holds a formula written as text ({formula}): enter the figure itself."
            ).format(formula=_shown(stripped))
        )
    if stripped.upper() in EXCEL_ERRORS:
        raise ValidationError(
            _("The cell shows the error {code}: enter the figure itself.").format(
                code=stripped.upper()
            )
        )
    if unit == "persons":
        return parse_count(stripped)
    return _signed(parse_yuan(stripped), negative_ok)


def _signed(fen: int, negative_ok: bool) -> int:
    if fen < 0 and not negative_ok:
        raise ValidationError(
            _("This amount cannot be negative: {amount}. Enter it as a positive figure.").format(
                amount=format_fen(fen)
            )
        )
    return fen


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
