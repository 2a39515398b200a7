"""Suzhou's terms (003 §3.3).

"各地完成年度…收支计划的，如当年基金收支相抵出现缺口，由当地使用留存当地的基本医疗保险基金
累计结余、医疗风险准备金先行予以弥补；上述资金使用完后仍出现缺口的，由市财政局通过市级医保
统筹基金补足，当地按职工医疗保险实际缺口的 20%上缴市级财政".

* The county's retained balance, then its risk reserve (`local_funds`, in that order).
* The gap left is made up by the city through the pooled fund (市级医保统筹基金): the pooled
  fund's share is 100 %. Where the pooled fund runs out, city finance makes up the rest:
  the text names 市财政局 as the one who makes the gap good (mibdesk default, see
  `EXHAUSTED_SOURCE`).
* In `county_deficit_schemes` (the employee scheme) the county pays 20 % of that gap to
  city finance on top. "实际缺口" is read as the gap the city filled, not the whole deficit:
  the clause applies only once the local funds are used up, and a part the county already
  covered from its own balance is not a gap the city bore (docs/decisions.md).
* Shortfalls from missed income plans or violations (管理性基金缺口) are the county's.
"""

from __future__ import annotations

from decimal import Decimal

from mibdesk.core.catalog.profile import Settlement
from mibdesk.core.rules.settlement.terms import Share, Terms

EXHAUSTED_SOURCE = (
    "003 §3.3；mibdesk 默认（文件规定由市财政局通过市级医保统筹基金补足，未规定统筹基金"
    "不足时的办法；不足部分由市财政补足）"
)


def suzhou_terms(settlement: Settlement, scheme: str) -> Terms:
    """The terms for a county's year in `scheme` (no grade is used)."""
    block = settlement.suzhou
    if block is None:
        raise ValueError("the profile has no Suzhou settlement block")
    remits = scheme in block.county_deficit_schemes.value
    return Terms(
        surplus_to_pool=Share.of_param(block.surplus_pooled_share),
        county_caused=Share.of_param(settlement.county_caused_share),
        local_funds=block.local_funds.value,
        local_source=block.local_funds.source,
        pooled=Share(Decimal(1), settlement.source),
        overflow_city=Share(Decimal(1), EXHAUSTED_SOURCE),
        remit=Share.of_param(block.county_deficit_share) if remits else None,
    )
