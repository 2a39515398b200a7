"""Queries of the file drop's ledger: peers, streams, outbox, inbox, seen files."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from mibdesk.core.db.exchange_models import (
    ExchangePeer,
    ExchangeStream,
    InboxEntry,
    OutboxEntry,
    SeenFile,
)


def peer_by_key(session: Session, key_id: str) -> ExchangePeer | None:
    return session.scalars(select(ExchangePeer).where(ExchangePeer.key_id == key_id)).first()


def peers(session: Session, statuses: tuple[str, ...] = ("active",)) -> list[ExchangePeer]:
    query = select(ExchangePeer).where(ExchangePeer.status.in_(statuses))
    return list(session.scalars(query.order_by(ExchangePeer.office, ExchangePeer.id)))


def active_peer(session: Session, office: str) -> ExchangePeer | None:
    query = select(ExchangePeer).where(
        ExchangePeer.office == office, ExchangePeer.status == "active"
    )
    return session.scalars(query.order_by(ExchangePeer.id.desc())).first()


def stream(session: Session, peer: str, direction: str) -> ExchangeStream:
    """The stream's row, created (at sequence 0) on first use."""
    row = session.get(ExchangeStream, (peer, direction))
    if row is None:
        row = ExchangeStream(peer=peer, direction=direction, last_sequence=0, last_manifest="")
        session.add(row)
        session.flush()
    return row


def outbox(
    session: Session, statuses: tuple[str, ...] | None = None, kind: str = ""
) -> list[OutboxEntry]:
    """Packages built, oldest first; only those in `statuses`, of `kind`, when given."""
    query = select(OutboxEntry)
    if statuses is not None:
        query = query.where(OutboxEntry.status.in_(statuses))
    if kind:
        query = query.where(OutboxEntry.kind == kind)
    return list(session.scalars(query.order_by(OutboxEntry.id)))


def outbox_by_package(session: Session, package_id: str) -> OutboxEntry | None:
    return session.scalars(select(OutboxEntry).where(OutboxEntry.package_id == package_id)).first()


def inbox(session: Session, statuses: tuple[str, ...] | None = None) -> list[InboxEntry]:
    query = select(InboxEntry)
    if statuses is not None:
        query = query.where(InboxEntry.status.in_(statuses))
    return list(session.scalars(query.order_by(InboxEntry.id)))


def inbox_by_sha(session: Session, package_sha256: str) -> InboxEntry | None:
    query = select(InboxEntry).where(InboxEntry.package_sha256 == package_sha256)
    return session.scalars(query).first()


def inbox_by_package(session: Session, package_id: str) -> list[InboxEntry]:
    return list(session.scalars(select(InboxEntry).where(InboxEntry.package_id == package_id)))


def inbox_by_id_prefix(session: Session, prefix: str) -> list[InboxEntry]:
    """Inbox rows (not duplicates) whose package id starts with `prefix` (hex digits only)."""
    query = select(InboxEntry).where(
        InboxEntry.package_id.startswith(prefix, autoescape=True),
        InboxEntry.status != "duplicate",
    )
    return list(session.scalars(query.order_by(InboxEntry.id)))


def held_at(session: Session, sender: str, sequence: int) -> list[InboxEntry]:
    query = select(InboxEntry).where(
        InboxEntry.sender == sender,
        InboxEntry.sequence == sequence,
        InboxEntry.status == "held",
    )
    return list(session.scalars(query))


_UNACKED = (
    InboxEntry.acked.is_(False),
    InboxEntry.sender != "",
    InboxEntry.kind != "ack",
    InboxEntry.status.in_(("applied", "quarantined", "set_aside")),
    InboxEntry.package_id != "",
)
"""Packages from known senders that were decided on but not yet acknowledged."""


def unacked(session: Session) -> list[tuple[int, str, str, str, str]]:
    """(id, sender, package id, status, reason) of each package not yet acknowledged."""
    row = InboxEntry
    query = select(row.id, row.sender, row.package_id, row.status, row.reason).where(*_UNACKED)
    return [tuple(row) for row in session.execute(query.order_by(InboxEntry.id))]


def mark_acked(session: Session, up_to: int) -> None:
    """Mark what `unacked` listed (its rows up to id `up_to`) as acknowledged."""
    session.execute(
        update(InboxEntry).where(*_UNACKED, InboxEntry.id <= up_to).values(acked=True),
        execution_options={"synchronize_session": False},
    )


def seen_names(session: Session) -> dict[str, int]:
    return {name: size for name, size in session.execute(select(SeenFile.name, SeenFile.size))}


def mark_seen(session: Session, name: str, size: int) -> None:
    row = session.get(SeenFile, name)
    if row is None:
        session.add(SeenFile(name=name, size=size))
    else:
        row.size = size


def mark_seen_many(session: Session, files: dict[str, int]) -> None:
    """`mark_seen` for many files at once: one query for those known, one insert for the rest."""
    names = list(files)
    known: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        for row in session.scalars(select(SeenFile).where(SeenFile.name.in_(chunk))):
            row.size = files[row.name]
            known.add(row.name)
    new = [{"name": name, "size": size} for name, size in files.items() if name not in known]
    if new:
        session.execute(insert(SeenFile), new)


def inbox_digests(session: Session) -> set[str]:
    """The SHA-256 of every package file already received."""
    return set(session.scalars(select(InboxEntry.package_sha256)))
