"""Packages about the exchange itself: acknowledgements and the city's trust list."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from mibdesk.core.db.exchange_models import ExchangePeer
from mibdesk.core.exchange.key_card import KeyCard
from mibdesk.core.repos import audit
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.exchange.arrival import Arrival, Kind, Payload

PackageId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
ANY_LEVEL = frozenset({"township", "county", "city"})


class AckEntry(Payload):
    package_id: PackageId
    status: Literal["applied", "quarantined", "set_aside"]
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""


class AckPayload(Payload):
    acks: Annotated[list[AckEntry], Field(min_length=1, max_length=10000)]


def _ack(arrival: Arrival, data: AckPayload) -> Changes:
    """Mark our packages to the acknowledging office as acknowledged (or refused, why)."""
    with arrival.store.write() as session:
        for entry in data.acks:
            row = ledger.outbox_by_package(session, entry.package_id)
            if row is None or row.recipient != arrival.sender:
                continue  # not ours, or not sent to this office: ignore, never trust
            row.status = "acknowledged" if entry.status == "applied" else "refused"
            row.acked_at, row.note = arrival.received_at, entry.reason
    return Changes.of(Area.OFFICE)


class TrustEntry(Payload):
    office: Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3})?$")]
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    level: Literal["township", "county", "city"]
    public_key: Annotated[str, StringConstraints(min_length=44, max_length=44)]
    pdf_certificate: Annotated[str, StringConstraints(max_length=16000)] = ""
    status: Literal["active", "revoked"]


class TrustListPayload(Payload):
    issued_at: Annotated[str, StringConstraints(max_length=40)]
    entries: Annotated[list[TrustEntry], Field(max_length=5000)]


def _trust_list(arrival: Arrival, data: TrustListPayload) -> Changes:
    """The city's list of offices and keys: registers new ones, revokes withdrawn ones."""
    with arrival.store.write() as session:
        for entry in data.entries:
            if entry.office == arrival.manifest.recipient:
                continue  # this office's own key is not a peer
            card = KeyCard(
                office=entry.office,
                name=entry.name,
                level=entry.level,
                public_key=entry.public_key,
                pdf_certificate=entry.pdf_certificate,
                created_at=data.issued_at,
            )
            row = ledger.peer_by_key(session, card.key_id)
            if row is None:
                row = ExchangePeer(
                    office=card.office,
                    name=card.name,
                    level=card.level,
                    key_id=card.key_id,
                    public_key=card.public_key,
                    pdf_certificate=card.pdf_certificate,
                    status=entry.status,
                    source=arrival.source,
                    found_at=arrival.received_at,
                    decided_at=arrival.received_at,
                    decided_by=arrival.actor.username,
                )
                session.add(row)
            elif row.status != entry.status and row.status != "rejected":
                row.status = entry.status
                row.decided_at, row.decided_by = arrival.received_at, arrival.actor.username
            row.pdf_certificate = entry.pdf_certificate or row.pdf_certificate
        audit.append(
            session,
            at=arrival.received_at,
            actor=arrival.actor.username,
            action="peer.trust_list",
            entity="exchange_peer",
            entity_key=arrival.package_id,
            after={"entries": len(data.entries)},
        )
    return Changes.of(Area.OFFICE, Area.AUDIT)


KINDS = (
    Kind("ack", AckPayload, ANY_LEVEL, ANY_LEVEL, _ack),
    Kind("trust_list", TrustListPayload, frozenset({"city"}), frozenset({"county"}), _trust_list),
)
