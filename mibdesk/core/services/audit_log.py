"""Reading and verifying the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.repos import audit
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.audit_chain import AuditRecord, first_broken
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    entries: int
    first_broken_id: int | None
    first_broken_at: str | None


def verify_chain(store: Store) -> ChainVerdict:
    """Walk the whole chain; name the first entry whose hash or link does not fit."""
    with store.read() as session:
        count = audit.count(session)
        broken = first_broken(audit.iter_all(session))
    if broken is None:
        return ChainVerdict(True, count, None, None)
    return ChainVerdict(False, count, broken.id, broken.at)


def entries(store: Store, flt: AuditFilter) -> list[AuditRecord]:
    with store.read() as session:
        return audit.query(session, flt)


def actions(store: Store) -> list[str]:
    with store.read() as session:
        return audit.distinct_actions(session)


def actors(store: Store) -> list[str]:
    """Everyone who appears in the log, failed logins of unknown names included."""
    with store.read() as session:
        return audit.distinct_actors(session)
