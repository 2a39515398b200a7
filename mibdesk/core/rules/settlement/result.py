"""What a year-end settlement decides: per county per scheme, who pays what, with working.

Conservation (tested by hypothesis): for every county and scheme

* surplus = `surplus_to_pool` + `surplus_kept`;
* deficit = `county_caused` + `from_balance` + `from_reserve` + `pooled_fund`
  + `county_finance` + `city_finance` — every fen of a deficit has exactly one payer;
* `remit_to_city` is not part of covering the deficit: it is money the county's finance
  pays to city finance on top (003 §3.3, Suzhou's 20 %).

and for every scheme, the pooled fund after = before + Σ surplus_to_pool − Σ pooled_fund.
"""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.rules.working import Step


@dataclass(frozen=True)
class CountySettlement:
    """One county's settlement in one scheme (int fen)."""

    county: str
    name: str
    scheme: str
    grade: str | None
    income: int
    expenditure: int
    surplus_to_pool: int
    surplus_kept: int
    county_caused: int
    """Paid by the county's finance for the deficit it caused (少收多支)."""
    from_balance: int
    from_reserve: int
    pooled_fund: int
    county_finance: int
    """The county finance's share of the rest of the deficit (not `county_caused`)."""
    city_finance: int
    remit_to_city: int
    balance_before: int
    balance_after: int
    reserve_before: int
    reserve_after: int
    working: tuple[Step, ...]

    @property
    def result(self) -> int:
        """Income − expenditure (negative for a deficit)."""
        return self.income - self.expenditure

    @property
    def surplus(self) -> int:
        return max(self.result, 0)

    @property
    def deficit(self) -> int:
        return max(-self.result, 0)

    @property
    def county_finance_total(self) -> int:
        """Everything the county's finance pays: the gap it caused, its share, the remittance."""
        return self.county_caused + self.county_finance + self.remit_to_city

    def deficit_payers(self) -> dict[str, int]:
        """Who covers the deficit, by payer code; the amounts add up to `deficit`."""
        return {
            "county_caused": self.county_caused,
            "county_balance": self.from_balance,
            "risk_reserve": self.from_reserve,
            "pooled_fund": self.pooled_fund,
            "county_finance": self.county_finance,
            "city_finance": self.city_finance,
        }


@dataclass(frozen=True)
class SchemeSettlement:
    """One scheme across the city: the pooled fund's account and every county, by code.

    `pooled_demand` is what the counties' shares asked of the pooled fund; `pooled_drawn`
    what it paid (less than the demand only when it ran out, then pro rata). The citywide
    reserve after settlement (pooled fund + balances + reserves) in months of this year's
    average monthly spending is compared with the profile's amber threshold
    (`reserve_warning`; 003 §3.3: adjust policy below 6 months).
    """

    scheme: str
    pooled_before: int
    surplus_in: int
    pooled_demand: int
    pooled_drawn: int
    pooled_after: int
    reserve_warning: bool
    counties: tuple[CountySettlement, ...]
    working: tuple[Step, ...]

    @property
    def exhausted(self) -> bool:
        """Whether the pooled fund ran out before meeting every county's share."""
        return self.pooled_drawn < self.pooled_demand


@dataclass(frozen=True)
class SettlementResult:
    """A city's year-end settlement under one profile."""

    year: int
    profile_id: str
    profile_version: int
    method: str
    schemes: tuple[SchemeSettlement, ...]

    def scheme(self, code: str) -> SchemeSettlement:
        """The settlement of scheme `code`; KeyError when it was not settled."""
        for scheme in self.schemes:
            if scheme.scheme == code:
                return scheme
        raise KeyError(code)

    def county(self, scheme: str, code: str) -> CountySettlement:
        """County `code`'s settlement in `scheme`; KeyError when there is none."""
        for county in self.scheme(scheme).counties:
            if county.county == code:
                return county
        raise KeyError(code)
