"""A plan's way: draft → reviewed (审核人) → signed (负责人) → submitted → the city's decision
(approved, reduced, or returned with reasons) → disbursed; and where each step is late.

Decisions and disbursements are typed by hand for now; the exchange (issue #6) will bring
them by file through these same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from mibdesk.core.catalog import Profile
from mibdesk.core.db.models import FundPlan
from mibdesk.core.errors import CalendarUnknownError, ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit, plans
from mibdesk.core.rules.deadlines import Deadline, plan_chain
from mibdesk.core.security.roles import Actor, Permission, require, require_not_own
from mibdesk.core.services.calendar import work_calendar
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.plans import PLAN_CHANGES, PlanView, _latest, _view
from mibdesk.core.services.store import Store
from mibdesk.core.workdays import WorkCalendar

Decision = Literal["approved", "reduced", "returned"]
StepState = Literal["done", "late", "open", "waiting", "unknown"]


@dataclass(frozen=True)
class StepStatus:
    deadline: Deadline
    done_on: date | None
    late_days: int | None  # working days past the due date (done late, or still open)
    state: StepState


def _step(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    action: str,
    change: Callable[[Session, FundPlan, str], None],
    reason: str = "",
) -> Outcome[PlanView]:
    at = stamp(store.clock())
    with store.write() as session:
        plan = _latest(session, scheme, month)
        if plan is None:
            raise ValidationError(
                _("No plan has been drafted for {month}.").format(month=month.label)
            )
        before = plan.status
        change(session, plan, at)
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action=action,
            entity="fund_plan",
            entity_key=f"{scheme}/{month.to_int()}/v{plan.version}",
            before={"status": before},
            after={"status": plan.status},
            reason=reason,
        )
        view = _view(session, profile, plan)
    return Outcome(view, PLAN_CHANGES)


def _expect(plan: FundPlan, *statuses: str) -> None:
    if plan.status not in statuses:
        raise ValidationError(
            _("The plan is not at this step (it is: {status}).").format(status=plan.status)
        )


def review_plan(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[PlanView]:
    require(actor, Permission.REVIEW)

    def change(session: Session, plan: FundPlan, at: str) -> None:
        _expect(plan, "draft")
        require_not_own(actor, plan.prepared_by)
        plan.status, plan.reviewed_by = "reviewed", actor.user_id

    return _step(store, actor, profile, scheme, month, "plan.review", change)


def sign_plan(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[PlanView]:
    """负责人 signs what leaves the office; never a plan they drafted."""
    require(actor, Permission.APPROVE)

    def change(session: Session, plan: FundPlan, at: str) -> None:
        _expect(plan, "reviewed")
        require_not_own(actor, plan.prepared_by)
        plan.status, plan.signed_by = "signed", actor.user_id

    return _step(store, actor, profile, scheme, month, "plan.sign", change)


def submit_plan(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[PlanView]:
    require(actor, Permission.ENTER)

    def change(session: Session, plan: FundPlan, at: str) -> None:
        _expect(plan, "signed")
        plan.status, plan.submitted_at = "submitted", at

    return _step(store, actor, profile, scheme, month, "plan.submit", change)


def send_back_plan(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month, reason: str
) -> Outcome[PlanView]:
    """The reviewer or the head returns the draft to its preparer before it leaves."""
    require(actor, Permission.REVIEW)
    if not reason.strip():
        raise ValidationError(_("Say why the plan is sent back."), where=_("Reason"))

    def change(session: Session, plan: FundPlan, at: str) -> None:
        _expect(plan, "reviewed", "signed")
        plan.status, plan.reviewed_by, plan.signed_by = "draft", None, None

    return _step(store, actor, profile, scheme, month, "plan.send_back", change, reason.strip())


def record_decision(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    decision: Decision,
    decided_on: date,
    note: str = "",
    reduced: Mapping[str, tuple[int, str]] | None = None,
) -> Outcome[PlanView]:
    """The city's decision on a submitted plan: as asked, reduced lines (amount and reason
    each), or returned with reasons."""
    require(actor, Permission.ENTER)
    cuts = dict(reduced or {})
    if decision == "returned" and not note.strip():
        raise ValidationError(
            _("Give the city's reasons for returning the plan."), where=_("Reason")
        )
    if decision == "reduced" and not cuts:
        raise ValidationError(_("Give the reduced lines and their reasons."))

    def change(session: Session, plan: FundPlan, at: str) -> None:
        _expect(plan, "submitted")
        if decided_on < date.fromisoformat(str(plan.submitted_at)[:10]):
            raise ValidationError(
                _("The decision cannot come before the plan was submitted."),
                where=_("Decision date"),
            )
        lines = plans.plan_lines(session, plan.id)
        known = {pl.line for pl in lines}
        for code, (amount, reason) in cuts.items():
            line = next((pl for pl in lines if pl.line == code), None)
            if code not in known or line is None:
                raise ValidationError(_("{line} is not a line of this plan.").format(line=code))
            if not 0 <= amount <= line.requested:
                raise ValidationError(
                    _("An approved amount lies between 0 and the {requested} requested.").format(
                        requested=format_fen(line.requested)
                    ),
                    where=profile.scheme(scheme).line(code).name,
                )
            if amount < line.requested and not reason.strip():
                raise ValidationError(
                    _("Give the reason for the reduction."),
                    where=profile.scheme(scheme).line(code).name,
                )
        for pl in lines:
            if decision == "returned":
                pl.approved = None
            elif pl.line in cuts:
                pl.approved, pl.decision_reason = cuts[pl.line][0], cuts[pl.line][1].strip()
            else:
                pl.approved = pl.requested
        plan.status = "returned" if decision == "returned" else "approved"
        plan.approved_amount = (
            None if decision == "returned" else sum(pl.approved or 0 for pl in lines)
        )
        plan.decided_on, plan.decision_note = decided_on.isoformat(), note.strip()

    return _step(store, actor, profile, scheme, month, f"plan.{decision}", change, note.strip())


def record_disbursement(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    amount: int,
    received_on: date,
) -> Outcome[PlanView]:
    """Money received for an approved plan (it may be less than approved, never more)."""
    require(actor, Permission.ENTER)

    def change(session: Session, plan: FundPlan, at: str) -> None:
        _expect(plan, "approved")
        approved = plan.approved_amount or 0
        if not 0 < amount <= approved:
            raise ValidationError(
                _(
                    "The amount received must be above 0 and at most the {approved} approved."
                ).format(approved=format_fen(approved)),
                where=_("Amount received"),
            )
        if plan.decided_on and received_on < date.fromisoformat(plan.decided_on):
            raise ValidationError(
                _("Money cannot arrive before the decision."), where=_("Date received")
            )
        plan.status, plan.disbursed_amount = "disbursed", amount
        plan.disbursed_on = received_on.isoformat()

    return _step(store, actor, profile, scheme, month, "plan.disbursed", change)


def plan_steps(store: Store, profile: Profile, view: PlanView, today: date) -> list[StepStatus]:
    """Every step of the plan's chain with its due date, when it was done, and who is late."""
    return chain_status(
        profile,
        work_calendar(store),
        view.month,
        done_dates(view.submitted_at, view.decided_on, view.disbursed_on),
        today,
    )


def done_dates(
    submitted_at: str | None, decided_on: str | None, disbursed_on: str | None
) -> dict[str, date | None]:
    """When each step was done, as far as the county can see: the city's application by its
    decision, finance's payment and the city's forwarding by the money's arrival."""

    def day(text: str | None) -> date | None:
        return date.fromisoformat(text[:10]) if text else None

    return {
        "county_plan": day(submitted_at),
        "city_apply": day(decided_on),
        "finance_disburse": day(disbursed_on),
        "city_forward": day(disbursed_on),
    }


def chain_status(
    profile: Profile,
    calendar: WorkCalendar,
    month: Month,
    done: Mapping[str, date | None],
    today: date,
) -> list[StepStatus]:
    """Each step's state; a step not done while an earlier one is still open is "waiting":
    nobody is late for work that has not reached them yet."""
    found: list[StepStatus] = []
    for deadline in plan_chain(profile.timetable, month, calendar):
        step = _status(deadline, done.get(deadline.code), today, calendar)
        if step.done_on is None and any(earlier.done_on is None for earlier in found):
            step = StepStatus(deadline, None, None, "waiting")
        found.append(step)
    return found


def _status(
    deadline: Deadline, done_on: date | None, today: date, calendar: WorkCalendar
) -> StepStatus:
    if deadline.due is None:
        return StepStatus(deadline, done_on, None, "done" if done_on else "unknown")
    end = done_on or today
    try:
        late = max(0, calendar.workdays_between(deadline.due, end)) if end > deadline.due else 0
    except CalendarUnknownError:
        return StepStatus(deadline, done_on, None, "unknown")
    if done_on is not None:
        return StepStatus(deadline, done_on, late, "late" if late else "done")
    return StepStatus(deadline, None, late, "late" if late else "open")
