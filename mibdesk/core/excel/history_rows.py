"""The rows of a history sheet → `HistoryRow`s and `CellError`s (see `history` for the format).

`RowReader` resolves each distinct raw value once (units, schemes, lines and periods repeat
over thousands of rows) and reads row by row: blank rows are skipped, every problem is
reported with its cell (at most `MAX_ERRORS`), a row with a problem yields no figure.

Values: a float is exact when it is the double nearest a two-decimal amount (``n / 100 == v``
for ints is correctly rounded); anything else goes through `cells.read_number`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, NamedTuple

from mibdesk.core.catalog import Profile, SchemeProfile
from mibdesk.core.catalog.profile import Line
from mibdesk.core.catalog.schemes import SCHEMES
from mibdesk.core.errors import ValidationError
from mibdesk.core.excel.cells import (
    CellError,
    allows_negative,
    cell_ref,
    excel_decimal,
    read_number,
)
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month

MAX_ERRORS = 1000
FIELDS = ("unit", "scheme", "line", "period", "value")
_BLANK = (None, "")
NAME_FOLD = str.maketrans(  # names compared without spaces, with full-width brackets
    {" ": None, "\u3000": None, "(": "（", ")": "）"}
)
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


class HistoryRow(NamedTuple):
    """One past figure: fen or persons for (unit, scheme, line, month); `row` is its sheet row."""

    unit: str
    scheme: str
    line: str
    month: Month
    value: int
    row: int


class HistoryReading(NamedTuple):
    rows: list[HistoryRow]
    errors: list[CellError]
    sheet: str


class _Bad(Exception):
    """A problem with one field of one row: the column it is in and the message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class _LineInfo(NamedTuple):
    code: str
    money: bool
    negative_ok: bool
    township: bool


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while rows are built.

    Building 50,000 rows allocates a few hundred thousand tuples, each of which counts towards
    a collection, and every collection walks the whole sheet held in memory: half of the
    time went there. Nothing built here forms a cycle; reference counting frees it as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class RowReader:
    """Resolves raw cell values (cached per distinct value) and reads the rows of one sheet."""

    def __init__(self, profile: Profile, office_code: str, townships: set[str]) -> None:
        self.profile = profile
        self.office_code = office_code
        self.townships = townships
        self.units: dict[Any, str] = {}
        self.schemes: dict[Any, str] = {}
        self.lines: dict[str, dict[Any, _LineInfo]] = {code: {} for code in profile.scheme_codes}
        self.months: dict[Any, tuple[Month, int]] = {}

    def read(
        self, sheet: str, table: list[list[Any]], header: int, columns: dict[str, int]
    ) -> HistoryReading:
        """The figures below the header row `header` (0-based) of `table`; blank rows skipped."""
        with _collector_paused():
            return self._read(sheet, table, header, columns)

    def _read(
        self, sheet: str, table: list[list[Any]], header: int, columns: dict[str, int]
    ) -> HistoryReading:
        cu, cs, cl, cp, cv = (columns[field] for field in FIELDS)
        width = max(columns.values()) + 1
        rows: list[HistoryRow] = []
        errors: list[CellError] = []
        seen: dict[tuple[str, str, str, int], int] = {}
        units, schemes, lines, months = self.units, self.schemes, self.lines, self.months
        office = self.office_code
        new_row = tuple.__new__
        # The loop is the whole cost beside calamine's read: lookups are cached per distinct
        # raw value, and a float takes the exact fast path inline (see cells.float_to_fen).
        for number, cells in enumerate(table[header + 1 :], start=header + 2):
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            u, s, li, p, v = cells[cu], cells[cs], cells[cl], cells[cp], cells[cv]
            try:
                unit = units.get(u)
                if unit is None:
                    if u in _BLANK and s in _BLANK and li in _BLANK and p in _BLANK and v in _BLANK:
                        continue
                    unit = self._unit(u)
                scheme = schemes.get(s)
                if scheme is None:
                    scheme = self._scheme(s)
                info = lines[scheme].get(li)
                if info is None:
                    info = self._line(scheme, li)
                if unit != office and not info.township:
                    raise _Bad("line", self._not_township_message(scheme, info.code))
                period = months.get(p)
                if period is None:
                    period = self._month(p)
                value = None
                if type(v) is float and -1e12 < v < 1e12:
                    if info.money:
                        fen = round(v * 100)
                        if fen / 100 == v and (fen >= 0 or info.negative_ok):
                            value = fen
                    elif v >= 0 and v.is_integer():
                        value = int(v)
                if value is None:
                    value = self._value(v, info)
                first = seen.setdefault((unit, scheme, info.code, period[1]), number)
                if first != number:
                    raise _Bad(
                        "unit",
                        _(
                            "Row {row} repeats row {first} (same unit, scheme, line and period). "
                            "Keep one of them."
                        ).format(row=number, first=first),
                    )
                rows.append(
                    new_row(HistoryRow, (unit, scheme, info.code, period[0], value, number))
                )
            except _Bad as bad:
                column = {"unit": cu, "scheme": cs, "line": cl, "period": cp, "value": cv}
                errors.append(
                    CellError(sheet, cell_ref(number, column[bad.field] + 1), bad.message)
                )
                if len(errors) >= MAX_ERRORS:
                    errors.append(self._stopped(sheet, number))
                    break
        return HistoryReading(rows, errors, sheet)

    @staticmethod
    def _stopped(sheet: str, number: int) -> CellError:
        message = _("Reading stopped after {count} problems; correct these and import again.")
        return CellError(sheet, str(number), message.format(count=MAX_ERRORS))

    def _unit(self, raw: Any) -> str:
        text = _code_text(raw)
        if text == self.office_code or text in self.townships:
            self.units[raw] = text  # every calamine value is hashable; no valid code == True
            return text
        raise _Bad(
            "unit",
            _(
                "Unit code {code} is neither this office ({office}) nor one of its townships. "
                "Correct the code."
            ).format(code=_shown(raw), office=self.office_code),
        )

    def _scheme(self, raw: Any) -> str:
        text = raw.translate(NAME_FOLD) if isinstance(raw, str) else ""
        code = text.upper()
        by_name: dict[str, str] = {name: known for known, name in SCHEMES.items()}
        by_name.update(
            {scheme.name.translate(NAME_FOLD): scheme.code for scheme in self.profile.schemes}
        )
        code = code if code in SCHEMES else by_name.get(text, "")
        if not code:
            raise _Bad(
                "scheme",
                _(
                    "Unknown scheme {scheme}: write its code (such as EMP or RES) or its name."
                ).format(scheme=_shown(raw)),
            )
        if code not in self.profile.scheme_codes:
            raise _Bad(
                "scheme",
                _(
                    "Scheme {scheme} is not pooled in {city}; its figures cannot be imported."
                ).format(scheme=code, city=self.profile.name),
            )
        if isinstance(raw, str):
            self.schemes[raw] = code
        return code

    def _line(self, scheme_code: str, raw: Any) -> _LineInfo:
        scheme = self.profile.scheme(scheme_code)
        text = raw.translate(NAME_FOLD) if isinstance(raw, str) else ""
        line = _find_line(scheme, text)
        if line is None:
            raise _Bad(
                "line",
                _(
                    "Scheme {scheme} has no report line {line}. Write the line code or its name."
                ).format(scheme=scheme_code, line=_shown(raw)),
            )
        if line.computed:
            raise _Bad(
                "line",
                _(
                    "{line} is a subtotal or total, calculated from its parts: it is not "
                    "imported. Delete the row or import the parts instead."
                ).format(line=line.name),
            )
        info = _LineInfo(
            line.code,
            line.unit == "fen",
            line.unit == "fen" and allows_negative(line.section),
            line.township,
        )
        self.lines[scheme_code][raw] = info
        return info

    def _not_township_message(self, scheme: str, code: str) -> str:
        name = self.profile.scheme(scheme).line(code).name
        return _(
            "Townships do not report {line}; only the office itself does. Use code {office}."
        ).format(line=name, office=self.office_code)

    def _month(self, raw: Any) -> tuple[Month, int]:
        try:
            if isinstance(raw, datetime | date):
                month = Month.of(raw)
            elif isinstance(raw, float) and raw.is_integer():
                month = Month.parse(format(raw, ".15g"))
            elif isinstance(raw, str) and raw.strip():
                month = Month.parse(raw)
            else:
                raise ValidationError(_("The period is empty: write it as 2024-01."))
        except ValidationError as error:
            raise _Bad("period", error.message) from error
        entry = (month, month.year * 100 + month.month)  # an int key hashes in C
        self.months[raw] = entry
        return entry

    def _value(self, raw: Any, info: _LineInfo) -> int:
        try:
            value = read_number(
                raw, "fen" if info.money else "persons", negative_ok=info.negative_ok
            )
        except ValidationError as error:
            raise _Bad("value", error.message) from error
        if value is None:
            raise _Bad(
                "value",
                _(
                    "The value is empty. Enter the figure (0 if there was none). A cell showing "
                    "an error such as #REF! or an uncalculated formula also reads as empty."
                ),
            )
        return value


def _find_line(scheme: SchemeProfile, text: str) -> Line | None:
    for line in scheme.lines:
        if text.upper() == line.code or text == line.name.translate(NAME_FOLD):
            return line
    return None


def _code_text(raw: Any) -> str:
    if isinstance(raw, float):
        return format(excel_decimal(raw), "f") if raw.is_integer() else repr(raw)
    if isinstance(raw, int):
        return str(raw)
    return str(raw).strip().translate(_DIGITS) if isinstance(raw, str) else ""


def _shown(raw: Any) -> str:
    text = format(raw, ".15g") if isinstance(raw, float) else "" if raw is None else str(raw)
    return text if len(text) <= 40 else text[:40] + "…"
