"""Audit entries: append (chained) and read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from mibdesk.core.db.models import AuditEntry
from mibdesk.core.repos.prepared import Prepared
from mibdesk.core.security.audit_chain import GENESIS, AuditRecord, canonical_json, entry_hash

_HEAD = "audit_chain_head"
_COLUMNS = (
    "at",
    "actor",
    "action",
    "entity",
    "entity_key",
    "before_json",
    "after_json",
    "reason",
    "prev_hash",
    "hash",
)
_INSERT = Prepared(insert(cast(Table, AuditEntry.__table__)), _COLUMNS)
_LAST_HASH = Prepared(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))


def append(
    session: Session,
    *,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    before: object = None,
    after: object = None,
    reason: str = "",
) -> None:
    """Add one entry chained to the last; runs inside the caller's transaction.

    The chain head is read once per transaction and then kept in the session (an import
    appends several entries per package): every entry goes in through here, at once, as a
    plain INSERT, so the head kept is the last row written. It is tied to the transaction
    object, so a commit or a rollback starts over from the database.
    """
    # Prepared statements on the connection's cursor: no flush, no identity map.
    transaction = session.get_transaction()
    kept = session.info.get(_HEAD)
    if kept is not None and transaction is not None and kept[0] is transaction:
        prev_hash = kept[1]
    else:
        last = _LAST_HASH.first(session, {})
        prev_hash = str(last[0]) if last else GENESIS
    before_json, after_json = canonical_json(before), canonical_json(after)
    digest = entry_hash(
        prev_hash, at, actor, action, entity, entity_key, before_json, after_json, reason
    )
    _INSERT.run(
        session,
        {
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_key": entity_key,
            "before_json": before_json,
            "after_json": after_json,
            "reason": reason,
            "prev_hash": prev_hash,
            "hash": digest,
        },
    )
    session.info[_HEAD] = (session.get_transaction(), digest)  # begun by now, if it was not


def _record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_key=row.entity_key,
        before_json=row.before_json,
        after_json=row.after_json,
        reason=row.reason,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def iter_all(session: Session, batch: int = 2000) -> Iterator[AuditRecord]:
    """Every entry in chain order, fetched in batches."""
    for row in session.scalars(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch)
    ):
        yield _record(row)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    text: str = ""
    date_from: str = ""  # ISO date, inclusive
    date_to: str = ""  # ISO date, inclusive
    limit: int = 1000


def query(session: Session, flt: AuditFilter) -> list[AuditRecord]:
    """Newest first, filtered by actor, action, a text in entity/key/reason, and dates."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(flt.limit)
    if flt.actor:
        stmt = stmt.where(AuditEntry.actor == flt.actor)
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.text:
        like = f"%{flt.text}%"
        stmt = stmt.where(
            AuditEntry.entity.like(like)
            | AuditEntry.entity_key.like(like)
            | AuditEntry.reason.like(like)
            | AuditEntry.after_json.like(like)
        )
    if flt.date_from:
        stmt = stmt.where(AuditEntry.at >= flt.date_from)
    if flt.date_to:
        stmt = stmt.where(AuditEntry.at < flt.date_to + "T99")
    return [_record(row) for row in session.scalars(stmt)]


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def distinct_actors(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))


def distinct_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
