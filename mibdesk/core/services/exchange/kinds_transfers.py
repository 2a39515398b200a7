"""The transfer notice (余额上划通知) a county receives from its city: kept as sent (table
`transfer_notice`, `repos/transfers.py`), and shown by `services.transfer_notices`; nothing
in the county's own figures changes with it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, transfers
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.exchange.arrival import Arrival, Kind, Payload
from mibdesk.core.services.exchange.kinds_county import Code, Day, Text
from mibdesk.core.services.exchange.kinds_settlement import NoticeStep

Fen = Annotated[int, Field(ge=0, le=10**14)]
Short = Annotated[str, StringConstraints(max_length=200)]
Steps = Annotated[list[NoticeStep], Field(max_length=200)]


class NoticeCounty(Payload):
    code: Annotated[str, StringConstraints(pattern=r"^\d{6,9}$")]
    name: Short
    balance: Fen
    transfer: Fen
    now: Fen
    deferred: Fen
    remaining: Fen


class TransferNoticePayload(Payload):
    year: Annotated[int, Field(ge=2000, le=2100)]
    scheme: Code
    scheme_name: Short
    version: Annotated[int, Field(ge=1, le=999)]
    doc_no: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    doc_date: Day
    reason: Text
    profile: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    profile_version: Annotated[int, Field(ge=1)]
    method: Annotated[str, StringConstraints(max_length=20)]
    inputs_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    city_total: Fen
    county: NoticeCounty
    city_working: Steps
    working: Steps


def _notice(arrival: Arrival, data: TransferNoticePayload) -> Changes:
    """Keep the notice; one for another county is refused (quarantined)."""
    if data.county.code != arrival.manifest.recipient:
        raise ValidationError(
            _("The transfer notice is addressed to county {code}.").format(code=data.county.code)
        )
    with arrival.store.write() as session:
        transfers.add_received(
            session, arrival.sender, arrival.package_id, arrival.received_at, data.model_dump()
        )
        audit.append(
            session,
            at=arrival.received_at,
            actor=arrival.actor.username,
            action="transfer.notice",
            entity="transfer_notice",
            entity_key=f"{data.year}/{data.scheme}/{data.version}",
            after={"transfer": data.county.transfer, "doc_no": data.doc_no},
        )
    return Changes.of(Area.SETTLEMENT, Area.AUDIT)


KINDS = (
    Kind(
        "transfer_notice",
        TransferNoticePayload,
        frozenset({"city"}),
        frozenset({"county"}),
        _notice,
    ),
)
