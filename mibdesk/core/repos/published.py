"""Queries of what the city published to its counties (calendars, profiles, trust lists)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mibdesk.core.db.exchange_models import OutboxEntry


@dataclass(frozen=True)
class SentRow:
    recipient: str
    subject_json: str
    status: str
    created_at: str
    created_by: str


def sent_of_kind(session: Session, kind: str) -> list[SentRow]:
    """Every package of `kind` this office built, oldest first."""
    query = (
        select(
            OutboxEntry.recipient,
            OutboxEntry.subject_json,
            OutboxEntry.status,
            OutboxEntry.created_at,
            OutboxEntry.created_by,
        )
        .where(OutboxEntry.kind == kind)
        .order_by(OutboxEntry.id)
    )
    return [SentRow(*row) for row in session.execute(query)]
