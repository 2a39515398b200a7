"""The settlement notice (清算通知) a county receives from its city: kept as sent, shown by
`services.settlement_notices`; nothing in the county's own figures changes with it."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import Field, StringConstraints

from mibdesk.core.db.settlement_models import SettlementNotice
from mibdesk.core.repos import audit
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.exchange.arrival import Arrival, Kind, Payload
from mibdesk.core.services.exchange.kinds_county import Code, Text

Fen = Annotated[int, Field(ge=0, le=10**14)]
Short = Annotated[str, StringConstraints(max_length=200)]


class NoticeStep(Payload):
    label: Short
    amount: Annotated[int, Field(ge=-(10**14), le=10**14)] | None
    rule: Text
    source: Short


class NoticeScheme(Payload):
    scheme: Code
    name: Short
    grade: Annotated[str, StringConstraints(max_length=40)]
    income: Fen
    expenditure: Fen
    surplus_to_pool: Fen
    surplus_kept: Fen
    county_caused: Fen
    from_balance: Fen
    from_reserve: Fen
    pooled_fund: Fen
    county_finance: Fen
    city_finance: Fen
    remit_to_city: Fen
    balance_before: Fen
    balance_after: Fen
    reserve_before: Fen
    reserve_after: Fen
    working: Annotated[list[NoticeStep], Field(max_length=200)]


class NoticePayload(Payload):
    year: Annotated[int, Field(ge=2000, le=2100)]
    profile: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    profile_version: Annotated[int, Field(ge=1)]
    method: Annotated[str, StringConstraints(max_length=20)]
    input_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    schemes: Annotated[list[NoticeScheme], Field(min_length=1, max_length=10)]


def _notice(arrival: Arrival, data: NoticePayload) -> Changes:
    with arrival.store.write() as session:
        session.add(
            SettlementNotice(
                year=data.year,
                city=arrival.sender,
                package_id=arrival.package_id,
                received_at=arrival.received_at,
                data_json=json.dumps(data.model_dump(), ensure_ascii=False),
            )
        )
        audit.append(
            session,
            at=arrival.received_at,
            actor=arrival.actor.username,
            action="settlement.notice",
            entity="settlement_notice",
            entity_key=f"{data.year}/{arrival.package_id}",
            after={"input_sha256": data.input_sha256},
        )
    return Changes.of(Area.SETTLEMENT, Area.AUDIT)


KINDS = (
    Kind("settlement_notice", NoticePayload, frozenset({"city"}), frozenset({"county"}), _notice),
)
