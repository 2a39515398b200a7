"""The terms one county's year in one scheme is settled on, and the fen arithmetic they use.

Every method (Shaoxing, Suzhou, Jilin/Jining's ratio) comes down to the same waterfall,
with its own shares (`Terms`): a surplus split; the deficit the county caused, paid by the
county; the county's own funds in order; the rest shared between the pooled fund and the
county's finance while the pooled fund lasts; what is left once it runs out shared between
city and county finance; and, in Suzhou, a remittance to city finance on top.

Rounding: a share of an amount is rounded half-up to the fen (`Share.of`), and the other
party gets the remainder, so the parts of an amount always add up to it exactly.
`allocate` splits a total in proportion to weights by the largest-remainder method.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mibdesk.core.catalog.values import Sourced
from mibdesk.core.rules.outliers import round_half_up
from mibdesk.core.rules.working import Step, decimal_percent


@dataclass(frozen=True)
class Share:
    """A policy share (0 ≤ value ≤ 1, exact Decimal) with where it comes from."""

    value: Decimal
    source: str

    def __post_init__(self) -> None:
        if not 0 <= self.value <= 1:
            raise ValueError(f"a share must be between 0 and 1, not {self.value}")

    @classmethod
    def of_param(cls, param: Sourced[Decimal]) -> Share:
        """The profile parameter `param`."""
        return cls(param.value, param.source)

    def of(self, fen: int) -> int:
        """This share of `fen`, rounded half-up to the fen."""
        return round_half_up(fen * Fraction(self.value))

    @property
    def rest(self) -> Decimal:
        """What the other party carries: 1 − value."""
        return 1 - self.value

    @property
    def text(self) -> str:
        """As written: "50%", "45%"."""
        return decimal_percent(self.value)

    @property
    def rest_text(self) -> str:
        return decimal_percent(self.rest)


@dataclass(frozen=True)
class Terms:
    """How one county's year in one scheme is settled.

    `pooled`: the pooled fund's share of the gap left after the county's own funds, while
    the fund lasts (county finance carries the rest). `overflow_city`: city finance's share
    of what is left once the pooled fund runs out (county finance carries the rest).
    `remit`: the share of the gap the city filled that the county pays to city finance on
    top (Suzhou), or None. `notes`: method-specific working shown before the sharing (the
    assessment grade).
    """

    surplus_to_pool: Share
    county_caused: Share
    local_funds: tuple[str, ...]
    local_source: str
    pooled: Share
    overflow_city: Share
    remit: Share | None = None
    notes: tuple[Step, ...] = ()


def allocate(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split `total` fen in proportion to `weights` (int ≥ 0, keyed by county code).

    Each key gets ⌊total × weight ÷ Σ weights⌋; the fen left over go one each to the keys
    with the largest remainders, ties to the smaller key. The parts add up to `total`
    exactly, each is within one fen of the exact proportion, and the result does not depend
    on the order of `weights`. With 0 ≤ total ≤ Σ weights no part exceeds its weight.
    """
    if total < 0:
        raise ValueError(f"cannot allocate a negative total: {total}")
    whole = sum(weights.values())
    if whole <= 0:
        if total:
            raise ValueError(f"cannot allocate {total} over weights that add up to {whole}")
        return dict.fromkeys(weights, 0)
    parts: dict[str, int] = {}
    remainders: dict[str, int] = {}
    for key, weight in weights.items():
        if weight < 0:
            raise ValueError(f"weight of {key} is negative: {weight}")
        parts[key], remainders[key] = divmod(total * weight, whole)
    left = total - sum(parts.values())
    for key in sorted(remainders, key=lambda k: (-remainders[k], k))[:left]:
        parts[key] += 1
    return parts
