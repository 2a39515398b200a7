"""ORM models of the file drop (kept apart from models.py, on the same Base).

The offices whose keys this office knows (`exchange_peer`), the sequence of each stream
(`exchange_stream`), the packages built (`exchange_outbox`) and received (`exchange_inbox`,
with the received file's bytes in `exchange_inbox_file`), and the drop-folder names already
looked at (`exchange_seen_file`). docs/exchange-format.md describes what they hold.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mibdesk.core.db.models import Base


class ExchangePeer(Base):
    """An office whose exchange key this office knows: pending until someone confirms the
    fingerprint, then active; revoked keys stay so that their packages are refused by name."""

    __tablename__ = "exchange_peer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office: Mapped[str] = mapped_column(String(9), index=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    public_key: Mapped[str] = mapped_column(String(64))
    pdf_certificate: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # pending | active | revoked | rejected
    source: Mapped[str] = mapped_column(String(200))
    found_at: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(40), default="")


class ExchangeStream(Base):
    """Sequence bookkeeping per peer and direction ('out': we send, 'in': we apply)."""

    __tablename__ = "exchange_stream"
    peer: Mapped[str] = mapped_column(String(9), primary_key=True)
    direction: Mapped[str] = mapped_column(String(3), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_manifest: Mapped[str] = mapped_column(String(64), default="")


class OutboxEntry(Base):
    """A package this office built: waiting (not yet in the drop), delivered, acknowledged."""

    __tablename__ = "exchange_outbox"
    __table_args__ = (UniqueConstraint("recipient", "sequence"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(String(32), unique=True)
    recipient: Mapped[str] = mapped_column(String(9))
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    subject_json: Mapped[str] = mapped_column(Text)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # waiting | delivered | acknowledged | refused
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(40))
    delivered_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    acked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class InboxEntry(Base):
    """A package file this office has looked at, and what became of it."""

    __tablename__ = "exchange_inbox"
    __table_args__ = (Index("ix_exchange_inbox_stream", "sender", "sequence"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    package_id: Mapped[str] = mapped_column(String(32), default="", index=True)
    sender: Mapped[str] = mapped_column(String(9), default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(40), default="")
    subject_json: Mapped[str] = mapped_column(Text, default="{}")
    manifest_sha256: Mapped[str] = mapped_column(String(64), default="")
    file_name: Mapped[str] = mapped_column(String(200))
    # applied | held | quarantined | set_aside | duplicate
    status: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[str] = mapped_column(String(32))
    applied_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    acked: Mapped[bool] = mapped_column(Boolean, default=False)


class SeenFile(Base):
    """Drop-folder file names already handled, so that a scan reads only new files."""

    __tablename__ = "exchange_seen_file"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)


class InboxFile(Base):
    """The bytes of a received package file, written in the transaction that records its
    inbox row: what a retry reads, and the sender's signed original, kept."""

    __tablename__ = "exchange_inbox_file"
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_inbox.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
