"""What the quota, execution, projection and plan rules share: a step of working, and the
way they write percentages, ratios and amounts into sentences.

Rounding (docs/decisions.md "Quotas, execution and plan suggestions"):

* percentages have one decimal, rounded half-up (`percent`), or rounded *down*
  (`percent_below`) where the figure is compared with a floor it must not appear to reach;
* ratios such as a trend have four decimals, half-up (`ratio`);
* large amounts in sentences are in 亿元 or 万元 with two decimals, half-up (`large_yuan`);
  tables and working steps keep the exact amount in yuan and fen.

Nothing here is a float: values are `Fraction`, `Decimal` or int fen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.rules.outliers import round_half_up

YI = 10**10
"""One 亿元 (hundred million yuan) in fen."""
WAN = 10**6
"""One 万元 (ten thousand yuan) in fen."""


@dataclass(frozen=True)
class Step:
    """One line of working: what it is, the amount (fen, or None when the step is a ratio
    or a count the label states), the rule applied and its source."""

    label: str
    amount: int | None
    rule: str
    source: str


def tenths_of_percent(value: Fraction) -> int:
    """`value` in tenths of a percent, rounded half-up: 2/3 → 667 (66.7 %)."""
    return round_half_up(value * 1000)


def points(tenths: int) -> str:
    """Tenths of a percentage point as text: 113 → "11.3", -5 → "-0.5"."""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{'-' if tenths < 0 else ''}{whole}.{tenth}"


def percent(value: Fraction) -> str:
    """A ratio as a percentage with one decimal, half-up: 0.78 → "78.0%", 2/3 → "66.7%"."""
    return points(tenths_of_percent(value)) + "%"


def percent_below(value: Fraction, *, places: int = 1) -> str:
    """A ratio as a percentage rounded toward zero, so a figure below a target never shows
    as the target: 0.94999 → "94.9%" (places=1) or "94.99%" (places=2)."""
    scaled = int(value * 100 * 10**places)  # int() rounds toward zero
    whole, part = divmod(abs(scaled), 10**places)
    sign = "-" if scaled < 0 else ""
    return f"{sign}{whole}.{part:0{places}d}%" if places else f"{sign}{whole}%"


def decimal_percent(rate: Decimal) -> str:
    """A policy ratio as written: Decimal("0.95") → "95%", Decimal("0.055") → "5.5%"."""
    return f"{format((rate * 100).normalize(), 'f')}%"


def decimal_points(rate: Decimal) -> str:
    """A margin in percentage points as written: Decimal("0.05") → "5"."""
    return format((rate * 100).normalize(), "f")


def ratio(value: Fraction, places: int = 4) -> str:
    """A ratio with `places` decimals, half-up: 53/50 → "1.0600"."""
    scaled = round_half_up(value * 10**places)
    whole, part = divmod(abs(scaled), 10**places)
    return f"{'-' if scaled < 0 else ''}{whole}.{part:0{places}d}"


def one_decimal_down(value: Fraction) -> str:
    """A count such as months with one decimal, rounded toward zero: 5.96 → "5.9"."""
    tenths = int(value * 10)
    whole, tenth = divmod(abs(tenths), 10)
    return f"{'-' if tenths < 0 else ''}{whole}.{tenth}"


def yuan(fen: int) -> str:
    """An exact amount: "1,234.56 元"."""
    return _("{amount} yuan").format(amount=format_fen(fen))


def large_yuan(fen: int) -> str:
    """An amount for a sentence: 亿元 from one hundred million yuan, 万元 from ten thousand
    yuan, each with two decimals rounded half-up; smaller amounts exactly in yuan.

    91_200_000_000 fen → "9.12 亿元"; 3_500_000_000 → "3,500.00 万元"; 12_345 → "123.45 元".
    """
    if abs(fen) >= YI:
        return _("{amount} hundred million yuan").format(
            amount=format_fen(round_half_up(Fraction(fen, YI) * 100))
        )
    if abs(fen) >= WAN:
        return _("{amount} ten thousand yuan").format(
            amount=format_fen(round_half_up(Fraction(fen, WAN) * 100))
        )
    return yuan(fen)


def join_sources(sources: Iterable[str]) -> str:
    """Distinct, non-empty sources joined by "；", a documented default ("mibdesk 默认") last."""
    unique = [source for source in dict.fromkeys(sources) if source]
    return "；".join(sorted(unique, key=lambda source: "mibdesk 默认" in source))
