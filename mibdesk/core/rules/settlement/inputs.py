"""What a year-end settlement is computed from: per county, per scheme, the year's figures.

The city enters, per county: its assessment grade (where the profile's rules use one) and,
per settled scheme, the current-year income and expenditure, the accumulated balance the
county still holds (暂存/留存的累计结余), the risk reserve (003 §3.3, Suzhou), and how much of
this year's deficit the city found the county caused by missing its income or expenditure
targets (少收多支, 000 附件 §4.5.2). Per scheme, the city's pooled fund available before
this settlement (归集基金 / 市级统筹基金), without this year's surpluses: the settlement
credits those itself.

Contracts (checked on construction; a breach is a programming error — user input is
checked and explained by `input_file` first):
* every amount is int fen, never negative;
* `county_caused` is at most the year's deficit (0 in a surplus year);
* county codes are unique; every county has figures for every settled scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mibdesk.core.catalog.values import FrozenMap


def require_fen(name: str, value: int) -> None:
    """TypeError unless `value` is int fen (not bool); ValueError if it is negative."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int fen, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative: {value}")


@dataclass(frozen=True)
class SchemeYear:
    """One county's year in one scheme (all int fen ≥ 0)."""

    income: int
    expenditure: int
    balance: int
    """Accumulated balance the county holds before this settlement."""
    county_caused: int = 0
    """Part of this year's deficit the county caused (少收多支); 0 in a surplus year."""
    risk_reserve: int = 0
    """Medical risk reserve the county holds (003 §3.3); 0 where the city keeps none."""

    def __post_init__(self) -> None:
        for name in ("income", "expenditure", "balance", "county_caused", "risk_reserve"):
            require_fen(name, getattr(self, name))
        if self.county_caused > self.deficit:
            raise ValueError(
                f"county_caused {self.county_caused} exceeds the deficit {self.deficit}"
            )

    @property
    def result(self) -> int:
        """Income − expenditure (当期结余; negative for a deficit)."""
        return self.income - self.expenditure

    @property
    def deficit(self) -> int:
        """The year's deficit (当期缺口), 0 in a surplus year."""
        return max(-self.result, 0)


@dataclass(frozen=True)
class CountyInput:
    """A county: 6-digit code, name, assessment grade (None where not used), its schemes."""

    code: str
    name: str
    grade: str | None
    schemes: Mapping[str, SchemeYear]

    def __post_init__(self) -> None:
        object.__setattr__(self, "schemes", FrozenMap(self.schemes))


@dataclass(frozen=True)
class SettlementInput:
    """A city's year: the pooled fund per settled scheme and every county's figures.

    `pooled_fund` names the settled schemes (in the order they are settled) and what the
    pooled fund holds for each before this settlement.
    """

    year: int
    pooled_fund: Mapping[str, int]
    counties: tuple[CountyInput, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "pooled_fund", FrozenMap(self.pooled_fund))
        object.__setattr__(self, "counties", tuple(self.counties))
        for scheme, amount in self.pooled_fund.items():
            require_fen(f"pooled fund {scheme}", amount)
        codes = [county.code for county in self.counties]
        if len(set(codes)) != len(codes):
            raise ValueError(f"a county appears twice: {sorted(codes)}")
        for county in self.counties:
            missing = set(self.pooled_fund) - set(county.schemes)
            extra = set(county.schemes) - set(self.pooled_fund)
            if missing or extra:
                raise ValueError(
                    f"county {county.code} schemes {sorted(county.schemes)} "
                    f"differ from the settled schemes {list(self.pooled_fund)}"
                )
