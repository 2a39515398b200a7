"""Which counties a month's applications to finance hold, and which are not in one yet: the
city sees, before it assembles, whose plan is still undecided or was never received.

Every county the city registered is listed (and any other county that sent a plan), with its
latest plan for the scheme and month and the application that holds it, if any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mibdesk.core.catalog import Profile
from mibdesk.core.periods import Month
from mibdesk.core.repos import city as repo
from mibdesk.core.services.city.application import Application
from mibdesk.core.services.city.plans import county_plans
from mibdesk.core.services.store import Store

Standing = Literal["missing", "undecided", "returned", "waiting", "included", "forwarded"]


@dataclass(frozen=True)
class CountyStanding:
    """One county against the month's applications.

    standing: missing (no plan received), undecided (submitted, no decision yet), returned
    (sent back, a new version may come), waiting (approved, in no application yet: the next
    assembly takes it), included (in application `number`), forwarded (the city paid it)."""

    county: str
    name: str
    standing: Standing
    plan_status: str  # '' when no plan was received
    version: int | None
    requested: int | None
    approved: int | None
    number: int | None  # the application holding the plan
    forwarded_amount: int | None
    forwarded_on: str | None


def application_counties(
    store: Store,
    profile: Profile,
    scheme: str,
    month: Month,
    found: Sequence[Application],
) -> list[CountyStanding]:
    """Every registered county (and any other that sent a plan) for `scheme` and `month`,
    given the month's applications `found` (`application.applications`), by county code."""
    with store.read() as session:
        registered = repo.counties(session)
    plans = {p.county: p for p in county_plans(store, profile, month, scheme=scheme)}
    names = {code: name for code, name, _status in registered}
    active = {code for code, _name, status in registered if status == "active"}
    holding = {item.plan_id: (app.number, item) for app in found for item in app.items}
    rows = []
    for code in sorted(active | set(plans)):
        plan = plans.get(code)
        if plan is None:
            rows.append(
                CountyStanding(
                    code, names.get(code, code), "missing", "", None, None, None, None, None, None
                )
            )
            continue
        number, item = holding.get(plan.id, (None, None))
        standing: Standing
        if plan.status == "disbursed":
            standing = "forwarded"
        elif number is not None:
            standing = "included"
        elif plan.status == "approved":
            standing = "waiting"
        elif plan.status == "returned":
            standing = "returned"
        else:
            standing = "undecided"
        rows.append(
            CountyStanding(
                code,
                plan.name,
                standing,
                plan.status,
                plan.version,
                plan.requested,
                item.amount if item else plan.approved,
                number,
                plan.disbursed_amount,
                plan.disbursed_on,
            )
        )
    return rows
