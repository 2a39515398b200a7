"""The quota screen's two grids as `TableModel`s (see mibdesk/core/table.py).

`AmountTable`: one row per registered county (name, code, quota issued so far, plans the city
approved, the amount typed for this allocation), then 合计 (computed). Amounts are yuan as
typed ("1,234.56"), kept as fen; an annual quota takes no amount below zero, an adjustment
does. `check(budget)` is the rule's `SumCheck` ("差 X 元"), for the live difference.

`FactorTable`: the weighted split's factors as columns, row 0 their weights in percent, then
one row per county with its value of each factor (persons, yuan, a ratio: any number ≥ 0).
`factors()` turns the grid into the rule's `Factor`s, refusing an empty cell by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen, parse_yuan
from mibdesk.core.rules.allocation import Factor, SumCheck, check_sum
from mibdesk.core.table import Cell, Column

NAME, CODE = 0, 1
MONEY_WIDTH = 10  # Chinese characters: a budget of hundreds of millions, with separators
ISSUED, APPROVED, AMOUNT = 2, 3, 4


class AmountTable:
    """Counties × (issued, approved, amount); the last row sums them."""

    def __init__(
        self,
        counties: Mapping[str, str],
        issued: Mapping[str, int],
        approved: Mapping[str, int],
        *,
        negative_ok: bool,
    ) -> None:
        self.codes = sorted(counties)
        self._names = dict(counties)
        self._issued, self._approved = dict(issued), dict(approved)
        self.negative_ok = negative_ok
        self.amounts: dict[str, int | None] = dict.fromkeys(self.codes)
        self._columns = (
            Column("name", _("County"), "text", width_hint=10),
            Column("code", _("Division code"), "text", width_hint=5),
            Column("issued", _("Quota issued (yuan)"), "fen", width_hint=MONEY_WIDTH),
            Column("approved", _("Plans approved (yuan)"), "fen", width_hint=MONEY_WIDTH),
            Column("amount", _("Amount (yuan)"), "fen", editable=True, width_hint=MONEY_WIDTH),
        )

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    def row_count(self) -> int:
        return len(self.codes) + 1

    def is_editable(self, row: int, col: int) -> bool:
        return col == AMOUNT and row < len(self.codes)

    def cell(self, row: int, col: int) -> Cell:
        if row == len(self.codes):
            return self._total_cell(col)
        code = self.codes[row]
        if col == NAME:
            return Cell(self._names[code], self._names[code])
        if col == CODE:
            return Cell(code, code)
        value = {
            ISSUED: self._issued.get(code),
            APPROVED: self._approved.get(code),
            AMOUNT: self.amounts[code],
        }[col]
        return Cell(value, "" if value is None else format_fen(value), computed=col != AMOUNT)

    def _total_cell(self, col: int) -> Cell:
        if col == NAME:
            return Cell(_("Total"), _("Total"), computed=True)
        if col == CODE:
            return Cell("", "", computed=True)
        source: Mapping[str, int | None] = (
            self.amounts if col == AMOUNT else self._issued if col == ISSUED else self._approved
        )
        total = sum(source.get(code) or 0 for code in self.codes)
        return Cell(total, format_fen(total), computed=True)

    def set_text(self, row: int, col: int, text: str) -> str | None:
        if not self.is_editable(row, col):
            return _("This cell cannot be changed")
        try:
            fen = parse_yuan(text) if text.strip() else None
        except ValidationError as error:
            return error.message
        if fen is not None and fen < 0 and not self.negative_ok:
            return _("A quota is not below zero; a reduction is a budget adjustment.")
        self.amounts[self.codes[row]] = fen
        return None

    def set_amounts(self, amounts: Mapping[str, int]) -> None:
        """Show `amounts` (a proposal's, an import's) in place of what was typed."""
        self.amounts = {code: amounts.get(code) for code in self.codes}

    def typed(self) -> dict[str, int]:
        """The amounts typed (counties left empty count as nothing)."""
        return {code: fen for code, fen in self.amounts.items() if fen is not None}

    def check(self, budget: int) -> SumCheck:
        return check_sum(budget, self.typed())


@dataclass
class FactorColumn:
    """One factor as edited: its name, its weight (percent) and each county's value."""

    name: str
    weight: Decimal | None = None
    values: dict[str, Decimal] = field(default_factory=dict)


def _number(text: str, what: str) -> Decimal | None:
    clean = text.strip().replace(",", "").replace("，", "").removesuffix("%").removesuffix("％")
    if not clean:
        return None
    try:
        number = Decimal(clean)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or "e" in clean.lower():
        raise ValidationError(_("Not a number: {text}").format(text=text.strip()), where=what)
    if number < 0:
        raise ValidationError(_("A factor's value or weight is not below zero."), where=what)
    return number


def _shown(number: Decimal | None) -> str:
    if number is None:
        return ""
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"


class FactorTable:
    """Row 0: the weights (%); rows 1…: the counties' values; one column per factor."""

    def __init__(self, counties: Mapping[str, str], factors: Sequence[FactorColumn]) -> None:
        self.codes = sorted(counties)
        self._names = dict(counties)
        self.factors = list(factors)

    @property
    def columns(self) -> Sequence[Column]:
        return (
            Column("name", _("County"), "text", width_hint=9),
            Column("code", _("Division code"), "text", width_hint=5),
            *(
                Column(f"factor{i}", factor.name, "count", editable=True, width_hint=8)
                for i, factor in enumerate(self.factors)
            ),
        )

    def row_count(self) -> int:
        return len(self.codes) + 1

    def is_editable(self, row: int, col: int) -> bool:
        return col > CODE

    def cell(self, row: int, col: int) -> Cell:
        if row == 0 and col <= CODE:
            text = _("Weight (%)") if col == NAME else ""
            return Cell(text, text, computed=True)
        if col == NAME:
            name = self._names[self.codes[row - 1]]
            return Cell(name, name)
        if col == CODE:
            return Cell(self.codes[row - 1], self.codes[row - 1])
        factor = self.factors[col - 2]
        value = factor.weight if row == 0 else factor.values.get(self.codes[row - 1])
        shown = _shown(value) + ("%" if row == 0 and value is not None else "")
        return Cell(value, shown)

    def set_text(self, row: int, col: int, text: str) -> str | None:
        if not self.is_editable(row, col):
            return _("This cell cannot be changed")
        factor = self.factors[col - 2]
        try:
            number = _number(text, factor.name)
        except ValidationError as error:
            return error.message
        if row == 0:
            factor.weight = number
        elif number is None:
            factor.values.pop(self.codes[row - 1], None)
        else:
            factor.values[self.codes[row - 1]] = number
        return None

    def weights_total(self) -> Decimal:
        return sum((f.weight or Decimal(0) for f in self.factors), Decimal(0))

    def to_factors(self) -> list[Factor]:
        """The rule's factors; ValidationError naming the factor and county of an empty cell."""
        found = []
        for factor in self.factors:
            if factor.weight is None:
                raise ValidationError(_("Give the factor a weight."), where=factor.name)
            for code in self.codes:
                if code not in factor.values:
                    raise ValidationError(
                        _("Type {county}'s value.").format(county=self._names[code]),
                        where=factor.name,
                    )
            found.append(
                Factor(factor.name, factor.weight, {c: factor.values[c] for c in self.codes})
            )
        return found
