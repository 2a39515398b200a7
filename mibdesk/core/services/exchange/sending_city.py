"""What the city sends its counties: quotas and adjustments, plan decisions, disbursement
notices, the working-day calendar, policy-profile updates and the trust list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import select

from mibdesk.core.catalog.loader import parse_profile
from mibdesk.core.db.models import CountyPlan, CountyPlanLine
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.calendar import export_calendar
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.outbox import queue
from mibdesk.core.services.exchange.sending import SENT, Sending, try_deliver
from mibdesk.core.services.store import Store


def counties(store: Store) -> list[str]:
    """The counties whose keys the city has registered (its list of counties)."""
    with store.read() as session:
        return sorted({p.office for p in ledger.peers(session) if p.level == "county"})


def require_registered(store: Store, codes: Sequence[str]) -> None:
    """Refuse (ValidationError naming them, nothing sent) when the city has not registered
    the key of some of `codes`."""
    registered = set(counties(store))
    strangers = [code for code in codes if code not in registered]
    if strangers:
        raise ValidationError(
            _(
                "No notice was sent: the city has not registered the key of {codes}; register "
                "it on the file exchange screen first."
            ).format(codes="、".join(strangers))
        )


def _county(store: Store, code: str) -> str:
    if code not in counties(store):
        raise ValidationError(
            _("{code} is not one of the city's registered counties.").format(code=code)
        )
    return code


def _send(
    store: Store,
    actor: Actor,
    county: str,
    kind: str,
    subject: Mapping[str, str | int],
    data: object,
) -> Sending:
    sent = queue(store, actor.username, _county(store, county), kind, subject, data)
    return try_deliver(store, sent)


def send_quota(
    store: Store,
    actor: Actor,
    county: str,
    scheme: str,
    year: int,
    amount: int,
    doc_no: str,
    doc_date: date,
    *,
    line: str = "",
    reason: str = "",
) -> Outcome[Sending]:
    """Issue a year's quota (no reason) or a budget adjustment (with its reason)."""
    require(actor, Permission.APPROVE)
    data = {
        "scheme": scheme,
        "year": year,
        "line": line,
        "amount": amount,
        "doc_no": doc_no.strip(),
        "doc_date": doc_date.isoformat(),
        "reason": reason.strip(),
    }
    subject: dict[str, str | int] = {"scheme": scheme, "year": year, "doc_no": doc_no.strip()[:80]}
    return Outcome(_send(store, actor, county, "quota", subject, data), SENT)


def send_decision(
    store: Store,
    actor: Actor,
    county: str,
    scheme: str,
    month: Month,
    decision: str,
    decided_on: date,
    note: str = "",
    reduced: Mapping[str, tuple[int, str]] | None = None,
) -> Outcome[Sending]:
    """Decide a county's submitted plan and send the decision (recorded at the city too)."""
    require(actor, Permission.APPROVE)
    cuts = dict(reduced or {})
    with store.write() as session:
        plan = session.scalars(
            select(CountyPlan)
            .where(
                CountyPlan.office == county,
                CountyPlan.scheme == scheme,
                CountyPlan.period == month.to_int(),
            )
            .order_by(CountyPlan.version.desc())
        ).first()
        if plan is None or plan.status != "submitted":
            raise ValidationError(
                _("There is no submitted plan of {county} for {month} to decide.").format(
                    county=county, month=month.label
                )
            )
        lines = session.scalars(select(CountyPlanLine).where(CountyPlanLine.plan_id == plan.id))
        for line in lines:
            if decision == "returned":
                line.approved = None
            else:
                line.approved, line.decision_reason = cuts.get(line.line, (line.requested, ""))
        plan.status = "returned" if decision == "returned" else "approved"
        plan.decided_on, plan.decision_note = decided_on.isoformat(), note.strip()
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action=f"county_plan.{decision}",
            entity="county_plan",
            entity_key=f"{county}/{scheme}/{month.to_int()}/v{plan.version}",
            after={"status": plan.status},
            reason=note.strip(),
        )
        data = {
            "scheme": scheme,
            "period": month.to_int(),
            "decision": decision,
            "decided_on": decided_on.isoformat(),
            "note": note.strip(),
            "lines": [{"line": k, "approved": v[0], "reason": v[1]} for k, v in cuts.items()],
        }
        subject: dict[str, str | int] = {
            "scheme": scheme,
            "period": month.to_int(),
            "decision": decision,
        }
        sending = _send(store, actor, county, "plan_decision", subject, data)
    return Outcome(sending, SENT | Changes.of(Area.PLANS))


def send_disbursement(
    store: Store,
    actor: Actor,
    county: str,
    scheme: str,
    month: Month,
    amount: int,
    paid_on: date,
) -> Outcome[Sending]:
    require(actor, Permission.APPROVE)
    data = {
        "scheme": scheme,
        "period": month.to_int(),
        "amount": amount,
        "received_on": paid_on.isoformat(),
    }
    subject: dict[str, str | int] = {"scheme": scheme, "period": month.to_int()}
    return Outcome(_send(store, actor, county, "disbursement", subject, data), SENT)


def send_to_all(
    store: Store, actor: Actor, kind: str, subject: Mapping[str, str | int], data: object
) -> Outcome[list[Sending]]:
    require(actor, Permission.APPROVE)
    return Outcome([_send(store, actor, c, kind, subject, data) for c in counties(store)], SENT)


def send_calendar(store: Store, actor: Actor, year: int) -> Outcome[list[Sending]]:
    """Publish a year's working-day calendar (as the city has it) to every county."""
    return send_to_all(
        store, actor, "calendar", {"year": year}, {"text": export_calendar(store, year)}
    )


def send_profile(store: Store, actor: Actor, text: str) -> Outcome[list[Sending]]:
    profile = parse_profile(text, where=_("Policy profile update"))
    subject: dict[str, str | int] = {"profile": profile.id, "version": profile.version}
    return send_to_all(store, actor, "profile_update", subject, {"text": text})


def send_trust_list(store: Store, actor: Actor) -> Outcome[list[Sending]]:
    """Every county's registered keys, active and revoked, to every county."""
    with store.read() as session:
        entries = [
            {
                "office": p.office,
                "name": p.name,
                "level": p.level,
                "public_key": p.public_key,
                "pdf_certificate": p.pdf_certificate,
                "status": p.status,
            }
            for p in ledger.peers(session, ("active", "revoked"))
            if p.level == "county"
        ]
    data = {"issued_at": stamp(store.clock()), "entries": entries}
    return send_to_all(store, actor, "trust_list", {"entries": len(entries)}, data)
