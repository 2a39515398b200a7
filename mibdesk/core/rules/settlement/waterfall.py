"""The settlement of one scheme across the city: each county's waterfall and the pooled fund.

For each county (`Terms` say the shares):

1. current-year result = income − expenditure;
2. a surplus: `surplus_to_pool` of it to the pooled fund, the rest kept by the county
   (added to its balance);
3. a deficit: the part the county caused, `county_caused` of it paid by county finance
   (the rest joins the ordinary deficit); then the county's own funds in order (balance,
   risk reserve), each up to what is left; the gap left is shared: the pooled fund is asked
   for `pooled` of it (its *demand*), county finance carries the rest;
4. remittance on top where the terms have one (Suzhou).

The pooled fund available = its balance before + this year's surpluses paid in (one
clearing settles both, 000 附件 §4.6). If the counties' demands exceed it, it runs out:
every county gets the same fraction of its demand (`allocate`: largest remainder, ties to
the smaller county code), never a first-come order — the texts set no order, and the result
must not depend on the order counties are listed in. A county whose demand is not met in
full: county finance matches what the pooled fund paid at the county's share (the split
runs while the fund lasts), and what is left after that is shared by city and county
finance (`overflow_city`). With an empty pooled fund that is exactly the text's 20/80.

Every amount is int fen; each split rounds one side half-up and gives the other the
remainder, so conservation holds to the fen (see `result`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from mibdesk.core.catalog.profile import RiskThresholds
from mibdesk.core.i18n import N_, _
from mibdesk.core.rules.outliers import round_half_up
from mibdesk.core.rules.settlement.inputs import CountyInput, SchemeYear
from mibdesk.core.rules.settlement.result import CountySettlement, SchemeSettlement
from mibdesk.core.rules.settlement.terms import Terms, allocate
from mibdesk.core.rules.working import Step, one_decimal_down, percent, yuan

ACCOUNTS_SOURCE = "社会保险基金会计制度"
"""Income and expenditure are the totals of the year's fund accounts."""
PRO_RATA_SOURCE = (
    "mibdesk 默认（文件未规定统筹基金不足时各地的先后；同一次清算中各地按应由统筹基金承担的"
    "数额同比例分得，与名单先后无关）"
)
LOCAL_FUND_LABELS = {
    "county_balance": N_("From the county's accumulated balance"),
    "risk_reserve": N_("From the county's risk reserve"),
}


@dataclass
class _Open:
    """A county's waterfall up to the pooled fund's share (before the fund is divided)."""

    county: CountyInput
    year: SchemeYear
    terms: Terms
    steps: list[Step]
    to_pool: int = 0
    kept: int = 0
    caused: int = 0
    local: dict[str, int] = field(default_factory=dict)
    gap: int = 0
    demand: int = 0


def settle_scheme(
    scheme: str,
    pooled_before: int,
    entries: Sequence[tuple[CountyInput, Terms]],
    risk: RiskThresholds,
) -> SchemeSettlement:
    """Settle `scheme` for every county in `entries` (county, its terms); counties are
    returned by code whatever order they come in."""
    opened = sorted(
        (_open(county, county.schemes[scheme], terms) for county, terms in entries),
        key=lambda item: item.county.code,
    )
    surplus_in = sum(item.to_pool for item in opened)
    available = pooled_before + surplus_in
    demands = {item.county.code: item.demand for item in opened}
    demand = sum(demands.values())
    granted = demands if demand <= available else allocate(available, demands)
    covered = percent(Fraction(available, demand)) if demand > available else ""
    counties = tuple(_close(item, scheme, granted[item.county.code], covered) for item in opened)
    drawn = sum(county.pooled_fund for county in counties)
    after = available - drawn
    working = [
        Step(
            _("Pooled fund before settlement"),
            pooled_before,
            _("what the pooled fund holds before this year's settlement"),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Surpluses paid into the pooled fund"),
            surplus_in,
            _("sum of the counties' surplus shares to the pooled fund"),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Asked of the pooled fund"),
            demand,
            _("sum of the counties' pooled-fund shares of their gaps"),
            ACCOUNTS_SOURCE,
        ),
    ]
    if covered:
        working.append(
            Step(
                _("The pooled fund runs out"),
                available,
                _(
                    "It holds {available} against {demand} asked: every county gets {covered} "
                    "of its share from it"
                ).format(available=yuan(available), demand=yuan(demand), covered=covered),
                PRO_RATA_SOURCE,
            )
        )
    working += [
        Step(_("Drawn from the pooled fund"), drawn, _("sum of what it paid"), ACCOUNTS_SOURCE),
        Step(
            _("Pooled fund after settlement"),
            after,
            _("before + surpluses paid in − drawn"),
            ACCOUNTS_SOURCE,
        ),
    ]
    reserve_step, warning = _reserve(after, counties, risk)
    if reserve_step is not None:
        working.append(reserve_step)
    return SchemeSettlement(
        scheme=scheme,
        pooled_before=pooled_before,
        surplus_in=surplus_in,
        pooled_demand=demand,
        pooled_drawn=drawn,
        pooled_after=after,
        reserve_warning=warning,
        counties=counties,
        working=tuple(working),
    )


def _open(county: CountyInput, year: SchemeYear, terms: Terms) -> _Open:
    steps = [
        Step(
            _("Current-year income"),
            year.income,
            _("the year's fund income total"),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Current-year expenditure"),
            year.expenditure,
            _("the year's fund expenditure total"),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Current-year result"),
            year.result,
            _("income − expenditure; below zero it is a deficit"),
            ACCOUNTS_SOURCE,
        ),
    ]
    item = _Open(county, year, terms, steps)
    if year.result >= 0:
        _split_surplus(item)
    else:
        _open_deficit(item)
    return item


def _split_surplus(item: _Open) -> None:
    share = item.terms.surplus_to_pool
    item.to_pool = share.of(item.year.result)
    item.kept = item.year.result - item.to_pool
    item.steps.append(
        Step(
            _("Surplus to the pooled fund"),
            item.to_pool,
            _("{share} of a current-year surplus goes to the pooled fund").format(share=share.text),
            share.source,
        )
    )
    if share.rest:
        item.steps.append(
            Step(
                _("Surplus kept by the county"),
                item.kept,
                _("the rest ({share}) stays with the county to make up its later deficits").format(
                    share=share.rest_text
                ),
                share.source,
            )
        )


def _open_deficit(item: _Open) -> None:
    terms, year = item.terms, item.year
    remaining = year.deficit
    if year.county_caused:
        item.caused = terms.county_caused.of(year.county_caused)
        remaining -= item.caused
        item.steps.append(
            Step(
                _("Deficit the county caused, paid by county finance"),
                item.caused,
                _(
                    "Of the deficit, {caused} came from missing the income or expenditure "
                    "targets (少收多支); the county government makes up {share} of it"
                ).format(caused=yuan(year.county_caused), share=terms.county_caused.text),
                terms.county_caused.source,
            )
        )
    for fund in terms.local_funds:
        held = year.balance if fund == "county_balance" else year.risk_reserve
        used = min(held, remaining)
        item.local[fund] = used
        remaining -= used
        item.steps.append(
            Step(
                _(LOCAL_FUND_LABELS[fund]),
                used,
                _("{held} held; used first, up to the deficit left").format(held=yuan(held)),
                terms.local_source,
            )
        )
    item.gap = remaining
    if item.gap == 0:
        return
    pooled = terms.pooled
    item.steps += terms.notes
    item.demand = pooled.of(item.gap)
    if pooled.rest:
        rule = _("{pooled} of the gap from the pooled fund, {county} from county finance").format(
            pooled=pooled.text, county=pooled.rest_text
        )
    else:
        rule = _("the pooled fund makes up the gap")
    item.steps += [
        Step(
            _("Gap to be shared"),
            item.gap,
            _("deficit − what the county covered itself"),
            terms.local_source,
        ),
        Step(_("Pooled fund's share"), item.demand, rule, pooled.source),
    ]


def _close(item: _Open, scheme: str, granted: int, covered: str) -> CountySettlement:
    terms, year = item.terms, item.year
    steps = list(item.steps)
    county_finance, city_finance = _share_gap(item, granted, covered, steps)
    remit = 0
    if terms.remit is not None and item.gap:
        remit = terms.remit.of(item.gap)
        steps.append(
            Step(
                _("Paid by the county to city finance"),
                remit,
                _("{share} of the gap the city made up, paid on top").format(
                    share=terms.remit.text
                ),
                terms.remit.source,
            )
        )
    from_balance = item.local.get("county_balance", 0)
    from_reserve = item.local.get("risk_reserve", 0)
    balance_after = year.balance - from_balance + item.kept
    steps.append(
        Step(
            _("County balance after settlement"),
            balance_after,
            _("balance {before} − used + surplus kept").format(before=yuan(year.balance)),
            terms.surplus_to_pool.source if item.kept else terms.local_source,
        )
    )
    return CountySettlement(
        county=item.county.code,
        name=item.county.name,
        scheme=scheme,
        grade=item.county.grade,
        income=year.income,
        expenditure=year.expenditure,
        surplus_to_pool=item.to_pool,
        surplus_kept=item.kept,
        county_caused=item.caused,
        from_balance=from_balance,
        from_reserve=from_reserve,
        pooled_fund=granted,
        county_finance=county_finance,
        city_finance=city_finance,
        remit_to_city=remit,
        balance_before=year.balance,
        balance_after=balance_after,
        reserve_before=year.risk_reserve,
        reserve_after=year.risk_reserve - from_reserve,
        working=tuple(steps),
    )


def _share_gap(item: _Open, granted: int, covered: str, steps: list[Step]) -> tuple[int, int]:
    """Share the county's gap given what the pooled fund `granted`; append the working and
    return (county finance, city finance)."""
    if not item.gap:
        return 0, 0
    pooled, overflow = item.terms.pooled, item.terms.overflow_city
    if granted == item.demand:
        steps.append(
            Step(_("From the pooled fund"), granted, _("its share, in full"), pooled.source)
        )
        county_finance = item.gap - granted
        if pooled.rest:
            steps.append(
                Step(
                    _("From county finance"),
                    county_finance,
                    _("the county's {share} of the gap").format(share=pooled.rest_text),
                    pooled.source,
                )
            )
        return county_finance, 0
    # The split runs while the fund lasts: the county matches what the fund paid, at its
    # own share; the rest is shared by city and county finance.
    matched = round_half_up(Fraction(granted) * Fraction(pooled.rest) / Fraction(pooled.value))
    left = item.gap - granted - matched
    city_finance = overflow.of(left)
    steps.append(
        Step(
            _("From the pooled fund"),
            granted,
            _("the pooled fund ran out: {covered} of its share, as for every county").format(
                covered=covered
            ),
            PRO_RATA_SOURCE,
        )
    )
    if pooled.rest:
        steps.append(
            Step(
                _("From county finance, alongside the pooled fund"),
                matched,
                _("{paid} × {county} ÷ {pooled}: the county's share of what was split").format(
                    paid=yuan(granted), county=pooled.rest_text, pooled=pooled.text
                ),
                pooled.source,
            )
        )
    steps += [
        Step(
            _("Left once the pooled fund ran out"),
            left,
            _("gap − pooled fund − county's share of what was split"),
            pooled.source,
        ),
        Step(
            _("From city finance"),
            city_finance,
            _("{city} of what is left once the pooled fund runs out").format(city=overflow.text),
            overflow.source,
        ),
        Step(
            _("From county finance, once the pooled fund ran out"),
            left - city_finance,
            _("the county's {county} of what is left").format(county=overflow.rest_text),
            overflow.source,
        ),
    ]
    return matched + left - city_finance, city_finance


def _reserve(
    pooled_after: int, counties: Sequence[CountySettlement], risk: RiskThresholds
) -> tuple[Step | None, bool]:
    """The citywide reserve after settlement in months of this year's average spending."""
    spending = sum(county.expenditure for county in counties)
    if spending <= 0:
        return None, False
    held = pooled_after + sum(c.balance_after + c.reserve_after for c in counties)
    months = Fraction(held * 12, spending)
    amber = risk.reserve_months_amber.value
    warning = months < Fraction(amber)
    if warning:
        rule = _(
            "{months} months of this year's average monthly spending ({average}), below {amber}"
        )
    else:
        rule = _(
            "{months} months of this year's average monthly spending ({average}), at least {amber}"
        )
    text = rule.format(
        months=one_decimal_down(months),
        average=yuan(round_half_up(Fraction(spending, 12))),
        amber=format(amber.normalize(), "f"),
    )
    step = Step(
        _("Citywide reserve after settlement"), held, text, risk.reserve_months_amber.source
    )
    return step, warning
