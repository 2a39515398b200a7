"""What the plan review screen does, without widgets: the counties' plans for a month and the
city's decisions on them (approve, reduce lines with reasons, return with reasons).

Decisions go through `mibdesk.core.services.city.plans`, which checks everything and raises
`UserError` (nothing changed) when it refuses; the controller then publishes the service's
`Changes` on the hub. The services load lazily, not when the main window starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Permission
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.services.city.plans import CountyPlanView


def plan_cells(plan: CountyPlanView, scheme_name: str) -> tuple[str, ...]:
    """County, scheme, version, status, requested, approved, submitted."""
    from mibdesk.core.services.city.plans import STATUS_NAMES

    return (
        f"{plan.name}（{plan.county}）",
        scheme_name,
        str(plan.version),
        _(STATUS_NAMES.get(plan.status, plan.status)),
        format_fen(plan.requested),
        "" if plan.approved is None else format_fen(plan.approved),
        plan.submitted_at[:16].replace("T", " "),
    )


def plan_columns() -> tuple[str, ...]:
    return (
        _("County"),
        _("Scheme"),
        _("Version"),
        _("Status"),
        _("Requested (yuan)"),
        _("Approved (yuan)"),
        _("Submitted"),
    )


def line_columns() -> tuple[str, ...]:
    return (
        _("Line"),
        _("Requested (yuan)"),
        _("Justification"),
        _("Approved (yuan)"),
        _("Reason for the reduction"),
    )


def line_cells(plan: CountyPlanView) -> list[tuple[str, ...]]:
    return [
        (
            line.name,
            format_fen(line.requested),
            line.justification,
            "" if line.approved is None else format_fen(line.approved),
            line.decision_reason,
        )
        for line in plan.lines
    ]


class PlanReviewController:
    """The latest version of every county's plan for the chosen month."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.can_decide = ctx.actor.can(Permission.APPROVE)
        today = ctx.store.clock().date()
        self.current = Month.of(today).next()
        months = [self.current]
        for _step in range(11):
            months.insert(0, months[0].prev())
        self.months = [*months, self.current.next()]
        self.plans: list[CountyPlanView] = []

    def load(self, month: Month) -> None:
        from mibdesk.core.services.city.plans import county_plans

        self.plans = county_plans(self._ctx.store, self._ctx.profile, month)

    def scheme_name(self, code: str) -> str:
        for scheme in self._ctx.profile.schemes:
            if scheme.code == code:
                return scheme.name
        return code

    def rows(self) -> list[tuple[str, ...]]:
        return [plan_cells(plan, self.scheme_name(plan.scheme)) for plan in self.plans]

    # -- decisions (UserError when refused; nothing changed then) ---------------------------

    def approve(self, plan: CountyPlanView, note: str = "") -> CountyPlanView:
        from mibdesk.core.services.city import plans

        ctx = self._ctx
        outcome = plans.approve(
            ctx.store,
            ctx.actor,
            ctx.profile,
            plan.county,
            plan.scheme,
            plan.month,
            ctx.store.clock().date(),
            note,
        )
        ctx.hub.publish(outcome.changes)
        return outcome.value

    def reduce(
        self, plan: CountyPlanView, cuts: Mapping[str, tuple[int, str]], note: str = ""
    ) -> CountyPlanView:
        from mibdesk.core.services.city import plans

        ctx = self._ctx
        outcome = plans.reduce(
            ctx.store,
            ctx.actor,
            ctx.profile,
            plan.county,
            plan.scheme,
            plan.month,
            cuts,
            ctx.store.clock().date(),
            note,
        )
        ctx.hub.publish(outcome.changes)
        return outcome.value

    def return_plan(self, plan: CountyPlanView, reasons: str) -> CountyPlanView:
        from mibdesk.core.services.city import plans

        ctx = self._ctx
        outcome = plans.return_plan(
            ctx.store,
            ctx.actor,
            ctx.profile,
            plan.county,
            plan.scheme,
            plan.month,
            reasons,
            ctx.store.clock().date(),
        )
        ctx.hub.publish(outcome.changes)
        return outcome.value
