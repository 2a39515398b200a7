"""What the fund-use plan screen does, without widgets: the scheme and month shown, the plan
as a grid, the suggestion behind it, which steps fit the user and the plan, and the calls to
the plan services.

Every write goes through `mibdesk.core.services.plans` / `plan_flow`, which check permissions
and the plan's status and raise `UserError` (nothing changed) when they refuse. Typed cells
wait in the table until `flush()`, so a pasted block is ONE `set_requests`; after a write the
controller publishes the service's `Changes` on the hub (`publishing` is True meanwhile, so
the screen knows the change is its own and already shown).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from mibdesk.core.catalog import Profile, SchemeProfile
from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.rules.plan_suggest import PlanSuggestion
from mibdesk.core.security.roles import Actor, Permission
from mibdesk.core.services import accounts, plan_flow, plans
from mibdesk.core.services.calendar import work_calendar
from mibdesk.core.services.changes import Changes, Outcome
from mibdesk.core.services.plan_flow import Decision, StepStatus
from mibdesk.core.services.plans import PlanLineView, PlanView
from mibdesk.core.services.store import Store
from mibdesk.core.table import ListTableModel, format_value
from mibdesk.core.tables.plan_table import PlanTable, plan_status_label
from mibdesk.ui.context import UiContext
from mibdesk.ui.figures.controller import Action
from mibdesk.ui.plans.rows import VersionRow, version_columns, version_rows

YEARS_OFFERED = 3
"""The month list reaches back to January this many years ago."""


@dataclass(frozen=True)
class PlanActions:
    """The steps of the plan shown, as the user may take them now."""

    draft: Action  # 起草: the month has no plan yet
    redraft: Action  # 修订重报: the city returned the plan
    review: Action
    sign: Action
    submit: Action
    send_back: Action
    decision: Action
    disbursement: Action


class PlanController:
    """One scheme's plan for one month, and its way from draft to money received.

    `deferred()` is called when the first edit of a batch waits to be saved; the caller must
    then call `flush()` soon (the screen: on the next turn of the event loop).
    """

    def __init__(self, ctx: UiContext, deferred: Callable[[], None] | None = None) -> None:
        self._ctx = ctx
        self.publishing = False
        self._people: dict[int, str] = {}
        self._unpublished = Changes()
        self.today: date = ctx.store.clock().date()
        this_month = Month.of(self.today)
        first = Month(this_month.year - YEARS_OFFERED, 1)
        last = this_month.next()
        self.months = tuple(first.plus(i) for i in range(first.months_until(last) + 1))
        self.scheme_code: str = ctx.profile.schemes[0].code
        self.month = last  # next month's plan is drafted this month
        self.suggestion: PlanSuggestion | None = None
        self.problem = ""  # why the month cannot have a plan (no quota recorded …)
        self.table = PlanTable(None, self._save, can_enter=self.can_enter, deferred=deferred)
        self.versions: ListTableModel[VersionRow] = ListTableModel(version_columns(), [])
        self.reload()

    # -- what is shown ---------------------------------------------------------------------

    @property
    def can_enter(self) -> bool:
        return self._ctx.actor.can(Permission.ENTER)

    @property
    def scheme(self) -> SchemeProfile:
        return self._ctx.profile.scheme(self.scheme_code)

    @property
    def view(self) -> PlanView | None:
        return self.table.view

    @property
    def pending(self) -> bool:
        return self.table.pending

    def load(self, scheme_code: str, month: Month) -> None:
        """Show another scheme or month (edits not yet saved are dropped)."""
        self.scheme_code, self.month = scheme_code, month
        self.reload()

    def reload(self) -> None:
        """Read the plan and today's suggestion again from the store."""
        args = (self._ctx.store, self._ctx.profile, self.scheme_code, self.month)
        self.problem = ""
        try:
            view = plans.plan_view(*args)
            self.suggestion = plans.suggestion(*args)
        except UserError as error:  # no quota for the year: nothing to plan against
            self.suggestion, view = None, None
            self.problem = str(error)
        live = {s.line: s.amount for s in self.suggestion.lines} if self.suggestion else {}
        self.table.set_view(view, live)
        self.versions.replace_rows(version_rows(view))

    def flush(self) -> str | None:
        """Save the typed cells waiting, as one save; publish what changed. Returns the
        refusal's message (those edits are dropped, nothing is stored), or None."""
        error = self.table.flush()
        self._publish(Changes())
        return error

    def status_text(self) -> str:
        view = self.view
        if view is None:
            return _("Status: {status}").format(status=plan_status_label(None))
        text = _("Status: {status} · version {version}").format(
            status=plan_status_label(view.status), version=view.version
        )
        if view.prepared_by is not None:
            text += " · " + _("prepared by {name}").format(name=self.person(view.prepared_by))
        return text

    def notice(self) -> tuple[str, bool]:
        """What the user should know about the plan, and whether it is bad news."""
        view = self.view
        if self.problem:
            return self.problem, True
        if view is None:
            return _("No plan has been drafted for {month} yet.").format(
                month=self.month.label
            ), False
        if view.status == "returned":
            return _("Returned by the city on {date}: {reason}").format(
                date=view.decided_on or "", reason=view.decision_note
            ), True
        if view.status == "disbursed":
            return _("{amount} yuan received on {date}.").format(
                amount=format_value("fen", view.disbursed_amount), date=view.disbursed_on
            ), False
        if view.status == "approved":
            return _("Approved by the city on {date}: {amount} yuan.").format(
                date=view.decided_on or "", amount=format_value("fen", view.approved_total)
            ) + (f"（{view.decision_note}）" if view.decision_note else ""), False
        if view.status == "submitted":
            return _(
                "Submitted to the city on {date}; enter the city's decision when it comes."
            ).format(date=(view.submitted_at or "")[:10]), False
        if view.editable and self._own(view) and self._ctx.actor.can(Permission.REVIEW):
            return _("You prepared this plan: another person must review and sign it."), False
        return "", False

    def actions(self) -> PlanActions:
        actor, view = self._ctx.actor, self.view
        enter, review = actor.can(Permission.ENTER), actor.can(Permission.REVIEW)
        sign = actor.can(Permission.APPROVE)
        status = view.status if view else None
        not_own = view is not None and not self._own(view)  # nobody passes their own plan
        return PlanActions(
            draft=Action(enter and view is None, not self.problem),
            redraft=Action(enter and status == "returned", True),
            review=Action(review and view is not None, status == "draft" and not_own),
            sign=Action(sign and view is not None, status == "reviewed" and not_own),
            submit=Action(enter and view is not None, status == "signed"),
            send_back=Action(review and view is not None, status in ("reviewed", "signed")),
            decision=Action(enter and view is not None, status == "submitted"),
            disbursement=Action(enter and view is not None, status == "approved"),
        )

    def steps(self) -> list[StepStatus]:
        """The plan's deadline chain with what was done when (no plan yet: nothing done)."""
        view, store = self.view, self._ctx.store
        if view is not None:
            return plan_flow.plan_steps(store, self._ctx.profile, view, self.today)
        calendar = work_calendar(store)
        return plan_flow.chain_status(self._ctx.profile, calendar, self.month, {}, self.today)

    def method_of(self, item: PlanLineView) -> str:
        """How the line's suggestion shown was found (stored with the plan, else today's)."""
        if item.suggestion_method:
            return item.suggestion_method
        found = self.suggestion.lines if self.suggestion else ()
        return next((s.method for s in found if s.line == item.line), "none")

    def line_names(self) -> Mapping[str, str]:
        return {line.code: line.name for line in self.scheme.lines_in("expenditure")}

    def person(self, user_id: int) -> str:
        """Who a user is, by name: 王芳."""
        if user_id not in self._people:
            self._people = {u.id: u.display_name for u in accounts.list_users(self._ctx.store)}
        return self._people.get(user_id, str(user_id))

    # -- steps -----------------------------------------------------------------------------

    def draft(self) -> None:
        """Draft the month's plan (after a return: its next version)."""
        self._step(plans.draft_plan(*self._args()))

    def review(self) -> None:
        self._step(plan_flow.review_plan(*self._args()))

    def sign(self) -> None:
        self._step(plan_flow.sign_plan(*self._args()))

    def submit(self) -> None:
        self._step(plan_flow.submit_plan(*self._args()))

    def send_back(self, reason: str) -> None:
        self._step(plan_flow.send_back_plan(*self._args(), reason))

    def record_decision(
        self,
        decision: Decision,
        decided_on: date,
        note: str = "",
        reduced: Mapping[str, tuple[int, str]] | None = None,
    ) -> None:
        outcome = plan_flow.record_decision(
            *self._args(), decision, decided_on, note=note, reduced=reduced
        )
        self._step(outcome)

    def record_disbursement(self, amount: int, received_on: date) -> None:
        self._step(plan_flow.record_disbursement(*self._args(), amount, received_on))

    def _args(self) -> tuple[Store, Actor, Profile, str, Month]:
        ctx = self._ctx
        return ctx.store, ctx.actor, ctx.profile, self.scheme_code, self.month

    def _own(self, view: PlanView) -> bool:
        return view.prepared_by == self._ctx.actor.user_id

    def _step(self, outcome: Outcome[PlanView]) -> None:
        self.table.set_view(outcome.value)
        self.versions.replace_rows(version_rows(outcome.value))
        self._publish(outcome.changes)

    def _save(self, edits: Mapping[str, tuple[int, str]]) -> PlanView:
        outcome = plans.set_requests(*self._args(), edits)
        self.versions.replace_rows(version_rows(outcome.value))
        self._unpublished = self._unpublished | outcome.changes
        return outcome.value

    def _publish(self, changes: Changes) -> None:
        changes, self._unpublished = self._unpublished | changes, Changes()
        self.publishing = True
        try:
            self._ctx.hub.publish(changes)
        finally:
            self.publishing = False
