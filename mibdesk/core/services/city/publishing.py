"""What the city publishes to all its counties: the working-day calendar, policy-profile
updates and the trust list; and when it last did.

* `publish_calendar` stores the year's calendar as edited (if given) and sends it.
* `publish_profile` puts the update in force at the city (it must be newer than the one in
  force, `services/profiles.py`) and sends it, so the city and its counties work with the
  same parameters.
* `trust_entries` lists the counties' registered keys with their PDF certificate's expiry;
  revoking goes through `services/exchange/peers.decide`, publishing through
  `sending_city.send_trust_list`.

Publishing needs the APPROVE permission (the head); it is checked before anything is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cryptography import x509

from mibdesk.core.catalog import Profile
from mibdesk.core.exchange import keys
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.repos.published import sent_of_kind
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.calendar import save_calendar_year
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.exchange.sending import Sending
from mibdesk.core.services.exchange.sending_city import send_calendar, send_profile
from mibdesk.core.services.profiles import apply_profile_update
from mibdesk.core.services.store import Store
from mibdesk.core.workdays import CalendarYear


@dataclass(frozen=True)
class Publication:
    """The latest publication of a kind: when, by whom, to how many counties, how many of
    those packages have left for the drop (delivered or acknowledged)."""

    at: str
    by: str
    counties: int
    delivered: int
    subject: dict[str, str | int]


def last_published(store: Store, kind: str, **subject: str | int) -> Publication | None:
    """The latest batch of `kind` packages (whose subject has the given values), or None."""
    with store.read() as session:
        rows = [
            row
            for row in sent_of_kind(session, kind)
            if all(json.loads(row.subject_json).get(k) == v for k, v in subject.items())
        ]
    if not rows:
        return None
    at = rows[-1].created_at
    batch = [row for row in rows if row.created_at == at]
    return Publication(
        at,
        batch[-1].created_by,
        len({row.recipient for row in batch}),
        sum(1 for row in batch if row.status in ("delivered", "acknowledged")),
        json.loads(batch[-1].subject_json),
    )


def publish_calendar(
    store: Store, actor: Actor, year: int, edited: CalendarYear | None, *, reason: str
) -> Outcome[list[Sending]]:
    """Store `edited` (when given) as the city's calendar for `year`, then send the city's
    calendar for `year` to every county."""
    require(actor, Permission.APPROVE)
    changes = None
    if edited is not None:
        changes = save_calendar_year(store, actor, edited, reason=reason).changes
    sent = send_calendar(store, actor, year)
    return Outcome(sent.value, sent.changes | changes if changes else sent.changes)


def publish_profile(
    store: Store, actor: Actor, text: str, *, where: str
) -> Outcome[tuple[Profile, list[Sending]]]:
    """Put the profile update `text` in force at the city and send it to every county
    (ValidationError/ProfileError, nothing changed, when it is refused)."""
    require(actor, Permission.APPROVE)
    applied = apply_profile_update(store, actor, text, where=where)
    sent = send_profile(store, actor, text)
    return Outcome((applied.value, sent.value), applied.changes | sent.changes)


@dataclass(frozen=True)
class TrustEntry:
    office: str
    name: str
    key_id: str
    fingerprint: str
    status: str  # active | revoked
    certificate_expires: str  # yyyy-mm-dd of the PDF signing certificate, '' without one
    decided_at: str


def trust_entries(store: Store) -> list[TrustEntry]:
    """The counties' keys on the trust list (active and revoked), by office."""
    with store.read() as session:
        rows = [
            (
                row.office,
                row.name,
                row.key_id,
                row.public_key,
                row.status,
                row.pdf_certificate,
                row.decided_at or "",
            )
            for row in ledger.peers(session, ("active", "revoked"))
            if row.level == "county"
        ]
    return [
        TrustEntry(
            office,
            name,
            key_id,
            keys.fingerprint(keys.decode_public(public, where=office)),
            status,
            _expiry(certificate),
            decided_at,
        )
        for office, name, key_id, public, status, certificate, decided_at in rows
    ]


def _expiry(pem: str) -> str:
    if not pem:
        return ""
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except ValueError:
        return ""
    return certificate.not_valid_after_utc.date().isoformat()
