"""Forwarding finance's money to the counties (市经办机构拨付至县区支出户), and where each
county's plan stands on the month's chain of deadlines.

A county is paid only from a funded application that holds its approved plan, at most what
was approved for it, not before finance paid the city, and never more in all than finance
paid. Each payment is recorded on the county's plan at the city and sent to the county as a
disbursement notice (`sending_city.send_disbursement`), in one transaction.
"""

from __future__ import annotations

from datetime import date

from mibdesk.core.catalog import Profile
from mibdesk.core.db.models import CountyPlan
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit
from mibdesk.core.rules.city_deadlines import Timing, city_chain
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.calendar import work_calendar
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.city.application import (
    APPLICATION_CHANGES,
    Application,
    ApplicationItem,
    applications,
    current,
)
from mibdesk.core.services.city.overview import sent_day
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.sending_city import send_disbursement
from mibdesk.core.services.store import Store


def _holding(
    store: Store, profile: Profile, county: str, scheme: str, month: Month
) -> tuple[Application, ApplicationItem]:
    for app in reversed(applications(store, profile, scheme, month)):
        for item in app.items:
            if item.county == county:
                return app, item
    raise ValidationError(
        _("{county}'s plan for {month} is in no application to finance yet.").format(
            county=county, month=month.label
        )
    )


def forward(
    store: Store,
    actor: Actor,
    profile: Profile,
    county: str,
    scheme: str,
    month: Month,
    amount: int,
    paid_on: date,
) -> Outcome[Application]:
    """Pay one county its approved plan from finance's money, and tell it by file."""
    require(actor, Permission.APPROVE)
    app, item = _holding(store, profile, county, scheme, month)
    if app.status != "funded" or app.funded_amount is None or app.funded_on is None:
        raise ValidationError(
            _(
                "Finance has not paid application {n} yet: record finance's payment before "
                "forwarding money to the counties."
            ).format(n=app.number)
        )
    if item.forwarded_on:
        raise ValidationError(
            _("{name} was already paid {amount} yuan on {date} for {month}.").format(
                name=item.name,
                amount=format_fen(item.forwarded_amount or 0),
                date=item.forwarded_on,
                month=month.label,
            )
        )
    if not 0 < amount <= item.amount:
        raise ValidationError(
            _("The amount must be above 0 and at most the {approved} approved.").format(
                approved=format_fen(item.amount)
            ),
            where=item.name,
        )
    left = app.funded_amount - app.forwarded
    if amount > left:
        raise ValidationError(
            _("Only {left} yuan of finance's {paid} yuan are left to forward.").format(
                left=format_fen(left), paid=format_fen(app.funded_amount)
            ),
            where=item.name,
        )
    if paid_on < date.fromisoformat(app.funded_on):
        raise ValidationError(
            _("The city cannot pay before finance paid it ({date}).").format(date=app.funded_on),
            where=_("Payment date"),
        )
    with store.write() as session:
        plan = session.get(CountyPlan, item.plan_id)
        assert plan is not None
        plan.status, plan.disbursed_amount = "disbursed", amount
        plan.disbursed_on = paid_on.isoformat()
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="county_plan.forward",
            entity="county_plan",
            entity_key=f"{county}/{scheme}/{month.to_int()}/v{item.version}",
            before={"status": "approved"},
            after={"status": "disbursed", "amount": amount, "paid_on": paid_on.isoformat()},
        )
        sending = send_disbursement(store, actor, county, scheme, month, amount, paid_on)
    return Outcome(
        current(store, profile, scheme, month, app.number), sending.changes | APPLICATION_CHANGES
    )


def forward_all(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    paid_on: date,
    number: int | None = None,
) -> Outcome[Application]:
    """Pay every county of a fully funded application its approved amount."""
    app = current(store, profile, scheme, month, number)
    if app.status == "funded" and (app.funded_amount or 0) < app.total:
        raise ValidationError(
            _(
                "Finance paid {paid} yuan of the {total} applied for: decide what each county "
                "gets and forward county by county."
            ).format(paid=format_fen(app.funded_amount or 0), total=format_fen(app.total))
        )
    changes = APPLICATION_CHANGES
    for item in app.items:
        if not item.forwarded_on:
            outcome = forward(
                store, actor, profile, item.county, scheme, month, item.amount, paid_on
            )
            changes = changes | outcome.changes
    return Outcome(current(store, profile, scheme, month, app.number), changes)


def plan_steps(
    store: Store,
    profile: Profile,
    county: str,
    scheme: str,
    month: Month,
    submitted_at: str | None,
    today: date | None = None,
) -> list[Timing]:
    """One county's plan on the month's chain: its submission, the city's application, the
    money from finance and the city's forwarding, each on time or how late."""
    today = today or store.clock().date()
    held = None
    for app in reversed(applications(store, profile, scheme, month, today)):
        held = next(((app, i) for i in app.items if i.county == county), None)
        if held:
            break
    app_of, item = held if held else (None, None)
    done = {
        "county_plan": sent_day(submitted_at),
        "city_apply": sent_day(app_of.applied_on) if app_of else None,
        "finance_disburse": sent_day(app_of.funded_on) if app_of else None,
        "city_forward": sent_day(item.forwarded_on) if item else None,
    }
    return city_chain(profile.timetable, month, work_calendar(store), done, today)
