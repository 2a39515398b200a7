"""What a person does with received packages: look at them, save the sender's original, and,
for one that could not be applied, retry it or set it aside."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mibdesk.core.db.exchange_models import InboxEntry
from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange.refusals import Reason
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.importer import Verdict, apply_held, retry
from mibdesk.core.services.exchange.package_files import received_file
from mibdesk.core.services.store import Store
from mibdesk.core.signing._files import write_atomically


@dataclass(frozen=True)
class Received:
    id: int
    file_name: str
    package_id: str
    sender: str
    sequence: int
    kind: str
    subject: dict[str, str | int]
    status: str
    reason: str
    received_at: str
    applied_at: str | None


def _received(row: InboxEntry) -> Received:
    return Received(
        row.id,
        row.file_name,
        row.package_id,
        row.sender,
        row.sequence,
        row.kind,
        json.loads(row.subject_json),
        row.status,
        row.reason,
        row.received_at,
        row.applied_at,
    )


def received(store: Store, statuses: tuple[str, ...] | None = None) -> list[Received]:
    with store.read() as session:
        return [_received(row) for row in ledger.inbox(session, statuses)]


def received_package(store: Store, package_id: str) -> Received:
    """The received package whose id is `package_id` or starts with it (at least 8 of its
    32 characters, as lists show 12); ValidationError when none or several match."""
    wanted = package_id.strip().lower()
    if len(wanted) < 8:
        raise ValidationError(_("Give at least the first 8 characters of the package id."))
    with store.read() as session:
        found = [_received(row) for row in ledger.inbox_by_id_prefix(session, wanted)]
    if len(found) != 1:
        raise ValidationError(
            (
                _("No received package has the id {id}.")
                if not found
                else _("Several received packages start with {id}; give more of it.")
            ).format(id=wanted)
        )
    return found[0]


def save_original(store: Store, row_id: int, target: Path) -> Path:
    """Write the file of inbox row `row_id` to `target` (a file, or a folder to keep its
    name) byte for byte as it arrived (the sender's signed original, for an auditor or
    `mibdesk-cli package verify`);
    ValidationError when this office no longer has it (kept by an earlier version, and
    gone from the drop too)."""
    with store.read() as session:
        row = session.get(InboxEntry, row_id)
        if row is None:
            raise ValidationError(_("No such received package."))
        digest, file_name = row.package_sha256, row.file_name
    data = received_file(store, row_id, digest, file_name)
    if data is None:
        raise ValidationError(
            _("This office no longer has the file {file}.").format(file=file_name)
        )
    if target.is_dir():
        target = target / file_name
    write_atomically(target, lambda temp: temp.write_bytes(data))
    return target


def retry_package(store: Store, actor: Actor, row_id: int) -> Outcome[Verdict]:
    require(actor, Permission.ENTER)
    verdict, changes = retry(store, row_id)
    return Outcome(verdict, changes)


def set_aside(store: Store, actor: Actor, row_id: int, reason: str) -> Outcome[Received]:
    """Give up on a quarantined package, with the reason recorded (and sent back in the
    acknowledgement). If it was the next on its stream, the packages after it go ahead."""
    require(actor, Permission.REVIEW)
    if not reason.strip():
        raise ValidationError(_("Say why the package is set aside."), where=_("Reason"))
    at = stamp(store.clock())
    with store.write() as session:
        row = session.get(InboxEntry, row_id)
        if row is None or row.status != "quarantined":
            raise ValidationError(_("Only a quarantined package can be set aside."))
        row.status, row.reason = "set_aside", reason.strip()
        # The sender learns it was set aside, and why; except for a tampered copy, whose id
        # is that of a package already applied.
        row.acked = row.reason_code == Reason.TAMPERED
        if row.sender and row.reason_code not in (Reason.TAMPERED, Reason.FORK):
            stream = ledger.stream(session, row.sender, "in")
            if row.sequence == stream.last_sequence + 1:
                stream.last_sequence, stream.last_manifest = row.sequence, row.manifest_sha256
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="exchange.set_aside",
            entity="package",
            entity_key=row.package_id or row.package_sha256[:16],
            before={"status": "quarantined", "reason": row.reason_code},
            after={"status": "set_aside"},
            reason=reason.strip(),
        )
        result = _received(row)
    changes = Changes.of(Area.OFFICE, Area.AUDIT) | apply_held(store)
    return Outcome(result, changes)
