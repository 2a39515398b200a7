"""What a county or a township sends: monthly reports (and amendments), fund-use plans with
their signed PDF, township figures. Each is queued in the outbox within the same transaction
as the workflow step it records, then delivered if the drop can be reached."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import drop
from mibdesk.core.i18n import _
from mibdesk.core.monthly import COUNTY, Cell, ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.repos import figures
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services import plan_flow
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.context import drop_folder, me
from mibdesk.core.services.exchange.outbox import Sent, deliver, queue
from mibdesk.core.services.plans import PLAN_CHANGES, plan_view
from mibdesk.core.services.store import Store

SENT = Changes.of(Area.OFFICE, Area.AUDIT)
MAX_PDF = 32 * 1024 * 1024


@dataclass(frozen=True)
class Sending:
    """A queued package and, if it could not go out yet, why (it waits in the outbox)."""

    sent: Sent
    waiting_because: str = ""


def try_deliver(store: Store, sent: Sent) -> Sending:
    try:
        folder = drop.check_folder(drop_folder(store), writable=True)
        deliver(store, folder)
    except drop.DropUnavailable as error:
        return Sending(sent, str(error))
    return Sending(sent)


def recipient(store: Store, level: str) -> str:
    """The office above this one, which must have been registered."""
    office = me(store)
    wanted = office.code[:6] if level == "county" else office.code[:4] + "00"
    with store.read() as session:
        peer = ledger.active_peer(session, wanted)
    if peer is None or peer.level != level:
        raise ValidationError(
            _(
                "The {level} office ({code}) is not registered yet: import its key card and "
                "confirm its fingerprint first."
            ).format(level=_(level), code=wanted)
        )
    return wanted


def send_monthly_report(store: Store, actor: Actor, scheme: str, month: Month) -> Outcome[Sending]:
    """Send an approved month (or its latest approved amendment) to the city."""
    require(actor, Permission.ENTER)
    city = recipient(store, "city")
    with store.write() as session:
        row = figures.report(session, scheme, month.to_int())
        if row is None or row.status != ReportStatus.APPROVED:
            raise ValidationError(
                _("Only an approved month can be sent; {month} is not approved.").format(
                    month=month.label
                )
            )
        done = [a for a in figures.amendments(session, row.id) if a.approved_at]
        values = [
            {"line": cell.line, "unit": cell.unit, "value": value}
            for cell, value in sorted(figures.cells(session, row.id).items())
        ]
        revision = done[-1].number if done else 0
        data = {
            "scheme": scheme,
            "period": month.to_int(),
            "revision": revision,
            "reason": done[-1].reason if done else "",
            "sent_at": stamp(store.clock()),
            "values": values,
        }
        subject: dict[str, str | int] = {
            "scheme": scheme,
            "period": month.to_int(),
            "revision": revision,
        }
        control = {"values": len(values), "total": sum(figures.cells(session, row.id).values())}
        kind = "monthly_report"
        sent = queue(store, actor.username, city, kind, subject, data, control=control)
    return Outcome(try_deliver(store, sent), SENT)


def send_plan(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month, signed_pdf: Path
) -> Outcome[Sending]:
    """Submit a signed plan to the city: its lines as data and the head's signed PDF."""
    require(actor, Permission.ENTER)
    city = recipient(store, "city")
    pdf = signed_pdf.read_bytes()
    if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_PDF:
        raise ValidationError(_("This file is not a PDF."), where=signed_pdf.name)
    view = plan_view(store, profile, scheme, month)
    if view is None or view.status != "signed":
        raise ValidationError(
            _("Only a plan the head has signed can be submitted."), where=month.label
        )
    with store.write():
        submitted = plan_flow.submit_plan(store, actor, profile, scheme, month).value
        data = {
            "scheme": scheme,
            "period": month.to_int(),
            "version": submitted.version,
            "submitted_at": submitted.submitted_at or "",
            "lines": [
                {"line": ln.line, "requested": ln.requested, "justification": ln.justification}
                for ln in submitted.lines
            ],
            "pdf": "payload/plan.pdf",
        }
        subject: dict[str, str | int] = {
            "scheme": scheme,
            "period": month.to_int(),
            "version": submitted.version,
        }
        control = {"lines": len(submitted.lines), "total": submitted.requested_total}
        sent = queue(
            store,
            actor.username,
            city,
            "fund_plan",
            subject,
            data,
            control=control,
            attachments={"payload/plan.pdf": pdf},
        )
    return Outcome(try_deliver(store, sent), SENT | PLAN_CHANGES)


def township_sent(store: Store, scheme: str, month: Month) -> tuple[str, str] | None:
    """(when, outbox status) of the last time this township sent its figures of `scheme`
    for `month` to the county; None when it has not yet."""
    subject = {"scheme": scheme, "period": month.to_int()}
    with store.read() as session:
        sent = [
            (row.created_at, row.status)
            for row in ledger.outbox(session, kind="township_figures")
            if json.loads(row.subject_json) == subject
        ]
    return sent[-1] if sent else None


def send_township_figures(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[Sending]:
    """A township sends its month's figures (its township lines) to the county."""
    require(actor, Permission.ENTER)
    county = recipient(store, "county")
    lines = [line.code for line in profile.scheme(scheme).township_lines]
    with store.write() as session:
        row = figures.report(session, scheme, month.to_int())
        cells = figures.cells(session, row.id) if row else {}
        values = [
            {"line": line, "value": cells[Cell(line, COUNTY)]}
            for line in lines
            if Cell(line, COUNTY) in cells
        ]
        if not values:
            raise ValidationError(
                _("Nothing has been entered for {month} yet.").format(month=month.label)
            )
        data = {"scheme": scheme, "period": month.to_int(), "values": values}
        subject: dict[str, str | int] = {"scheme": scheme, "period": month.to_int()}
        sent = queue(
            store,
            actor.username,
            county,
            "township_figures",
            subject,
            data,
            control={"values": len(values)},
        )
    return Outcome(try_deliver(store, sent), SENT)
