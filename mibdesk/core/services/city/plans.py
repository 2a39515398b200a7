"""Reviewing the counties' fund-use plans: list what was submitted, approve as asked, reduce
lines (each with its reason) or return the plan (with reasons). Every decision goes to the
county as a package (`sending_city.send_decision`) and is recorded at the city in the same
transaction.

Checked before anything changes, in the county's own terms (plan_flow.record_decision), so
that no county refuses a decision: the plan's latest version is still undecided (a plan is
decided once; a returned plan comes back as a new version), a reduced line is a line of the
plan, its amount lies from 0 to below what was asked and it has a reason, a return says why,
and the decision is not dated before the plan was submitted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import N_, _
from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.repos import city as repo
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.city.overview import sent_day
from mibdesk.core.services.exchange.sending_city import send_decision
from mibdesk.core.services.store import Store

PLAN_CHANGES = Changes.of(Area.PLANS, Area.AUDIT, Area.OFFICE)
STATUS_NAMES = {
    "submitted": N_("submitted"),
    "approved": N_("approved"),
    "returned": N_("returned"),
    "disbursed": N_("disbursed"),
}


@dataclass(frozen=True)
class PlanLineView:
    line: str
    name: str
    requested: int
    justification: str
    approved: int | None
    decision_reason: str


@dataclass(frozen=True)
class CountyPlanView:
    """A county's plan as the city has it: latest version, lines, decision, disbursement."""

    id: int
    county: str
    name: str
    scheme: str
    month: Month
    version: int
    status: str  # submitted | approved | returned | disbursed
    package_id: str
    pdf_file: str  # inside the package (the county's signed PDF)
    submitted_at: str
    received_at: str
    decided_on: str | None
    decision_note: str
    requested: int
    approved: int | None
    disbursed_amount: int | None
    disbursed_on: str | None
    lines: tuple[PlanLineView, ...]


def county_plans(
    store: Store,
    profile: Profile,
    month: Month,
    *,
    scheme: str = "",
    statuses: tuple[str, ...] = (),
) -> list[CountyPlanView]:
    """The latest version of every county's plan for `month` (optionally one scheme, or
    only plans in `statuses`), each with its lines; two queries whatever the counties."""
    with store.read() as session:
        names = {code: name for code, name, _status in repo.counties(session)}
        heads = repo.plan_heads(session, [month.to_int()], scheme=scheme)
        latest: dict[tuple[str, str], repo.PlanHead] = {}
        for head in heads:
            latest[(head.office, head.scheme)] = head  # ordered by version
        chosen = [h for h in latest.values() if not statuses or h.status in statuses]
        rows = repo.plan_lines(session, [h.id for h in chosen])
    line_names: dict[str, dict[str, str]] = {
        sp.code: {ln.code: ln.name for ln in sp.lines} for sp in profile.schemes
    }
    scheme_of = {h.id: h.scheme for h in chosen}
    lines: dict[int, list[PlanLineView]] = defaultdict(list)
    for plan_id, code, requested, justification, approved, reason in rows:
        name = line_names.get(scheme_of[plan_id], {}).get(code, code)
        lines[plan_id].append(PlanLineView(code, name, requested, justification, approved, reason))
    return [
        _view(head, names.get(head.office, head.office), month, tuple(lines[head.id]))
        for head in sorted(chosen, key=lambda h: (h.office, h.scheme))
    ]


def _view(
    head: repo.PlanHead, name: str, month: Month, lines: tuple[PlanLineView, ...]
) -> CountyPlanView:
    return CountyPlanView(
        head.id,
        head.office,
        name,
        head.scheme,
        month,
        head.version,
        head.status,
        head.package_id,
        head.pdf_file,
        head.submitted_at,
        head.received_at,
        head.decided_on,
        head.decision_note,
        head.requested,
        head.approved,
        head.disbursed_amount,
        head.disbursed_on,
        lines,
    )


def county_plan(
    store: Store, profile: Profile, county: str, scheme: str, month: Month
) -> CountyPlanView:
    """The latest version of one county's plan; ValidationError when none was received."""
    for view in county_plans(store, profile, month, scheme=scheme):
        if view.county == county:
            return view
    raise ValidationError(
        _("No {scheme} plan of {county} for {month} has been received.").format(
            scheme=profile.scheme(scheme).name, county=county, month=month.label
        )
    )


def _undecided(
    store: Store, profile: Profile, county: str, scheme: str, month: Month, decided_on: date
) -> CountyPlanView:
    plan = county_plan(store, profile, county, scheme, month)
    if plan.status != "submitted":
        raise ValidationError(
            _(
                "Version {version} of {name}'s plan for {month} was already decided on {date} "
                "({status}). A plan is decided once; a returned plan comes back as a new version."
            ).format(
                version=plan.version,
                name=plan.name,
                month=month.label,
                date=plan.decided_on or "",
                status=_(STATUS_NAMES.get(plan.status, plan.status)),
            )
        )
    submitted = sent_day(plan.submitted_at)
    if submitted is not None and decided_on < submitted:
        raise ValidationError(
            _("The decision cannot come before the plan was submitted ({date}).").format(
                date=submitted.isoformat()
            ),
            where=_("Decision date"),
        )
    return plan


def approve(
    store: Store,
    actor: Actor,
    profile: Profile,
    county: str,
    scheme: str,
    month: Month,
    decided_on: date,
    note: str = "",
) -> Outcome[CountyPlanView]:
    """Approve the plan as asked, every line in full."""
    return _decide(store, actor, profile, county, scheme, month, "approved", decided_on, note, {})


def reduce(
    store: Store,
    actor: Actor,
    profile: Profile,
    county: str,
    scheme: str,
    month: Month,
    cuts: Mapping[str, tuple[int, str]],
    decided_on: date,
    note: str = "",
) -> Outcome[CountyPlanView]:
    """Approve with some lines reduced: line → (approved amount in fen, reason)."""
    if not cuts:
        raise ValidationError(_("Give the reduced lines and their reasons."))
    return _decide(store, actor, profile, county, scheme, month, "reduced", decided_on, note, cuts)


def return_plan(
    store: Store,
    actor: Actor,
    profile: Profile,
    county: str,
    scheme: str,
    month: Month,
    reasons: str,
    decided_on: date,
) -> Outcome[CountyPlanView]:
    """Send the plan back to the county with the city's reasons (it may submit a new one)."""
    if not reasons.strip():
        raise ValidationError(
            _("Give the city's reasons for returning the plan."), where=_("Reason")
        )
    return _decide(
        store, actor, profile, county, scheme, month, "returned", decided_on, reasons, {}
    )


def _decide(
    store: Store,
    actor: Actor,
    profile: Profile,
    county: str,
    scheme: str,
    month: Month,
    decision: Literal["approved", "reduced", "returned"],
    decided_on: date,
    note: str,
    cuts: Mapping[str, tuple[int, str]],
) -> Outcome[CountyPlanView]:
    require(actor, Permission.APPROVE)
    plan = _undecided(store, profile, county, scheme, month, decided_on)
    lines = {line.line: line for line in plan.lines}
    clean: dict[str, tuple[int, str]] = {}
    for code, (amount, reason) in cuts.items():
        line = lines.get(code)
        if line is None:
            raise ValidationError(_("{line} is not a line of this plan.").format(line=code))
        if not 0 <= amount < line.requested:
            raise ValidationError(
                _("A reduced amount lies from 0 to below the {requested} requested.").format(
                    requested=format_fen(line.requested)
                ),
                where=line.name,
            )
        if not reason.strip():
            raise ValidationError(_("Give the reason for the reduction."), where=line.name)
        clean[code] = (amount, reason.strip())
    sending = send_decision(
        store, actor, county, scheme, month, decision, decided_on, note, clean or None
    )
    return Outcome(
        county_plan(store, profile, county, scheme, month), sending.changes | PLAN_CHANGES
    )
