"""Issuing quotas: a scheme's annual expenditure budget allocated to the counties (typed per
county, imported from a workbook, or split by weighted factors), budget adjustments, and
publishing them to the counties by file (one `send_quota` package per county).

A proposal is checked before anything is written: the scheme is pooled, every county is one
of the city's registered counties, the counties add up to the budget exactly (else "差 X 元"),
a year's quota gives every county a positive amount and is issued once (later changes are
adjustments, with a document and a reason), an adjustment keeps each county's quota at or
above the plans the city already approved for it. Publishing records the allocation (with its
working) in one transaction, then sends one package per county; a package that could not be
built (a county's key revoked meanwhile) is sent later with `send_pending`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from mibdesk.core.catalog import Profile
from mibdesk.core.db.models import CityAllocation, CityAllocationLine
from mibdesk.core.errors import UserError, ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import MAX_FEN
from mibdesk.core.repos import audit
from mibdesk.core.repos import city as repo
from mibdesk.core.rules.allocation import (
    QUOTA_SOURCE,
    CountyAmount,
    Factor,
    Split,
    check_sum,
    weighted_split,
)
from mibdesk.core.rules.quota import adjustment_fits
from mibdesk.core.rules.working import Step
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.city.issued import (
    Kind,
    Method,
    PublishedAllocation,
    approved_plans,
    county_quotas,
    published,
)
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.sending_city import send_quota
from mibdesk.core.services.store import Store

log = logging.getLogger(__name__)

ALLOCATION_CHANGES = Changes.of(Area.QUOTAS, Area.AUDIT, Area.OFFICE)


@dataclass(frozen=True)
class Proposal:
    """An allocation checked and ready to publish (nothing written yet)."""

    scheme: str
    year: int
    kind: Kind
    method: Method
    split: Split


def registered_counties(store: Store) -> dict[str, str]:
    """code → name of the counties whose keys are active: those a quota can go to."""
    with store.read() as session:
        return {code: name for code, name, status in repo.counties(session) if status == "active"}


def _check_target(
    store: Store, profile: Profile, scheme: str, year: int, kind: Kind
) -> dict[str, str]:
    profile.scheme(scheme)  # ProfileError: the city does not pool it
    if not 2000 <= year <= 2100:
        raise ValidationError(_("{year} is not a budget year.").format(year=year))
    counties = registered_counties(store)
    if not counties:
        raise ValidationError(
            _("No county is registered yet: register the counties' keys before issuing quotas.")
        )
    with store.read() as session:
        issued = [a for a in repo.allocations(session, scheme, year) if a.kind == "quota"]
    if kind == "quota" and issued:
        raise ValidationError(
            _(
                "The {year} quotas of this scheme were issued on {date} ({doc}). A quota changes "
                "only by a budget adjustment (预算调整)."
            ).format(year=year, date=issued[0].doc_date, doc=issued[0].doc_no)
        )
    if kind == "adjustment" and not issued:
        raise ValidationError(_("Issue the {year} quotas before adjusting them.").format(year=year))
    return counties


def typed_allocation(
    store: Store,
    profile: Profile,
    scheme: str,
    year: int,
    budget: int,
    amounts: Mapping[str, int],
    *,
    kind: Kind = "quota",
    sources: Mapping[str, str] | None = None,
    method: Method = "typed",
) -> Proposal:
    """County amounts as typed (or read from `sources`' cells), checked to add up."""
    counties = _check_target(store, profile, scheme, year, kind)
    _check_budget(budget, kind)
    for county in amounts:
        if county not in counties:
            raise ValidationError(
                _("{code} is not one of the city's registered counties.").format(code=county)
            )
    if kind == "quota":
        for county, name in counties.items():
            if amounts.get(county, 0) <= 0:
                raise ValidationError(
                    _("Give {name} ({code}) a positive quota.").format(name=name, code=county),
                    where=_("Quota"),
                )
    check = check_sum(budget, amounts)
    if not check.adds_up:
        raise ValidationError(
            _("The allocation does not add up: {detail}.").format(detail=check.message()),
            where=_("Allocation"),
        )
    label = _("imported from {cell}") if method == "workbook" else _("typed")
    rule = _("from a workbook") if method == "workbook" else _("typed")
    rows = tuple(
        CountyAmount(
            county,
            Fraction(amount, budget) if budget else Fraction(0),
            Fraction(amount),
            amount,
            (Step(label.format(cell=(sources or {}).get(county, "")), amount, rule, QUOTA_SOURCE),),
        )
        for county, amount in sorted(amounts.items())
        if amount or kind == "quota"
    )
    steps = (
        Step(check.message() or _("the counties add up to the budget"), budget, "", QUOTA_SOURCE),
    )
    return Proposal(scheme, year, kind, method, Split(budget, rows, steps))


def workbook_allocation(
    store: Store,
    profile: Profile,
    scheme: str,
    year: int,
    budget: int,
    path: str | os.PathLike[str],
    *,
    kind: Kind = "quota",
) -> Proposal:
    """County amounts from a workbook (see excel/allocation_workbook.py), checked to add up."""
    from mibdesk.core.excel.allocation_workbook import read_amounts

    counties = _check_target(store, profile, scheme, year, kind)
    rows = read_amounts(path, counties, negative_ok=kind == "adjustment")
    amounts = {row.county: row.amount for row in rows}
    sources = {row.county: row.where for row in rows}
    return typed_allocation(
        store, profile, scheme, year, budget, amounts, kind=kind, sources=sources, method="workbook"
    )


def weighted_allocation(
    store: Store,
    profile: Profile,
    scheme: str,
    year: int,
    budget: int,
    factors: Sequence[Factor],
    *,
    kind: Kind = "quota",
) -> Proposal:
    """The budget split over every registered county by weighted factors, with the arithmetic."""
    counties = _check_target(store, profile, scheme, year, kind)
    _check_budget(budget, kind)
    split = weighted_split(budget, factors, sorted(counties))
    if kind == "quota":
        for county in split.counties:
            if county.amount <= 0:
                raise ValidationError(
                    _("{code} would get no quota: give it a value above zero.").format(
                        code=county.county
                    ),
                    where=_("Factors"),
                )
    return Proposal(scheme, year, kind, "weighted", split)


def _check_budget(budget: int, kind: Kind) -> None:
    if kind == "quota" and not 0 < budget < MAX_FEN:
        raise ValidationError(
            _("A budget is a positive amount below 10¹² yuan."), where=_("Budget")
        )
    if kind == "adjustment" and abs(budget) >= MAX_FEN:
        raise ValidationError(_("An adjustment is below 10¹² yuan."), where=_("Budget"))


def _check_document(doc_no: str, doc_date: date, year: int, kind: Kind, reason: str) -> None:
    """The county's own checks on a quota document (services/quotas.py), made before any
    package leaves, so that no county refuses what the city publishes."""
    if not doc_no.strip() or len(doc_no.strip()) > 80:
        raise ValidationError(
            _("Give the city's document number (文号), at most 80 characters."),
            where=_("Document number"),
        )
    if not year - 1 <= doc_date.year <= year + 1:
        raise ValidationError(
            _("The document date {date} is far from the quota's year {year}.").format(
                date=doc_date.isoformat(), year=year
            ),
            where=_("Document date"),
        )
    if kind == "adjustment" and not reason.strip():
        raise ValidationError(_("Say what the adjustment is for."), where=_("Reason"))


def publish(
    store: Store,
    actor: Actor,
    profile: Profile,
    proposal: Proposal,
    doc_no: str,
    doc_date: date,
    reason: str = "",
) -> Outcome[PublishedAllocation]:
    """Record the allocation, then send each county its quota (or adjustment) by file."""
    require(actor, Permission.APPROVE)
    _check_document(doc_no, doc_date, proposal.year, proposal.kind, reason)
    counties = _check_target(store, profile, proposal.scheme, proposal.year, proposal.kind)
    amounts = proposal.split.amounts
    check = check_sum(proposal.split.budget, amounts)
    if not check.adds_up:
        raise ValidationError(
            _("The allocation does not add up: {detail}.").format(detail=check.message())
        )
    missing = [c for c in amounts if c not in counties]
    if missing:
        raise ValidationError(
            _("{code} is not one of the city's registered counties.").format(code=missing[0])
        )
    if proposal.kind == "adjustment":
        _check_adjustment_fits(store, proposal, counties)
    at = stamp(store.clock())
    working = {"": [s.label for s in proposal.split.steps]}
    working.update({c.county: [s.label for s in c.steps] for c in proposal.split.counties})
    with store.write() as session:
        row = CityAllocation(
            scheme=proposal.scheme,
            year=proposal.year,
            kind=proposal.kind,
            method=proposal.method,
            total=proposal.split.budget,
            doc_no=doc_no.strip(),
            doc_date=doc_date.isoformat(),
            reason=reason.strip(),
            working_json=json.dumps(working, ensure_ascii=False),
            published_by=actor.username,
            published_at=at,
        )
        session.add(row)
        session.flush()
        session.add_all(
            CityAllocationLine(allocation_id=row.id, county=county, amount=amount, package_id="")
            for county, amount in sorted(amounts.items())
            if amount
        )
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action=f"allocation.{proposal.kind}",
            entity="city_allocation",
            entity_key=f"{proposal.scheme}/{proposal.year}/{row.id}",
            after={"method": proposal.method, "total": proposal.split.budget, "counties": amounts},
            reason=reason.strip(),
        )
        allocation_id = row.id
    return send_pending(store, actor, allocation_id)


def _check_adjustment_fits(store: Store, proposal: Proposal, counties: Mapping[str, str]) -> None:
    issued = county_quotas(store, proposal.scheme, proposal.year)
    approved = approved_plans(store, proposal.scheme, proposal.year)
    for county, change in proposal.split.amounts.items():
        refusal = adjustment_fits(issued.get(county, 0) + change, approved.get(county, 0))
        if refusal:
            raise ValidationError(refusal, where=f"{counties[county]}（{county}）")


def send_pending(store: Store, actor: Actor, allocation_id: int) -> Outcome[PublishedAllocation]:
    """Send every county of a recorded allocation whose package has not been built yet; a
    county that cannot be sent now (`UserError`, e.g. its key revoked) stays pending, the
    others are sent, and the result lists what still waits (`PublishedAllocation.pending`)."""
    require(actor, Permission.APPROVE)
    with store.read() as session:
        row = session.get(CityAllocation, allocation_id)
        if row is None:
            raise ValidationError(_("There is no such allocation."))
        todo = [
            (line.id, line.county, line.amount)
            for line in repo.allocation_lines(session, row.id)
            if not line.package_id
        ]
        scheme, year, doc_no = row.scheme, row.year, row.doc_no
        doc_date, reason = (
            date.fromisoformat(row.doc_date),
            row.reason if row.kind == "adjustment" else "",
        )
    for line_id, county, amount in todo:
        with store.write() as session:
            try:
                sending = send_quota(
                    store, actor, county, scheme, year, amount, doc_no, doc_date, reason=reason
                ).value
            except UserError as error:  # e.g. its key revoked meanwhile: the others still go
                log.warning("quota %s for %s not sent: %s", doc_no, county, error)
                continue
            line = session.get(CityAllocationLine, line_id)
            assert line is not None
            line.package_id = sending.sent.package_id
    return Outcome(published(store, scheme, year, allocation_id)[0], ALLOCATION_CHANGES)
