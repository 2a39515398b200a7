"""The inbox ledger: one row per package file received, and what became of it (applied,
held for a gap, quarantined with its reason, or a duplicate), with the verdict shown."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mibdesk.core.db.models import InboxEntry
from mibdesk.core.exchange.package import OpenedPackage
from mibdesk.core.exchange.refusals import Reason, describe
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, import_ledger
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store

LEDGER = Changes.of(Area.OFFICE)


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


def entry(
    session: Session,
    digest: str,
    file_name: str,
    opened: OpenedPackage | None,
    at: str,
) -> InboxEntry:
    """The file's inbox row, created on first sight; once the package could be opened, its
    row names the package. (A row first written for an unknown key has no sender, sequence
    or id; without filling them in on retry, a held package would never be found again and
    an applied one never acknowledged.)"""
    row = ledger.inbox_by_sha(session, digest)
    if row is None:
        row = InboxEntry(
            package_sha256=digest,
            file_name=file_name,
            status="",
            reason_code="",
            reason="",
            received_at=at,
            applied_at=None,
            acked=False,
        )
        session.add(row)
    if opened is not None:
        manifest = opened.manifest
        row.package_id, row.sender = manifest.package_id, manifest.sender.office
        row.sequence, row.kind = manifest.sequence, manifest.kind
        row.subject_json = json.dumps(manifest.subject, ensure_ascii=False)
        row.manifest_sha256 = opened.manifest_sha256
    return row


def add_applied(
    session: Session, digest: str, file_name: str, opened: OpenedPackage, at: str
) -> None:
    """The inbox row of a file seen for the first time and applied at once (one plain
    INSERT: what `entry` and the status fields make, without the ORM)."""
    manifest = opened.manifest
    import_ledger.add_inbox(
        session,
        {
            "package_sha256": digest,
            "package_id": manifest.package_id,
            "sender": manifest.sender.office,
            "sequence": manifest.sequence,
            "kind": manifest.kind,
            "subject_json": json.dumps(manifest.subject, ensure_ascii=False),
            "manifest_sha256": opened.manifest_sha256,
            "file_name": file_name,
            "status": "applied",
            "reason_code": "",
            "reason": "",
            "received_at": at,
            "applied_at": at,
            "acked": False,
        },
    )


def quarantine(
    store: Store,
    digest: str,
    file_name: str,
    opened: OpenedPackage | None,
    reason: Reason,
    detail: str,
) -> tuple[Verdict, Changes]:
    at = stamp(store.clock())
    text = describe(reason, detail)
    with store.write() as session:
        row = entry(session, digest, file_name, opened, at)
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
            entity_key=row.package_id or digest[:16],
            after={"file": file_name, "reason": reason.value},
            reason=text,
        )
    return verdict(file_name, "quarantined", opened, text), LEDGER | Changes.of(Area.AUDIT)


def hold(
    store: Store, digest: str, file_name: str, opened: OpenedPackage
) -> tuple[Verdict, Changes]:
    text = describe_gap(opened.manifest.sequence)
    with store.write() as session:
        row = entry(session, digest, file_name, opened, stamp(store.clock()))
        row.status, row.reason_code, row.reason = "held", "gap", text
    return verdict(file_name, "held", opened, text), LEDGER


def describe_gap(sequence: int) -> str:
    return _("Waiting for the sender's earlier packages (this is number {n}).").format(n=sequence)


def record_duplicate(
    store: Store, digest: str, file_name: str, opened: OpenedPackage
) -> tuple[Verdict, Changes]:
    """Same package, other file bytes (re-zipped): nothing to apply; remember the bytes."""
    with store.write() as session:
        row = entry(session, digest, file_name, opened, stamp(store.clock()))
        row.status, row.acked = "duplicate", True
    return verdict(file_name, "duplicate", opened), Changes()
