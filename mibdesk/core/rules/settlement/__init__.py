"""Year-end settlement of surpluses and deficits, and historical balance transfers.

    from mibdesk.core.rules.settlement import settle
    result = settle(inputs, profile)   # SettlementResult: who pays what, with working

`settle` is a pure function of a `SettlementInput` and the city's profile. The profile's
`settlement.method` chooses the terms (`shaoxing`, `suzhou`, `ratio`); all of them run
through the same waterfall (`waterfall.settle_scheme`). Balance transfers at pooling and the
yearly top-up are in `transfers`. The rounding and the order in which counties draw on an
exhausted pooled fund are documented in docs/decisions.md "Year-end settlement".
"""

from __future__ import annotations

from mibdesk.core.catalog.profile import Profile
from mibdesk.core.rules.settlement.inputs import CountyInput, SchemeYear, SettlementInput
from mibdesk.core.rules.settlement.ratio import ratio_terms
from mibdesk.core.rules.settlement.result import (
    CountySettlement,
    SchemeSettlement,
    SettlementResult,
)
from mibdesk.core.rules.settlement.shaoxing import shaoxing_terms
from mibdesk.core.rules.settlement.suzhou import suzhou_terms
from mibdesk.core.rules.settlement.terms import Terms
from mibdesk.core.rules.settlement.waterfall import settle_scheme

__all__ = [
    "CountyInput",
    "CountySettlement",
    "SchemeSettlement",
    "SchemeYear",
    "SettlementInput",
    "SettlementResult",
    "settle",
    "terms_for",
]


def terms_for(profile: Profile, county: CountyInput, scheme: str) -> Terms:
    """The terms `county`'s year in `scheme` is settled on under `profile`."""
    settlement = profile.settlement
    if settlement.method == "shaoxing":
        return shaoxing_terms(settlement, county.grade)
    if settlement.method == "suzhou":
        return suzhou_terms(settlement, scheme)
    return ratio_terms(settlement)


def settle(inputs: SettlementInput, profile: Profile) -> SettlementResult:
    """Settle every scheme of `inputs` for every county under `profile`.

    ProfileError when the profile does not pool a settled scheme; ValueError when a county
    lacks what the method needs (Shaoxing: a known assessment grade).
    """
    schemes = []
    for scheme, pooled in inputs.pooled_fund.items():
        profile.scheme(scheme)
        entries = [(county, terms_for(profile, county, scheme)) for county in inputs.counties]
        schemes.append(settle_scheme(scheme, pooled, entries, profile.risk))
    return SettlementResult(
        year=inputs.year,
        profile_id=profile.id,
        profile_version=profile.version,
        method=profile.settlement.method,
        schemes=tuple(schemes),
    )
