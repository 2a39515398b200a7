"""Years of past figures from one flat sheet (历史数据导入), read with python-calamine.

The sheet has a header row with these columns, in any order, found by name in the first
`HEADER_SEARCH_ROWS` rows of the first sheet that has them (other columns are ignored):

========  =========================================================================
单位代码   the office's 6-digit code, or one of its townships' 9-digit codes
险种       a scheme code (EMP, RES …) or its Chinese name (the profile's or the standard one)
项目代码   a report line code (INC_EMPLOYER …) or the line's Chinese name in that scheme
期间       2024-01, 2024/1, 202401, 2024年1月, or a real Excel date (its month is taken)
数值       persons (whole, ≥ 0) or yuan (two decimals; negative only on income,
           expenditure and balance lines) — the rules of `cells.read_number`
========  =========================================================================

Accepted header aliases are in `HEADERS`. Entirely blank rows are skipped.

`read_history(path, profile, office_code, township_codes)` returns every good row and one
`CellError` per problem (a row with a problem yields no row): unknown unit, scheme or line;
a scheme this city does not pool; a computed line (subtotals and totals are derived, never
imported); a township reporting a line townships do not report; a bad period or value; a
duplicate (unit, scheme, line, month), named with the row it repeats. At most `MAX_ERRORS`
problems are listed. Nothing is written anywhere: the caller diffs and stores.

What calamine cannot tell: it reads the value Excel computed and saved for a formula (a
history sheet may well hold =SUM…; the saved result is what the person saw), and it reads an
error value (#REF! …) or a formula never calculated as an empty cell: such a value is
reported as empty, with a hint that an error or an uncalculated formula looks the same.

Speed: one calamine read of the sheet, then a plain loop with per-value caches (units,
schemes, lines and periods repeat) and an exact float fast path (`cells.float_to_fen`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
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
from mibdesk.core.excel.safety import check_workbook_file, damaged
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month

HEADER_SEARCH_ROWS = 20
MAX_ROWS = 300_000
MAX_ERRORS = 1000
FIELDS = ("unit", "scheme", "line", "period", "value")
HEADERS: dict[str, tuple[str, ...]] = {
    "unit": ("单位代码", "单位编码", "行政区划代码"),
    "scheme": ("险种", "险种代码", "险种名称"),
    "line": ("项目代码", "项目", "项目名称", "报表项目"),
    "period": ("期间", "月份", "所属期", "所属期间", "年月"),
    "value": ("数值", "金额", "数额", "本月数"),
}
_BLANK = (None, "")
_WIDTH = str.maketrans({" ": None, "\u3000": None, "(": "（", ")": "）"})
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


def read_history(
    path: str | os.PathLike[str], profile: Profile, office_code: str, township_codes: set[str]
) -> HistoryReading:
    """Read the history sheet at `path` (see the module docstring); ValidationError refuses it."""
    file = check_workbook_file(path)
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_path(file) as workbook:
            name, table, header_index, columns = _find_table(workbook, file.name)
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise damaged(file, error) from error
    if len(table) - header_index - 1 > MAX_ROWS:
        raise ValidationError(
            _(
                "The sheet has more than {limit} rows. Split it into several workbooks (for "
                "example one per year) and import them one by one."
            ).format(limit=MAX_ROWS),
            where=f"{file.name}：{name}",
        )
    reader = _RowReader(profile, office_code, township_codes)
    return reader.read(name, table, header_index, columns)


def _find_table(workbook: Any, where: str) -> tuple[str, list[list[Any]], int, dict[str, int]]:
    from python_calamine import SheetVisibleEnum

    for meta in workbook.sheets_metadata:
        if meta.visible == SheetVisibleEnum.VeryHidden:
            continue
        table = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
            columns = _header_columns(row)
            if columns is not None:
                return meta.name, table, index, columns
    wanted = "、".join(names[0] for names in HEADERS.values())
    raise ValidationError(
        _(
            "No header row found: one of the first {rows} rows of a sheet must name the columns "
            "{columns}. Add the header row and try again."
        ).format(rows=HEADER_SEARCH_ROWS, columns=wanted),
        where=where,
    )


def _header_columns(row: Iterable[Any]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for column, value in enumerate(row):
        if not isinstance(value, str):
            continue
        text = value.translate(_WIDTH)
        for field, names in HEADERS.items():
            if text in names and field not in found:
                found[field] = column
    return found if len(found) == len(FIELDS) else None


class _RowReader:
    def __init__(self, profile: Profile, office_code: str, townships: set[str]) -> None:
        self.profile = profile
        self.office_code = office_code
        self.townships = townships
        self.units: dict[Any, str] = {}
        self.schemes: dict[Any, str] = {}
        self.lines: dict[tuple[str, Any], _LineInfo] = {}
        self.months: dict[Any, tuple[Month, int]] = {}

    def read(
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
        # The loop is the whole cost beside calamine's read: lookups are cached per raw value,
        # and a float is taken through the exact fast path inline (see cells.float_to_fen).
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
                info = lines.get((scheme, li))
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
        text = raw.translate(_WIDTH) if isinstance(raw, str) else ""
        code = text.upper()
        by_name: dict[str, str] = {name: known for known, name in SCHEMES.items()}
        by_name.update(
            {scheme.name.translate(_WIDTH): scheme.code for scheme in self.profile.schemes}
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
        text = raw.translate(_WIDTH) if isinstance(raw, str) else ""
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
        self.lines[(scheme_code, raw)] = info
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
        if text.upper() == line.code or text == line.name.translate(_WIDTH):
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
