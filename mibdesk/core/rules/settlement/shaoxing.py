"""Shaoxing's terms (000 附件 §4.4–4.6).

* §4.4: a current-year surplus, 50 % to the pooled fund (归集基金), 50 % kept by the county
  for its later deficits.
* §4.5.2: the shortfall the county caused by missing its income or expenditure targets
  (少收多支) is made up by the county government.
* §4.5.3: any other deficit: the county's accumulated balance first; then the pooled fund
  and the county's finance 50 % each; where the pooled fund does not suffice, city finance
  20 %, county finance 80 %.
* §4.6: "考核达不到优秀的，地方分担比例上升5个百分点": below an excellent grade the county's
  share of each deficit split rises by 5 points (pooled 45 / county 55, city 15 /
  county 85). The surplus split is 结余留用, not a 分担比例, and does not change.
"""

from __future__ import annotations

from decimal import Decimal

from mibdesk.core.catalog.profile import Settlement, ShaoxingSharing
from mibdesk.core.i18n import _
from mibdesk.core.rules.settlement.terms import Share, Terms
from mibdesk.core.rules.working import Step, decimal_points, join_sources


def below_excellent(block: ShaoxingSharing, grade: str) -> bool:
    """Whether `grade` ranks below the excellent grade (grades are listed best first)."""
    grades = block.grades.value
    if grade not in grades:
        raise ValueError(f"unknown assessment grade {grade!r}; the grades are {grades}")
    return grades.index(grade) > grades.index(block.excellent_grade.value)


def shaoxing_terms(settlement: Settlement, grade: str | None) -> Terms:
    """The terms for a county with assessment `grade` (required: ValueError if None)."""
    block = settlement.shaoxing
    if block is None:
        raise ValueError("the profile has no Shaoxing settlement block")
    if grade is None:
        raise ValueError("Shaoxing's settlement needs every county's assessment grade")
    penalised = below_excellent(block, grade)
    extra = block.below_excellent_county_extra.value if penalised else Decimal(0)
    extra_source = block.below_excellent_county_extra.source
    if penalised:
        rule = _(
            "Below {excellent}, the county's share of each deficit split rises by {points} "
            "percentage points"
        ).format(excellent=block.excellent_grade.value, points=decimal_points(extra))
    else:
        rule = _("At {excellent} the shares stand as set").format(
            excellent=block.excellent_grade.value
        )
    note = Step(_("Assessment grade: {grade}").format(grade=grade), None, rule, extra_source)
    return Terms(
        surplus_to_pool=Share.of_param(block.surplus_pooled_share),
        county_caused=Share.of_param(settlement.county_caused_share),
        local_funds=("county_balance",),
        local_source=block.deficit_pooled_share.source,
        pooled=_lowered(Share.of_param(block.deficit_pooled_share), extra, extra_source),
        overflow_city=_lowered(Share.of_param(block.overflow_city_share), extra, extra_source),
        notes=(note,),
    )


def _lowered(share: Share, extra: Decimal, extra_source: str) -> Share:
    """The city side's share once the county carries `extra` more, citing both rules."""
    if not extra:
        return share
    return Share(share.value - extra, join_sources((share.source, extra_source)))
