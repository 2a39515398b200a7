"""The settlement screen's grids, without Qt: the worksheet (a row per county and scheme:
figures from the reports read-only and shaded, what the city types editable and checked as
typed), the pooled funds (a row per scheme), and the results and working as text rows.

Typed values are kept as pending edits (`edits`, the keys of `services.city.settlement`)
until the screen saves them; each is checked with `check_entry` as it is typed, so a refused
value is never kept and its message names the county, the scheme and the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.repos.settlement import EntryKey
from mibdesk.core.rules.settlement import CountySettlement, SettlementResult
from mibdesk.core.services.city.settlement import (
    GRADE,
    POOLED,
    Worksheet,
    check_entry,
)
from mibdesk.core.table import Cell, Column, format_value, parse_value

Edits = dict[EntryKey, int | str | None]


def _columns(sheet: Worksheet) -> tuple[Column, ...]:
    columns = [
        Column("county", _("County"), "text", width_hint=17),
        Column("scheme", _("Scheme"), "text", width_hint=5),
        Column("months", _("Monthly reports"), "text", width_hint=7),
    ]
    if sheet.uses_grade:
        columns.append(Column(GRADE, _("Assessment grade"), "text", True, 6))
    columns += [
        Column("income", _("Fund income"), "fen"),
        Column("expenditure", _("Fund expenditure"), "fen"),
        Column("result", _("Surplus (deficit −)"), "fen"),
        Column("balance", _("Accumulated balance"), "fen", True),
        Column("county_caused", _("Deficit the county caused"), "fen", True),
    ]
    if sheet.uses_reserve:
        columns.append(Column("risk_reserve", _("Risk reserve"), "fen", True))
    return tuple(columns)


class WorksheetTable:
    """A `TableModel`: one row per county and scheme of `sheet`; edits go to `edits`."""

    def __init__(self, profile: Profile, sheet: Worksheet, edits: Edits) -> None:
        self.profile, self.sheet, self.edits = profile, sheet, edits
        self._columns = _columns(sheet)
        self.rows = [(county, scheme) for county in sheet.counties for scheme in sheet.schemes]
        self.locked = sheet.status == "final"

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    def row_count(self) -> int:
        return len(self.rows)

    def key(self, row: int, col: int) -> EntryKey | None:
        """The stored value a cell stands for (None: a cell from the reports)."""
        county, scheme = self.rows[row]
        field = self._columns[col].key
        if field == GRADE:
            return (county.code, "", GRADE)
        if self._columns[col].editable:
            return (county.code, scheme, field)
        return None

    def is_editable(self, row: int, col: int) -> bool:
        return not self.locked and self.key(row, col) is not None

    def cell(self, row: int, col: int) -> Cell:
        county, scheme = self.rows[row]
        column = self._columns[col]
        figures = county.schemes[scheme]
        key = self.key(row, col)
        if key is not None:
            stored = county.grade if column.key == GRADE else getattr(figures, column.key)
            value = self.edits.get(key, stored)
            return Cell(value, format_value(column.kind, value))
        if column.key == "county":
            return Cell(county.code, f"{county.name}（{county.code}）", computed=True)
        if column.key == "scheme":
            return Cell(scheme, scheme, computed=True)
        if column.key == "months":
            return self._months(figures.months, figures.missing_months)
        value = getattr(figures, column.key)
        return Cell(value, format_value("fen", value), computed=True)

    def _months(self, months: tuple[int, ...], missing: tuple[int, ...]) -> Cell:
        if not missing:
            return Cell(12, _("all 12"), computed=True)
        problem = _("the reports of month(s) {months} of {year} have not arrived").format(
            months="、".join(str(m) for m in missing), year=self.sheet.year
        )
        shown = _("{n} of 12").format(n=len(months))
        return Cell(len(months), shown, computed=True, problem=problem, severity="hard")

    def set_text(self, row: int, col: int, text: str) -> str | None:
        key = self.key(row, col)
        if key is None or self.locked:
            return _("This cell cannot be changed")
        kind = self._columns[col].kind
        try:
            value = text.strip() or None if kind == "text" else parse_value(kind, text)
            if not isinstance(value, int | str | None):
                raise ValidationError(_("not an amount"))
            self.edits[key] = check_entry(self.profile, self.sheet, key, value)
        except ValidationError as error:
            return error.message
        return None


class PooledTable:
    """A `TableModel`: the pooled fund before settlement, one row per scheme."""

    def __init__(self, profile: Profile, sheet: Worksheet, edits: Edits) -> None:
        self.profile, self.sheet, self.edits = profile, sheet, edits
        self.names: dict[str, str] = {s.code: s.name for s in profile.schemes}
        self._columns = (
            Column("scheme", _("Scheme"), "text", width_hint=16),
            Column(POOLED, _("Pooled fund before settlement"), "fen", True),
        )

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    def row_count(self) -> int:
        return len(self.sheet.schemes)

    def is_editable(self, row: int, col: int) -> bool:
        return col == 1 and self.sheet.status != "final"

    def cell(self, row: int, col: int) -> Cell:
        scheme = self.sheet.schemes[row]
        if col == 0:
            return Cell(scheme, f"{self.names.get(scheme, scheme)}（{scheme}）", computed=True)
        value = self.edits.get(("", scheme, POOLED), self.sheet.pooled.get(scheme))
        return Cell(value, format_value("fen", value))

    def set_text(self, row: int, col: int, text: str) -> str | None:
        if not self.is_editable(row, col):
            return _("This cell cannot be changed")
        key = ("", self.sheet.schemes[row], POOLED)
        try:
            value = parse_value("fen", text)
            assert value is None or isinstance(value, int)
            self.edits[key] = check_entry(self.profile, self.sheet, key, value)
        except ValidationError as error:
            return error.message
        return None


def result_columns() -> tuple[str, ...]:
    return (
        _("Scheme"),
        _("County"),
        _("Surplus (deficit −)"),
        _("Surplus to the pooled fund"),
        _("Surplus kept"),
        _("County-caused (county finance)"),
        _("From the balance"),
        _("From the risk reserve"),
        _("Pooled fund"),
        _("County finance"),
        _("City finance"),
        _("Remitted to city finance"),
    )


def result_rows(result: SettlementResult) -> list[tuple[CountySettlement, tuple[str, ...]]]:
    """Per scheme per county: the settlement and its cells (amounts in yuan)."""
    rows = []
    for scheme in result.schemes:
        for c in scheme.counties:
            amounts = (
                c.result,
                c.surplus_to_pool,
                c.surplus_kept,
                c.county_caused,
                c.from_balance,
                c.from_reserve,
                c.pooled_fund,
                c.county_finance,
                c.city_finance,
                c.remit_to_city,
            )
            cells = (scheme.scheme, f"{c.name}（{c.county}）", *map(format_fen, amounts))
            rows.append((c, cells))
    return rows


def pooled_lines(result: SettlementResult, names: Mapping[str, str]) -> list[str]:
    """One sentence per scheme: the pooled fund's account."""
    lines = []
    for s in result.schemes:
        text = _(
            "{name}: pooled fund {before} + surpluses {surplus} − drawn {drawn} = {after}"
        ).format(
            name=names.get(s.scheme, s.scheme),
            before=format_fen(s.pooled_before),
            surplus=format_fen(s.surplus_in),
            drawn=format_fen(s.pooled_drawn),
            after=format_fen(s.pooled_after),
        )
        if s.exhausted:
            text += _("; the pooled fund ran out: it paid {drawn} of {demand} asked").format(
                drawn=format_fen(s.pooled_drawn), demand=format_fen(s.pooled_demand)
            )
        lines.append(text)
    return lines


def working_columns() -> tuple[str, ...]:
    return (_("Step"), _("Amount (yuan)"), _("Rule"), _("Source"))


def working_rows(county: CountySettlement) -> list[tuple[str, ...]]:
    return [
        (s.label, "" if s.amount is None else format_fen(s.amount), s.rule, s.source)
        for s in county.working
    ]
