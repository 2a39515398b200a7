"""Splitting a scheme's annual expenditure budget into county quotas (支出总量定额, 004 §4.3),
or a budget adjustment (预算调整, 003 §3.3) into county adjustments.

Weighted factors (因素法, as Guizhou allocates its balancing fund in advance, 002 §2.3): the
user sets factors (enrolment, past spending, age structure …), a weight for each (the weights
add up to exactly 100 %), and each county's value of each factor. A county's share is

    share(c) = Σ_f  weight(f) × value(c, f) ÷ Σ_c' value(c', f)

and its exact amount budget × share(c), a fraction of a fen. Whole fen by the largest
remainder (Hamilton) rule: every county first gets its exact amount rounded toward zero; the
fen still missing to reach the budget (fewer than the number of counties) go one each to the
counties with the largest dropped fractions, ties to the lower county code. So the counties
add up to the budget exactly, and no county is more than one fen from its exact amount. An
adjustment below zero is split the same way on its size, then made negative.

Every result carries its working (`Step`s) per county and for the whole allocation. All
arithmetic is exact (`Fraction`); shares are shown as percentages with four decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.rules.working import Step, ratio, yuan

QUOTA_SOURCE = "004 §4.3"
FACTOR_SOURCE = "002 §2.3"
REMAINDER_RULE = (
    "mibdesk 默认（最大余数法：各县先取舍去分以下的金额，差额逐分补给舍去部分最大的县）"
)
HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Factor:
    """One allocation factor: its name, its weight in percent, each county's value."""

    name: str
    weight: Decimal  # percent: Decimal("40") is 40 %
    values: Mapping[str, Decimal]  # county → value (persons, yuan, a ratio …), >= 0


@dataclass(frozen=True)
class CountyAmount:
    county: str
    share: Fraction  # of the budget (1 = all of it)
    exact: Fraction  # budget × share, in fen
    amount: int  # whole fen after the remainder rule
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Split:
    """An allocation: the budget, each county's amount with its working, and the rule."""

    budget: int
    counties: tuple[CountyAmount, ...]
    steps: tuple[Step, ...]

    @property
    def amounts(self) -> dict[str, int]:
        return {c.county: c.amount for c in self.counties}


@dataclass(frozen=True)
class SumCheck:
    """Whether typed or imported county amounts add up to the budget."""

    budget: int
    total: int

    @property
    def difference(self) -> int:
        """Budget minus the counties' total: > 0 means the counties are short of it."""
        return self.budget - self.total

    @property
    def adds_up(self) -> bool:
        return self.difference == 0

    def message(self) -> str:
        """The refusal in words, e.g. "…相差 12.34 元（各县合计少于预算）"."""
        if self.adds_up:
            return ""
        key = (
            _("the counties add up to {total}, the budget is {budget}: {diff} short")
            if self.difference > 0
            else _("the counties add up to {total}, the budget is {budget}: {diff} over")
        )
        return key.format(
            total=yuan(self.total), budget=yuan(self.budget), diff=yuan(abs(self.difference))
        )


def check_sum(budget: int, amounts: Mapping[str, int]) -> SumCheck:
    return SumCheck(budget, sum(amounts.values()))


def percent4(value: Fraction) -> str:
    """A share as a percentage with four decimals, half-up: 1/3 → "33.3333%"."""
    return ratio(value * 100, 4) + "%"


def largest_remainder(budget: int, shares: Mapping[str, Fraction]) -> dict[str, int]:
    """Whole fen for each county from exact shares adding up to 1 (see the module docstring)."""
    if sum(shares.values()) != 1 or any(s < 0 for s in shares.values()):
        raise ValueError("shares must be non-negative and add up to 1")
    size, sign = abs(budget), (-1 if budget < 0 else 1)
    exact = {county: size * share for county, share in shares.items()}
    amounts = {county: int(value) for county, value in exact.items()}  # toward zero
    left = size - sum(amounts.values())
    order = sorted(exact, key=lambda c: (-(exact[c] - amounts[c]), c))
    for county in order[:left]:
        amounts[county] += 1
    return {county: sign * amount for county, amount in amounts.items()}


def weighted_split(budget: int, factors: Sequence[Factor], counties: Sequence[str]) -> Split:
    """Split `budget` (fen) among `counties` by weighted factors.

    Refused (`ValidationError`, nothing computed): weights not adding up to 100 %, a negative
    weight or value, a county without a value, a weighted factor whose values are all zero.
    """
    if not counties:
        raise ValidationError(_("There are no counties to allocate to."))
    if not factors:
        raise ValidationError(_("Give at least one factor."))
    weights = sum((f.weight for f in factors), Decimal(0))
    if weights != 100:
        raise ValidationError(
            _("The factor weights add up to {total}%, not 100%.").format(total=f"{weights:f}")
        )
    totals: list[Fraction] = []
    for factor in factors:
        if factor.weight < 0:
            raise ValidationError(
                _("The weight of {factor} is below zero.").format(factor=factor.name)
            )
        missing = [c for c in counties if c not in factor.values]
        if missing:
            raise ValidationError(
                _("{factor} has no value for {county}.").format(
                    factor=factor.name, county=missing[0]
                )
            )
        if any(factor.values[c] < 0 for c in counties):
            raise ValidationError(
                _("A value of {factor} is below zero.").format(factor=factor.name)
            )
        total = sum((Fraction(factor.values[c]) for c in counties), Fraction(0))
        if total == 0 and factor.weight > 0:
            raise ValidationError(
                _("Every county's {factor} is zero: it cannot share anything out.").format(
                    factor=factor.name
                )
            )
        totals.append(total)
    shares = {
        c: sum(
            (
                Fraction(f.weight) / HUNDRED * Fraction(f.values[c]) / total
                for f, total in zip(factors, totals, strict=True)
                if total
            ),
            Fraction(0),
        )
        for c in counties
    }
    amounts = largest_remainder(budget, shares)
    extra = _extra_fen(budget, shares, amounts)
    result = tuple(
        CountyAmount(
            c,
            shares[c],
            budget * shares[c],
            amounts[c],
            _county_steps(c, budget, shares[c], amounts[c], extra[c], factors, totals),
        )
        for c in counties
    )
    overall = (
        *(
            Step(
                _("{factor}: weight {weight}%, citywide total {total}").format(
                    factor=f.name, weight=f"{f.weight:f}", total=_number(total)
                ),
                None,
                _("share = Σ weight × county value ÷ citywide total"),
                FACTOR_SOURCE,
            )
            for f, total in zip(factors, totals, strict=True)
        ),
        _remainder_step(budget, amounts, extra),
    )
    return Split(budget, result, overall)


def _extra_fen(
    budget: int, shares: Mapping[str, Fraction], amounts: Mapping[str, int]
) -> dict[str, int]:
    """Which counties received one of the remainder's fen (1) and which did not (0)."""
    return {c: abs(amounts[c]) - int(abs(budget) * shares[c]) for c in shares}


def _number(value: Fraction) -> str:
    """A factor value or total as typed: whole numbers with separators, else 4 decimals."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return ratio(value, 4)


def _county_steps(
    county: str,
    budget: int,
    share: Fraction,
    amount: int,
    extra: int,
    factors: Sequence[Factor],
    totals: Sequence[Fraction],
) -> tuple[Step, ...]:
    steps = []
    for factor, total in zip(factors, totals, strict=True):
        value = Fraction(factor.values[county])
        part = Fraction(factor.weight) / HUNDRED * value / total if total else Fraction(0)
        steps.append(
            Step(
                _("{factor}: {weight}% × {value} ÷ {total} = {part}").format(
                    factor=factor.name,
                    weight=f"{factor.weight:f}",
                    value=_number(value),
                    total=_number(total),
                    part=percent4(part),
                ),
                None,
                _("weighted factor"),
                FACTOR_SOURCE,
            )
        )
    exact = budget * share
    steps.append(
        Step(
            _("share {share} × budget {budget} = {exact} fen").format(
                share=percent4(share), budget=yuan(budget), exact=ratio(exact, 4)
            ),
            None,
            _("county quota = budget × share"),
            QUOTA_SOURCE,
        )
    )
    steps.append(
        Step(
            _("whole fen: {floor}, plus {extra} fen of the remainder").format(
                floor=format_fen(amount - (extra if budget >= 0 else -extra)), extra=extra
            ),
            amount,
            _("largest remainder"),
            REMAINDER_RULE,
        )
    )
    return tuple(steps)


def _remainder_step(budget: int, amounts: Mapping[str, int], extra: Mapping[str, int]) -> Step:
    given = sum(extra.values())
    return Step(
        _(
            "{n} fen left after rounding down went one each to the counties with the largest "
            "remainders; the counties add up to {total}"
        ).format(n=given, total=yuan(sum(amounts.values()))),
        budget,
        _("largest remainder"),
        REMAINDER_RULE,
    )
