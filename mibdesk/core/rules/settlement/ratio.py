"""Jilin's and Jining's terms: a balance first, then a city–county ratio the city sets.

* Jilin (001 §2.3.2, `first_from` "pooled_balance"): "当年基金收支相抵出现缺口，由市级通过
  结余基金补足。累计结余不足的，由市和县（市）区、开发区分级按比例分担基金缺口" — the city's
  pooled balance makes up the gap while it lasts (pooled share 100 %); what it cannot pay is
  shared by city and county finance at the ratio.
* Jining (004 §4.6, `first_from` "county_balance"): "有历史结余的，从历史结余中解决；无历史结余
  的，由市级城镇职工医疗保险基金和县级政府分别承担" — the county's historical balance first; then
  the city's share from the city's pooled fund and the county's from the county government.
  The text applies "在全市城镇职工医保基金仍有累计结余的情况下" and is silent beyond: once the
  pooled fund runs out, city finance carries the city's share (mibdesk default,
  `EXHAUSTED_SOURCE`: "市、县（市、区）共同承担", 004 §4.6).
* Gaps the county caused (未完成征缴计划等) are the county's (`county_caused_share`).
"""

from __future__ import annotations

from decimal import Decimal

from mibdesk.core.catalog.profile import Settlement
from mibdesk.core.rules.settlement.terms import Share, Terms
from mibdesk.core.rules.working import join_sources

EXHAUSTED_SOURCE = (
    "mibdesk 默认（004 §4.6 只规定全市基金仍有累计结余时由市级基金承担市级部分，并规定市、县"
    "共同承担保障责任；市级基金不足时市级部分由市财政承担，比例不变）"
)


def ratio_terms(settlement: Settlement) -> Terms:
    """The terms for any county (no grade is used)."""
    block = settlement.ratio
    if block is None:
        raise ValueError("the profile has no ratio settlement block")
    city = Share.of_param(block.city_share)
    if block.first_from.value == "pooled_balance":
        local: tuple[str, ...] = ()
        pooled = Share(Decimal(1), block.first_from.source)
        overflow = city
    else:
        local = ("county_balance",)
        pooled = city
        overflow = Share(city.value, join_sources((city.source, EXHAUSTED_SOURCE)))
    return Terms(
        surplus_to_pool=Share.of_param(block.surplus_pooled_share),
        county_caused=Share.of_param(settlement.county_caused_share),
        local_funds=local,
        local_source=block.first_from.source,
        pooled=pooled,
        overflow_city=overflow,
    )
