"""Qt-free row models behind every grid (moneyGuru's `core/gui` pattern).

A screen's controller builds a `TableModel`; one generic Qt adapter (`mibdesk.ui.widgets.table`)
shows any of them. Everything a grid does — what a cell shows, whether it may be edited, what
an edit means and why a value is wrong — is decided here, so it is tested without a window.

Contract of a `TableModel`:

* the shape (`columns`, `row_count()`) changes only between refreshes, never by `set_text`;
* `cell(row, col)` is cheap enough to call for every visible cell and has no side effects;
* `set_text(row, col, text)` validates `text`; on success it stores the value (other cells,
  such as totals, may change with it) and returns None; on failure it changes nothing and
  returns a message for the user;
* ``set_text(row, col, "")`` clears an editable cell;
* for an editable cell, ``set_text(row, col, cell(row, col).display)`` stores the value
  shown again (undo and copy/paste rely on it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_count, format_fen, parse_count, parse_yuan

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Kind = Literal["text", "fen", "count", "date", "datetime", "percent"]
Severity = Literal["", "hard", "soft"]
Issue = tuple[str, Literal["hard", "soft"]]
"""A problem as (message, severity)."""

NUMERIC_KINDS: frozenset[Kind] = frozenset({"fen", "count", "percent"})
"""Kinds shown right-aligned."""


@dataclass(frozen=True)
class Column:
    """One column of a grid: `key` names it for the model, `title` is shown in the header.

    `width_hint` is the preferred width in Chinese characters; 0 means "by kind".
    """

    key: str
    title: str
    kind: Kind
    editable: bool = False
    width_hint: int = 0

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class Cell:
    """What a grid shows in one cell.

    `value` is the stored value (fen as int, dates, Decimal ratios, text, or None when
    empty); `display` the text shown; `computed` marks values derived from others (read-only,
    shaded); `problem` is the reason the value is wrong, given with its `severity` ("hard"
    blocks submission, "soft" asks for a check); both are empty when the value is fine.
    """

    value: object
    display: str
    computed: bool = False
    problem: str = ""
    severity: Severity = ""

    def __post_init__(self) -> None:
        if bool(self.problem) != bool(self.severity):
            raise ValueError("a cell's problem and severity go together")


@dataclass(frozen=True)
class Problem:
    """A cell with a problem, for a problems panel: where, why, how bad."""

    row: int
    col: int
    message: str
    severity: Literal["hard", "soft"]


class TableModel(Protocol):
    """The rows of one grid; see the module docstring for the contract."""

    @property
    def columns(self) -> Sequence[Column]: ...

    def row_count(self) -> int: ...

    def cell(self, row: int, col: int) -> Cell: ...

    def set_text(self, row: int, col: int, text: str) -> str | None: ...

    def is_editable(self, row: int, col: int) -> bool: ...


def collect_problems(model: TableModel) -> list[Problem]:
    """Every cell of `model` with a problem, row by row."""
    found: list[Problem] = []
    for row in range(model.row_count()):
        for col in range(len(model.columns)):
            cell = model.cell(row, col)
            if cell.severity:
                found.append(Problem(row, col, cell.problem, cell.severity))
    return found


def format_value(kind: Kind, value: object) -> str:
    """`value` as shown in a column of `kind`; None is shown as an empty cell.

    fen: int → ``1,234.56``; count: int → ``12,345``; date/datetime → ``2024-05-01`` /
    ``2024-05-01 14:30``; percent: a ratio (Decimal, int or Fraction) → ``12.50%``;
    text: ``str(value)``. A value of the wrong type raises TypeError.
    """
    if value is None:
        return ""
    if kind == "text":
        return str(value)
    if kind == "fen" and isinstance(value, int):
        return format_fen(value)
    if kind == "count" and isinstance(value, int):
        return format_count(value)
    if kind == "date" and isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if kind == "datetime" and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "percent" and isinstance(value, Decimal | int | Fraction):
        ratio = Decimal(value) if not isinstance(value, Fraction) else _fraction_decimal(value)
        return f"{(ratio * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"
    raise TypeError(f"cannot show {type(value).__name__} in a {kind} column")


def parse_value(kind: Kind, text: str) -> object:
    """The value a user means by `text` in a column of `kind` (inverse of `format_value`).

    Empty text (after trimming) means None, except for text columns (""). Raises
    `ValidationError` with a message for the user when `text` is not a valid value.
    """
    text = text.strip()
    if kind == "text":
        return text
    if not text:
        return None
    if kind == "fen":
        return parse_yuan(text)
    if kind == "count":
        return parse_count(text)
    if kind == "percent":
        return _parse_percent(text)
    match = _DATE.fullmatch(text)
    try:
        if match is None or (kind == "date") == bool(match["hour"]):
            raise ValueError(text)
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        if kind == "date":
            return date(year, month, day)
        return datetime(year, month, day, int(match["hour"]), int(match["minute"]))
    except ValueError:
        example = "2024-05-31" if kind == "date" else "2024-05-31 14:30"
        raise ValidationError(
            _("Not a valid date, enter it like {example}").format(example=example)
        ) from None


_DATE = re.compile(
    r"(?P<year>\d{4})[-/.年](?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})日?"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?",
    re.ASCII,
)


def _parse_percent(text: str) -> Decimal:
    """``12.5%``, ``12.5`` or ``12.5％`` → Decimal("0.125")."""
    number = text.removesuffix("%").removesuffix("％").strip()
    try:
        ratio = Decimal(number) / 100
    except InvalidOperation:
        ratio = Decimal("NaN")
    if not ratio.is_finite() or "e" in number.lower():
        raise ValidationError(_("Not a percentage, enter it like 12.5%"))
    return ratio


def _fraction_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


R = TypeVar("R", bound="DataclassInstance")


class ListTableModel(Generic[R]):
    """A `TableModel` over a list of frozen dataclass rows, one attribute per column.

    `attributes` maps a column key to the row attribute it shows (default: the key itself).
    An attribute that is a dataclass field holds data: editable when its column says so.
    Any other attribute (a property) is computed: read-only and shaded. `check(row)` returns
    the row's problems as ``{column key: (message, severity)}``. An edit replaces the row
    with `dataclasses.replace`, so `__post_init__` validation of the row applies too
    (a `ValidationError` there is reported like a parse error).
    """

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[R],
        *,
        attributes: Mapping[str, str] | None = None,
        check: Callable[[R], Mapping[str, Issue]] | None = None,
    ) -> None:
        self._columns = tuple(columns)
        attributes = attributes or {}
        self._attributes = tuple(attributes.get(c.key, c.key) for c in self._columns)
        self._check = check
        self._rows: list[R] = list(rows)
        self._row_problems: dict[int, Mapping[str, Issue]] = {}

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    @property
    def rows(self) -> tuple[R, ...]:
        """The rows as they are now, edits included."""
        return tuple(self._rows)

    def replace_rows(self, rows: Iterable[R]) -> None:
        """Show `rows` instead (after a reload); the adapter must then be refreshed."""
        self._rows = list(rows)
        self._row_problems.clear()

    def row_count(self) -> int:
        return len(self._rows)

    def cell(self, row: int, col: int) -> Cell:
        column, attribute = self._columns[col], self._attributes[col]
        item = self._rows[row]
        value = getattr(item, attribute)
        issue = self._problems_of(row).get(column.key)
        return Cell(
            value=value,
            display=format_value(column.kind, value),
            computed=attribute not in _field_names(type(item)),
            problem=issue[0] if issue else "",
            severity=issue[1] if issue else "",
        )

    def is_editable(self, row: int, col: int) -> bool:
        return self._columns[col].editable and self._attributes[col] in _field_names(
            type(self._rows[row])
        )

    def set_text(self, row: int, col: int, text: str) -> str | None:
        if not self.is_editable(row, col):
            return _("This cell cannot be changed")
        try:
            value = parse_value(self._columns[col].kind, text)
            changed = dataclasses.replace(self._rows[row], **{self._attributes[col]: value})
        except ValidationError as error:
            return error.message
        self._rows[row] = changed
        self._row_problems.pop(row, None)
        return None

    def _problems_of(self, row: int) -> Mapping[str, Issue]:
        if self._check is None:
            return {}
        if row not in self._row_problems:
            self._row_problems[row] = self._check(self._rows[row])
        return self._row_problems[row]


@cache
def _field_names(row_type: type) -> frozenset[str]:
    return frozenset(field.name for field in dataclasses.fields(row_type))
