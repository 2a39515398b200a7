"""The monthly fund-use plan (用款计划): drafting next month's plan with suggestions, and its form.

Each expenditure line shows the annual quota, what was received and spent to date, the last
month's plan and actual, the remaining quota, the suggested and the requested amount, and
the justification. A plan for a month with no quota is refused; the requested total plus what
the city already approved never exceeds the available quota (004 §4.4). Each version of a
month's plan is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mibdesk.core.catalog import Profile
from mibdesk.core.db.models import FundPlan, FundPlanLine
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import N_, _
from mibdesk.core.money import MAX_FEN
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit, plans
from mibdesk.core.rules.plan_suggest import PlanSuggestion, justification_prompt, suggest_plan
from mibdesk.core.rules.quota import QuotaPosition, plan_fits, quota_position
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.quotas import approved_plans, quota_inputs, spent, spent_by_line
from mibdesk.core.services.store import Store

PLAN_CHANGES = Changes.of(Area.PLANS, Area.AUDIT)
PENDING = ("draft", "reviewed", "signed", "submitted")
STATUS_LABELS = {
    "draft": N_("draft"),
    "reviewed": N_("reviewed, awaiting signature"),
    "signed": N_("signed, not yet submitted"),
    "submitted": N_("submitted, awaiting the city's decision"),
    "approved": N_("approved, awaiting the money"),
    "returned": N_("returned by the city"),
    "disbursed": N_("disbursed"),
}


def status_label(status: str) -> str:
    """A plan's status in words."""
    return _(STATUS_LABELS.get(status, status))


SUGGESTION_HISTORY_MONTHS = 25


@dataclass(frozen=True)
class PlanLineView:
    line: str
    name: str
    annual_quota: int | None  # the line's quota where the city splits it, else None
    received: int  # approved on the year's disbursed plans
    spent: int  # year to date, from the monthly figures
    last_plan: int | None  # approved (or requested) on the last month with figures
    last_actual: int | None  # that month's spending
    suggested: int | None
    suggestion_method: str
    requested: int
    approved: int | None
    justification: str
    justification_needed: str | None  # the prompt when the request is well above the suggestion
    decision_reason: str


@dataclass(frozen=True)
class PlanVersion:
    version: int
    status: str
    requested: int
    approved: int | None


@dataclass(frozen=True)
class PlanView:
    scheme: str
    month: Month
    version: int
    status: str
    lines: tuple[PlanLineView, ...]
    requested_total: int
    approved_total: int | None
    disbursed_amount: int | None
    disbursed_on: str | None
    decision_note: str
    position: QuotaPosition  # the year's quota, with this plan not yet approved
    compared_month: Month | None  # the month of `last_plan` / `last_actual`
    versions: tuple[PlanVersion, ...]
    prepared_by: int | None
    submitted_at: str | None
    decided_on: str | None

    @property
    def editable(self) -> bool:
        return self.status == "draft"


def _latest(session: Session, scheme: str, month: Month) -> FundPlan | None:
    versions = plans.plan_versions(session, scheme, month.to_int())
    return versions[-1] if versions else None


def _position(session: Session, profile: Profile, scheme: str, month: Month) -> QuotaPosition:
    inputs = quota_inputs(session, profile, scheme, month.year)
    if inputs is None:
        raise ValidationError(
            _(
                "There is no {year} quota for this scheme: record the quota (支出总量定额) before "
                "drafting a plan for {month}."
            ).format(year=month.year, month=month.label)
        )
    year_plans = plans.plans_of_year(session, scheme, month.year)
    received = sum(p.disbursed_amount or 0 for p in year_plans)
    spending = spent(session, profile, scheme, Month(month.year, 1), month.prev())
    return quota_position(
        inputs,
        approved_plans=approved_plans(session, scheme, month.year),
        received=received,
        spent=sum(spending.values()),
    )


def _history(
    session: Session, profile: Profile, scheme: str, month: Month
) -> dict[str, dict[Month, int]]:
    codes = [
        line.code for line in profile.scheme(scheme).lines_in("expenditure") if not line.computed
    ]
    return spent_by_line(
        session, profile, scheme, month.plus(-SUGGESTION_HISTORY_MONTHS), month.prev(), codes
    )


def _suggest(
    session: Session, profile: Profile, scheme: str, month: Month, position: QuotaPosition
) -> PlanSuggestion:
    return suggest_plan(
        _history(session, profile, scheme, month), month, position.remaining_for_plans
    )


def _view(session: Session, profile: Profile, plan: FundPlan) -> PlanView:
    month = Month.from_int(plan.period)
    scheme = profile.scheme(plan.scheme)
    position = _position(session, profile, plan.scheme, month)
    history = _history(session, profile, plan.scheme, month)
    reported = sorted({m for series in history.values() for m in series})
    compared = reported[-1] if reported else None
    compared_plan = None
    if compared is not None:
        earlier = plans.plan_versions(session, plan.scheme, compared.to_int())
        compared_plan = earlier[-1] if earlier else None
    compared_lines = {
        pl.line: pl for pl in (plans.plan_lines(session, compared_plan.id) if compared_plan else [])
    }
    year_plans = [
        p for p in plans.plans_of_year(session, plan.scheme, month.year) if p.status == "disbursed"
    ]
    received: dict[str, int] = {}
    for lines in plans.lines_of_plans(session, [p.id for p in year_plans]).values():
        for pl in lines:
            received[pl.line] = received.get(pl.line, 0) + (pl.approved or 0)
    year_spent = {
        code: sum(v for m, v in series.items() if m.year == month.year)
        for code, series in history.items()
    }
    rows = []
    for pl in plans.plan_lines(session, plan.id):
        before = compared_lines.get(pl.line)
        line_quota = plans.quota(session, plan.scheme, month.year, pl.line)
        rows.append(
            PlanLineView(
                line=pl.line,
                name=scheme.line(pl.line).name,
                annual_quota=line_quota.amount if line_quota else None,
                received=received.get(pl.line, 0),
                spent=year_spent.get(pl.line, 0),
                last_plan=None
                if before is None
                else (before.approved if before.approved is not None else before.requested),
                last_actual=history.get(pl.line, {}).get(compared) if compared else None,
                suggested=pl.suggested,
                suggestion_method=pl.suggestion_method,
                requested=pl.requested,
                approved=pl.approved,
                justification=pl.justification,
                justification_needed=(
                    justification_prompt(pl.requested, pl.suggested)
                    if pl.suggested is not None
                    else None
                ),
                decision_reason=pl.decision_reason,
            )
        )
    versions = tuple(
        PlanVersion(p.version, p.status, sum(pl.requested for pl in lines), p.approved_amount)
        for p in plans.plan_versions(session, plan.scheme, plan.period)
        for lines in [plans.plan_lines(session, p.id)]
    )
    return PlanView(
        scheme=plan.scheme,
        month=month,
        version=plan.version,
        status=plan.status,
        lines=tuple(rows),
        requested_total=sum(r.requested for r in rows),
        approved_total=plan.approved_amount,
        disbursed_amount=plan.disbursed_amount,
        disbursed_on=plan.disbursed_on,
        decision_note=plan.decision_note,
        position=position,
        compared_month=compared,
        versions=versions,
        prepared_by=plan.prepared_by,
        submitted_at=plan.submitted_at,
        decided_on=plan.decided_on,
    )


def plan_view(store: Store, profile: Profile, scheme: str, month: Month) -> PlanView | None:
    """The newest version of the month's plan (None when nothing was drafted)."""
    with store.read() as session:
        plan = _latest(session, scheme, month)
        return _view(session, profile, plan) if plan else None


def suggestion(store: Store, profile: Profile, scheme: str, month: Month) -> PlanSuggestion:
    """What mibdesk would suggest for the month, with the method and numbers behind it."""
    with store.read() as session:
        return _suggest(session, profile, scheme, month, _position(session, profile, scheme, month))


def draft_plan(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[PlanView]:
    """Start the month's plan from the suggestions; after a return, the next version starts
    from the returned one. Refused while a plan for the month is pending or decided."""
    require(actor, Permission.ENTER)
    at = stamp(store.clock())
    with store.write() as session:
        latest = _latest(session, scheme, month)
        if latest is not None and latest.status != "returned":
            raise ValidationError(
                _(
                    "{month} already has a plan (version {version}, {status}); a second plan is "
                    "drafted only after the city returns the first."
                ).format(month=month.label, version=latest.version, status=latest.status)
            )
        position = _position(session, profile, scheme, month)
        suggested = _suggest(session, profile, scheme, month, position)
        previous = {pl.line: pl for pl in plans.plan_lines(session, latest.id)} if latest else {}
        plan = FundPlan(
            scheme=scheme,
            period=month.to_int(),
            version=latest.version + 1 if latest else 1,
            status="draft",
            prepared_by=actor.user_id,
            created_at=at,
            decision_note="",
        )
        plans.add(session, plan)
        for item in suggested.lines:
            earlier = previous.get(item.line)
            plans.add(
                session,
                FundPlanLine(
                    plan_id=plan.id,
                    line=item.line,
                    requested=earlier.requested if earlier else item.amount,
                    justification=earlier.justification if earlier else "",
                    suggested=item.amount,
                    suggestion_method=item.method,
                    decision_reason="",
                ),
            )
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="plan.draft",
            entity="fund_plan",
            entity_key=f"{scheme}/{month.to_int()}/v{plan.version}",
            after={"suggested": suggested.total},
        )
        view = _view(session, profile, plan)
    return Outcome(view, PLAN_CHANGES)


def set_requests(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    requests: Mapping[str, tuple[int, str]],
) -> Outcome[PlanView]:
    """Change requested amounts and justifications of a draft; refused above the quota, or
    well above the suggestion without a justification."""
    require(actor, Permission.ENTER)
    at = stamp(store.clock())
    with store.write() as session:
        plan = _latest(session, scheme, month)
        if plan is None or plan.status != "draft":
            raise ValidationError(_("Only a draft plan can be changed."))
        lines = {pl.line: pl for pl in plans.plan_lines(session, plan.id)}
        before = {code: (pl.requested, pl.justification) for code, pl in lines.items()}
        for code, (amount, justification) in requests.items():
            if code not in lines:
                raise ValidationError(_("{line} is not a line of this plan.").format(line=code))
            where = profile.scheme(scheme).line(code).name
            if not 0 <= amount < MAX_FEN:
                raise ValidationError(
                    _("A requested amount is 0 or more, below 10¹² yuan."), where=where
                )
            suggested = lines[code].suggested
            prompt = justification_prompt(amount, suggested) if suggested is not None else None
            if prompt and not justification.strip():
                raise ValidationError(prompt, where=where)
            lines[code].requested, lines[code].justification = amount, justification.strip()
        position = _position(session, profile, scheme, month)
        refusal = plan_fits(
            sum(pl.requested for pl in lines.values()), position.approved_plans, position.available
        )
        if refusal:
            raise ValidationError(refusal)
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="plan.edit",
            entity="fund_plan",
            entity_key=f"{scheme}/{month.to_int()}/v{plan.version}",
            before={c: before[c][0] for c in requests},
            after={c: requests[c][0] for c in requests},
        )
        view = _view(session, profile, plan)
    return Outcome(view, PLAN_CHANGES)
