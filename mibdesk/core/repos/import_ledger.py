"""The ledger's statements on an import's hot path, as plain Core statements.

A sync may apply thousands of packages, one transaction each; through the ORM every one of
them paid for identity-map loads, unit-of-work flushes and statement cache keys several
times over. These statements are built once and run on the session's connection's DB-API
cursor (`repos.prepared`: no flush, no execution layer), and touch the same rows the ORM
queries in `repos.exchange` read.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from mibdesk.core.db.exchange_models import ExchangeStream, InboxEntry, InboxFile
from mibdesk.core.repos.prepared import Prepared

INBOX_COLUMNS = (
    "package_sha256",
    "package_id",
    "sender",
    "sequence",
    "kind",
    "subject_json",
    "manifest_sha256",
    "file_name",
    "status",
    "reason_code",
    "reason",
    "received_at",
    "applied_at",
    "acked",
)
"""The columns `add_inbox` takes (every InboxEntry column but its id)."""

_STREAMS = cast(Table, ExchangeStream.__table__)
_POSITION = Prepared(
    select(ExchangeStream.last_sequence, ExchangeStream.last_manifest).where(
        ExchangeStream.peer == bindparam("peer"), ExchangeStream.direction == "in"
    )
)
_NEW_STREAM = insert(_STREAMS).values(direction="in", last_sequence=0, last_manifest="")
_MOVE = Prepared(
    update(_STREAMS)
    .where(_STREAMS.c.peer == bindparam("sender"), _STREAMS.c.direction == "in")
    .values(last_sequence=bindparam("sequence"), last_manifest=bindparam("manifest"))
)
_SAME_PACKAGE = Prepared(
    select(InboxEntry.id, InboxEntry.status, InboxEntry.manifest_sha256).where(
        InboxEntry.package_id == bindparam("package_id")
    )
)
_INBOX = cast(Table, InboxEntry.__table__)
_ADD_INBOX = Prepared(insert(_INBOX).returning(_INBOX.c.id), INBOX_COLUMNS)
_ADD_FILE = Prepared(insert(cast(Table, InboxFile.__table__)), ("entry_id", "data"))
_FILE = Prepared(select(InboxFile.data).where(InboxFile.entry_id == bindparam("entry_id")))


def position(session: Session, sender: str) -> tuple[int, str]:
    """(last sequence applied, its manifest hash) of `sender`'s stream to us; the stream's
    row is created (at 0) on first use, as `repos.exchange.stream` does."""
    row = _POSITION.first(session, {"peer": sender})
    if row is None:
        session.connection().execute(_NEW_STREAM, {"peer": sender})
        return 0, ""
    return int(row[0]), str(row[1])


def move(session: Session, sender: str, sequence: int, manifest_sha256: str) -> None:
    """Set `sender`'s stream to us at `sequence` (its row exists: `position` made it)."""
    _MOVE.run(session, {"sender": sender, "sequence": sequence, "manifest": manifest_sha256})


def same_package(session: Session, package_id: str) -> list[tuple[int, str, str]]:
    """(row id, status, manifest hash) of every inbox row naming this package id."""
    rows = _SAME_PACKAGE.rows(session, {"package_id": package_id})
    return [(int(row[0]), str(row[1]), str(row[2])) for row in rows]


def add_inbox(session: Session, values: dict[str, Any]) -> int:
    """Insert one inbox row (`values`: the INBOX_COLUMNS); returns its id."""
    return int(_ADD_INBOX.rows(session, values)[0][0])


def add_file(session: Session, entry_id: int, data: bytes) -> None:
    """Keep a received file's bytes with its inbox row (which has none yet)."""
    _ADD_FILE.run(session, {"entry_id": entry_id, "data": data})


def file_of(session: Session, entry_id: int) -> bytes | None:
    """The bytes kept with an inbox row, or None (an earlier version kept them in a file)."""
    row = _FILE.first(session, {"entry_id": entry_id})
    return None if row is None else bytes(row[0])
