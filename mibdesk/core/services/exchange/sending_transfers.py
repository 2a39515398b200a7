"""The city's transfer notices (余额上划通知): once the head has issued a year's transfer of a
scheme, one package per county with what that county transfers (now, and when its time
deposits mature), what it keeps, the city's total and the working, under the document
number and version issued (kind `transfer_notice`, docs/exchange-format.md). Its subject
carries a one-line summary in Chinese (`summary`) that both inboxes show."""

from __future__ import annotations

from typing import Any

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.repos import audit
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.city.transfer_issue import (
    TRANSFER_CHANGES,
    IssuedTransfer,
    issued,
    record_sent,
    steps_data,
)
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.outbox import queue
from mibdesk.core.services.exchange.sending import SENT, Sending, try_deliver
from mibdesk.core.services.exchange.sending_city import require_registered
from mibdesk.core.services.store import Store

KIND = "transfer_notice"
SUMMARY_LIMIT = 80
"""A subject value's longest text (docs/exchange-format.md)."""


def notice_data(found: IssuedTransfer, profile: Profile, county: str) -> dict[str, Any]:
    """What county `county` is told of the issued version `found` (int fen)."""
    result = found.result
    part = next(c for c in result.counties if c.code == county)
    return {
        "year": found.year,
        "scheme": found.scheme,
        "scheme_name": profile.scheme(found.scheme).name,
        "version": found.version,
        "doc_no": found.doc_no,
        "doc_date": found.doc_date.isoformat(),
        "reason": found.reason,
        "profile": found.profile_id,
        "profile_version": found.profile_version,
        "method": result.method,
        "inputs_sha256": found.inputs_sha256,
        "city_total": result.total,
        "county": {
            "code": part.code,
            "name": part.name,
            "balance": part.balance,
            "transfer": part.transfer,
            "now": part.now,
            "deferred": part.deferred,
            "remaining": part.remaining,
        },
        "city_working": steps_data(result.working),
        "working": steps_data(part.working),
    }


def summary(data: dict[str, Any]) -> str:
    """e.g. ``上划 1,500.00 元（定期存款到期后补足 500.00 元），留存 3,500.00 元``: at most
    `SUMMARY_LIMIT` characters (the county's part first, then what it keeps, then ``…``)."""
    part = data["county"]
    text = f"上划 {format_fen(part['transfer'])} 元"
    if part["deferred"]:
        text += f"（定期存款到期后补足 {format_fen(part['deferred'])} 元）"
    kept = f"{text}，留存 {format_fen(part['remaining'])} 元"
    if len(kept) <= SUMMARY_LIMIT:
        return kept
    return text if len(text) <= SUMMARY_LIMIT else f"{text[: SUMMARY_LIMIT - 1]}…"


def send_notices(
    store: Store, actor: Actor, profile: Profile, year: int, scheme: str
) -> Outcome[list[Sending]]:
    """One notice per county of the version in force, in one transaction; audited.

    Refused, nothing sent: not the head; nothing issued; the notices of this version already
    sent; a county of the transfer whose key the city has not registered (or revoked)."""
    require(actor, Permission.APPROVE)
    found = issued(store, year, scheme)
    if found is None:
        raise ValidationError(
            _("Issue the {year} transfer before sending its notices.").format(year=year)
        )
    if found.sent:
        raise ValidationError(
            _(
                "The notices of version {version} of the {year} transfer were already sent; "
                "a correction goes out as a new version."
            ).format(version=found.version, year=year)
        )
    codes = [county.code for county in found.result.counties]
    require_registered(store, codes)
    with store.write() as session:
        sent = []
        for code in codes:
            data = notice_data(found, profile, code)
            subject: dict[str, str | int] = {
                "scheme": scheme,
                "year": year,
                "version": found.version,
                "doc_no": found.doc_no[:80],
                "summary": summary(data),
            }
            sent.append(queue(store, actor.username, code, KIND, subject, data))
        record_sent(store, year, scheme, found.version, {s.recipient: s.package_id for s in sent})
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="transfer.notices",
            entity="balance_transfer",
            entity_key=f"{year}/{scheme}/{found.version}",
            after={"counties": codes, "doc_no": found.doc_no},
        )
    return Outcome([try_deliver(store, item) for item in sent], SENT | TRANSFER_CHANGES)
