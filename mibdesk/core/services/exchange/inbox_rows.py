"""The inbox ledger: one row per package file received, and what became of it (applied,
held for a gap, quarantined with its reason, or a duplicate), with the verdict shown. The
file's bytes are kept with its row, in the same transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mibdesk.core.db.exchange_models import InboxEntry
from mibdesk.core.exchange.package import MAX_PACKAGE, OpenedPackage, sha256
from mibdesk.core.exchange.refusals import Reason, describe
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, import_ledger
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store

LEDGER = Changes.of(Area.OFFICE)


@dataclass(frozen=True)
class Arrived:
    """A package file as it arrived: its name in the drop, its bytes and their SHA-256."""

    name: str
    data: bytes
    digest: str

    @classmethod
    def of(cls, name: str, data: bytes) -> Arrived:
        return cls(name, data, sha256(data))

    @property
    def kept(self) -> bytes | None:
        """The bytes to keep with the inbox row: none for a file lost (no bytes) or over the
        size cap (refused as too large, it can never be applied)."""
        return self.data if 0 < len(self.data) <= MAX_PACKAGE else None


@dataclass(frozen=True)
class Verdict:
    """What became of one file: applied, held, quarantined, duplicate (with the reason)."""

    file_name: str
    status: str
    reason: str = ""
    package_id: str = ""
    kind: str = ""
    sender: str = ""


def verdict(file_name: str, status: str, opened: OpenedPackage | None, reason: str = "") -> Verdict:
    if opened is None:
        return Verdict(file_name, status, reason)
    manifest = opened.manifest
    return Verdict(
        file_name, status, reason, manifest.package_id, manifest.kind, manifest.sender.office
    )


def entry(session: Session, arrived: Arrived, opened: OpenedPackage | None, at: str) -> InboxEntry:
    """The file's inbox row, created on first sight with the file's bytes; once the package
    could be opened, its row names the package. (A row first written for an unknown key has
    no sender, sequence or id; without filling them in on retry, a held package would never
    be found again and an applied one never acknowledged.) A row whose bytes an earlier
    version kept in a file gets them now."""
    row = ledger.inbox_by_sha(session, arrived.digest)
    if row is None:
        row = InboxEntry(
            package_sha256=arrived.digest,
            file_name=arrived.name,
            status="",
            reason_code="",
            reason="",
            received_at=at,
            applied_at=None,
            acked=False,
        )
        session.add(row)
        session.flush()
        _keep(session, row.id, arrived)
    elif import_ledger.file_of(session, row.id) is None:
        _keep(session, row.id, arrived)
    if opened is not None:
        manifest = opened.manifest
        row.package_id, row.sender = manifest.package_id, manifest.sender.office
        row.sequence, row.kind = manifest.sequence, manifest.kind
        row.subject_json = json.dumps(manifest.subject, ensure_ascii=False)
        row.manifest_sha256 = opened.manifest_sha256
    return row


def _keep(session: Session, entry_id: int, arrived: Arrived) -> None:
    if arrived.kept is not None:
        import_ledger.add_file(session, entry_id, arrived.kept)


def add_applied(session: Session, arrived: Arrived, opened: OpenedPackage, at: str) -> None:
    """The inbox row of a file seen for the first time and applied at once, with its bytes
    (plain INSERTs: what `entry` and the status fields make, without the ORM)."""
    manifest = opened.manifest
    entry_id = import_ledger.add_inbox(
        session,
        {
            "package_sha256": arrived.digest,
            "package_id": manifest.package_id,
            "sender": manifest.sender.office,
            "sequence": manifest.sequence,
            "kind": manifest.kind,
            "subject_json": json.dumps(manifest.subject, ensure_ascii=False),
            "manifest_sha256": opened.manifest_sha256,
            "file_name": arrived.name,
            "status": "applied",
            "reason_code": "",
            "reason": "",
            "received_at": at,
            "applied_at": at,
            "acked": False,
        },
    )
    _keep(session, entry_id, arrived)


def quarantine(
    store: Store, arrived: Arrived, opened: OpenedPackage | None, reason: Reason, detail: str
) -> tuple[Verdict, Changes]:
    at = stamp(store.clock())
    text = describe(reason, detail)
    with store.write() as session:
        row = entry(session, arrived, opened, at)
        row.status, row.reason_code, row.reason = "quarantined", reason.value, text
        # A tampered copy carries the id of a package already applied: acknowledging it as
        # refused would tell the sender that its genuine package failed.
        row.acked = reason == Reason.TAMPERED
        audit.append(
            session,
            at=at,
            actor="exchange",
            action="exchange.quarantine",
            entity="package",
            entity_key=row.package_id or arrived.digest[:16],
            after={"file": arrived.name, "reason": reason.value},
            reason=text,
        )
    return verdict(arrived.name, "quarantined", opened, text), LEDGER | Changes.of(Area.AUDIT)


def hold(store: Store, arrived: Arrived, opened: OpenedPackage) -> tuple[Verdict, Changes]:
    text = describe_gap(opened.manifest.sequence)
    with store.write() as session:
        row = entry(session, arrived, opened, stamp(store.clock()))
        row.status, row.reason_code, row.reason = "held", "gap", text
    return verdict(arrived.name, "held", opened, text), LEDGER


def describe_gap(sequence: int) -> str:
    return _("Waiting for the sender's earlier packages (this is number {n}).").format(n=sequence)


def record_duplicate(
    store: Store, arrived: Arrived, opened: OpenedPackage
) -> tuple[Verdict, Changes]:
    """Same package, other file bytes (re-zipped): nothing to apply; remember the bytes."""
    with store.write() as session:
        row = entry(session, arrived, opened, stamp(store.clock()))
        row.status, row.acked = "duplicate", True
    return verdict(arrived.name, "duplicate", opened), Changes()
