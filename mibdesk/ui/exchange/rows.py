"""The exchange screen's lists as plain rows (no Qt): packages sent, packages received, the
quarantine, key cards — every kind, status and subject in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mibdesk.core.exchange.drop import PACKAGE_NAME
from mibdesk.core.i18n import _
from mibdesk.core.services.exchange.outbox import Sent
from mibdesk.core.services.exchange.overview import (
    inbox_status_label,
    kind_label,
    level_label,
    outbox_status_label,
    peer_status_label,
    subject_text,
    when,
)
from mibdesk.core.services.exchange.peers import PeerInfo
from mibdesk.core.services.exchange.quarantine import Received
from mibdesk.core.table import Column


@dataclass(frozen=True)
class Names:
    """How offices and schemes are named on screen."""

    offices: Mapping[str, str]  # code → name
    schemes: Mapping[str, str]  # code → name

    def office(self, code: str) -> str:
        name = self.offices.get(code)
        return f"{name}（{code}）" if name else code

    def subject(self, subject: Mapping[str, str | int]) -> str:
        return subject_text(subject, self.schemes)


@dataclass(frozen=True)
class OutboxRow:
    recipient: str
    number: str
    kind: str
    subject: str
    status: str
    created: str
    delivered: str
    acknowledged: str
    note: str


def outbox_columns() -> tuple[Column, ...]:
    return (
        Column("recipient", _("Recipient"), "text", width_hint=16),
        Column("number", _("No."), "text", width_hint=3),
        Column("kind", _("Kind"), "text", width_hint=7),
        Column("subject", _("Subject"), "text", width_hint=15),
        Column("status", _("Status"), "text", width_hint=8),
        Column("created", _("Built"), "text", width_hint=9),
        Column("delivered", _("Put in the drop"), "text", width_hint=9),
        Column("acknowledged", _("Answered"), "text", width_hint=9),
        Column("note", _("Note"), "text", width_hint=3),
    )


def outbox_row(sent: Sent, names: Names) -> OutboxRow:
    return OutboxRow(
        names.office(sent.recipient),
        str(sent.sequence),
        kind_label(sent.kind),
        names.subject(sent.subject),
        outbox_status_label(sent.status),
        when(sent.created_at),
        when(sent.delivered_at),
        when(sent.acked_at),
        sent.note,
    )


@dataclass(frozen=True)
class InboxRow:
    sender: str
    number: str
    kind: str
    subject: str
    status: str
    received: str
    applied: str
    note: str


def inbox_columns() -> tuple[Column, ...]:
    return (
        Column("sender", _("Sender"), "text", width_hint=16),
        Column("number", _("No."), "text", width_hint=3),
        Column("kind", _("Kind"), "text", width_hint=7),
        Column("subject", _("Subject"), "text", width_hint=18),
        Column("status", _("Status"), "text", width_hint=8),
        Column("received", _("Received"), "text", width_hint=9),
        Column("applied", _("Applied"), "text", width_hint=9),
        Column("note", _("Note"), "text", width_hint=5),
    )


def _sender(item: Received, names: Names) -> str:
    """The sender the package names; for a package that could not be opened, the one its
    file name claims (marked as such), or "unknown"."""
    if item.sender:
        return names.office(item.sender)
    claimed = PACKAGE_NAME.match(item.file_name)
    if claimed is None:
        return _("unknown")
    return _("{office} (by its file name)").format(office=names.office(claimed.group(1)))


def inbox_row(item: Received, names: Names) -> InboxRow:
    return InboxRow(
        _sender(item, names),
        str(item.sequence) if item.sequence else "",
        kind_label(item.kind),
        names.subject(item.subject),
        inbox_status_label(item.status),
        when(item.received_at),
        when(item.applied_at),
        item.reason,
    )


@dataclass(frozen=True)
class QuarantineRow:
    received: str
    sender: str
    kind: str
    subject: str
    reason: str


def quarantine_columns() -> tuple[Column, ...]:
    return (
        Column("received", _("Received"), "text", width_hint=9),
        Column("sender", _("Sender"), "text", width_hint=27),
        Column("kind", _("Kind"), "text", width_hint=7),
        Column("subject", _("Subject"), "text", width_hint=18),
        Column("reason", _("Why it was not applied"), "text", width_hint=20),
    )


def quarantine_row(item: Received, names: Names) -> QuarantineRow:
    return QuarantineRow(
        when(item.received_at),
        _sender(item, names),
        kind_label(item.kind),
        names.subject(item.subject),
        item.reason,
    )


@dataclass(frozen=True)
class PeerRow:
    office: str
    level: str
    fingerprint: str
    status: str
    found: str
    source: str


def peer_columns() -> tuple[Column, ...]:
    return (
        Column("office", _("Office name"), "text", width_hint=17),
        Column("level", _("Level"), "text", width_hint=10),
        Column("fingerprint", _("Fingerprint"), "text", width_hint=25),
        Column("status", _("Status"), "text", width_hint=5),
        Column("found", _("Found"), "text", width_hint=9),
        Column("source", _("Came from"), "text", width_hint=14),
    )


def peer_row(peer: PeerInfo) -> PeerRow:
    return PeerRow(
        f"{peer.name}（{peer.office}）",
        level_label(peer.level),
        peer.fingerprint,
        peer_status_label(peer.status),
        when(peer.found_at),
        peer.source,
    )
