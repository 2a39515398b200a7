"""Importing package files: verify, order, apply once, or hold or quarantine with a reason.

For each file: its bytes are copied into the local inbox (by SHA-256) and opened with the
senders' pinned keys (nothing is parsed before the signature holds). Then, by the sender's
sequence number — never by a clock:
- the same package again is a no-op; the same package id with other content is a tamper
  alert; another package under a number already used is a fork: both go to quarantine;
- a number beyond the next expected one is held until the gap is filled;
- the next expected one is applied: business rows, ledger row and audit entries in one
  transaction. A package the rules refuse goes to quarantine and holds up its stream until
  someone retries it (after fixing the cause) or sets it aside with a reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as SchemaError
from sqlalchemy.exc import IntegrityError

from mibdesk.core.db.models import InboxEntry
from mibdesk.core.errors import UserError
from mibdesk.core.exchange.manifest import PAYLOAD_DATA
from mibdesk.core.exchange.package import MAX_MEMBER, OpenedPackage, open_package, sha256
from mibdesk.core.exchange.refusals import PackageRefused, Reason, describe
from mibdesk.core.exchange.strict_json import parse_strict
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange import kinds_city, kinds_common, kinds_county
from mibdesk.core.services.exchange.arrival import Arrival, Kind
from mibdesk.core.services.exchange.context import Me, inbox_dir, me, sender_actor
from mibdesk.core.services.exchange.peers import pinned
from mibdesk.core.services.store import Store
from mibdesk.core.signing._files import write_atomically

KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (*kinds_common.KINDS, *kinds_county.KINDS, *kinds_city.KINDS)
}
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


def import_bytes(store: Store, data: bytes, file_name: str) -> tuple[Verdict, Changes]:
    """Import one package file's bytes; then apply any held packages it unblocked."""
    office = me(store)
    verdict, changes = _import_one(store, office, data, file_name)
    if verdict.status == "applied":
        changes = changes | apply_held(store, office)
    return verdict, changes


def _import_one(store: Store, office: Me, data: bytes, file_name: str) -> tuple[Verdict, Changes]:
    digest = sha256(data)
    with store.read() as session:
        if ledger.inbox_by_sha(session, digest) is not None:
            return Verdict(file_name, "duplicate"), Changes()
    write_atomically(inbox_dir(store) / f"{digest}.mibpkg", lambda temp: temp.write_bytes(data))
    try:
        opened = open_package(data, pinned(store).get)
    except PackageRefused as refusal:
        return _quarantine(store, digest, file_name, None, refusal.reason, refusal.detail)
    return _route(store, office, digest, file_name, opened)


def _route(
    store: Store,
    office: Me,
    digest: str,
    file_name: str,
    opened: OpenedPackage,
    retrying: int | None = None,
) -> tuple[Verdict, Changes]:
    manifest = opened.manifest
    if manifest.recipient != office.code:
        return _quarantine(store, digest, file_name, opened, Reason.NOT_FOR_US, manifest.recipient)
    kind = KINDS.get(manifest.kind)
    if kind is None or office.level not in kind.to_levels:
        return _quarantine(store, digest, file_name, opened, Reason.UNKNOWN_KIND, manifest.kind)
    with store.read() as session:
        same_id = [
            row
            for row in ledger.inbox_by_package(session, manifest.package_id)
            if row.id != retrying and row.status != "duplicate"
        ]
        stream = ledger.stream(session, manifest.sender.office, "in")
        last, last_manifest = stream.last_sequence, stream.last_manifest
        held = [
            row
            for row in ledger.held_at(session, manifest.sender.office, manifest.sequence)
            if row.id != retrying
        ]
    if any(row.manifest_sha256 == opened.manifest_sha256 for row in same_id):
        return _record_duplicate(store, digest, file_name, opened)
    if same_id:
        return _quarantine(store, digest, file_name, opened, Reason.TAMPERED, manifest.package_id)
    if manifest.sequence <= last or held:
        return _quarantine(store, digest, file_name, opened, Reason.FORK, str(manifest.sequence))
    if manifest.sequence > last + 1:
        return _hold(store, digest, file_name, opened)
    if manifest.previous != last_manifest:
        return _quarantine(store, digest, file_name, opened, Reason.FORK, str(manifest.sequence))
    return _apply(store, digest, file_name, opened, kind)


def _payload(opened: OpenedPackage, kind: Kind) -> Any:
    raw = parse_strict(
        opened.members.get(PAYLOAD_DATA, b""), where=PAYLOAD_DATA, max_bytes=MAX_MEMBER // 3
    )
    return kind.schema.model_validate(raw)


def _apply(
    store: Store, digest: str, file_name: str, opened: OpenedPackage, kind: Kind
) -> tuple[Verdict, Changes]:
    manifest = opened.manifest
    at = stamp(store.clock())
    try:
        payload = _payload(opened, kind)
    except (UserError, SchemaError) as error:
        return _quarantine(store, digest, file_name, opened, Reason.BAD_DATA, _short(error))
    with store.read() as session:
        sender = ledger.active_peer(session, manifest.sender.office)
        name, level = (sender.name, sender.level) if sender else (manifest.sender.office, "")
    if level not in kind.from_levels:
        return _quarantine(store, digest, file_name, opened, Reason.UNKNOWN_KIND, manifest.kind)
    arrival = Arrival(
        store, manifest, opened.members, name, level, sender_actor(manifest.sender.office, name), at
    )
    try:
        with store.write() as session:
            changes = kind.apply(arrival, payload)
            stream = ledger.stream(session, manifest.sender.office, "in")
            stream.last_sequence, stream.last_manifest = manifest.sequence, opened.manifest_sha256
            row = ledger.inbox_by_sha(session, digest) or _row(digest, file_name, opened, "", at)
            row.status, row.reason_code, row.reason, row.applied_at = "applied", "", "", at
            session.add(row)
            audit.append(
                session,
                at=at,
                actor=arrival.actor.username,
                action="exchange.apply",
                entity="package",
                entity_key=manifest.package_id,
                after={
                    "kind": manifest.kind,
                    "sequence": manifest.sequence,
                    "subject": manifest.subject,
                },
            )
    except (UserError, IntegrityError) as error:
        return _quarantine(store, digest, file_name, opened, Reason.REFUSED_BY_RULES, _short(error))
    verdict = Verdict(
        file_name, "applied", "", manifest.package_id, manifest.kind, manifest.sender.office
    )
    return verdict, changes | LEDGER


def _short(error: Exception) -> str:
    if isinstance(error, SchemaError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"
    if isinstance(error, IntegrityError):
        return "duplicate record"
    return str(error)[:500]


def _row(
    digest: str, file_name: str, opened: OpenedPackage | None, status: str, at: str
) -> InboxEntry:
    manifest = opened.manifest if opened else None
    return InboxEntry(
        package_sha256=digest,
        package_id=manifest.package_id if manifest else "",
        sender=manifest.sender.office if manifest else "",
        sequence=manifest.sequence if manifest else 0,
        kind=manifest.kind if manifest else "",
        subject_json=json.dumps(manifest.subject if manifest else {}, ensure_ascii=False),
        manifest_sha256=opened.manifest_sha256 if opened else "",
        file_name=file_name,
        status=status,
        reason_code="",
        reason="",
        received_at=at,
        applied_at=None,
        acked=False,
    )


def _quarantine(
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
        row = ledger.inbox_by_sha(session, digest)
        if row is None:
            row = _row(digest, file_name, opened, "quarantined", at)
            session.add(row)
        row.status, row.reason_code, row.reason = "quarantined", reason.value, text
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
    manifest = opened.manifest if opened else None
    verdict = Verdict(
        file_name,
        "quarantined",
        text,
        manifest.package_id if manifest else "",
        manifest.kind if manifest else "",
        manifest.sender.office if manifest else "",
    )
    return verdict, LEDGER | Changes.of(Area.AUDIT)


def _hold(
    store: Store, digest: str, file_name: str, opened: OpenedPackage
) -> tuple[Verdict, Changes]:
    at = stamp(store.clock())
    with store.write() as session:
        row = ledger.inbox_by_sha(session, digest) or _row(digest, file_name, opened, "held", at)
        row.status, row.reason_code = "held", "gap"
        row.reason = describe_gap(opened.manifest.sequence)
        session.add(row)
    manifest = opened.manifest
    return Verdict(
        file_name,
        "held",
        describe_gap(manifest.sequence),
        manifest.package_id,
        manifest.kind,
        manifest.sender.office,
    ), LEDGER


def describe_gap(sequence: int) -> str:
    return _("Waiting for the sender's earlier packages (this is number {n}).").format(n=sequence)


def _record_duplicate(
    store: Store, digest: str, file_name: str, opened: OpenedPackage
) -> tuple[Verdict, Changes]:
    """Same package, other file bytes (re-zipped): nothing to apply; remember the bytes."""
    with store.write() as session:
        row = ledger.inbox_by_sha(session, digest) or _row(
            digest, file_name, opened, "", stamp(store.clock())
        )
        row.status, row.acked = "duplicate", True
        session.add(row)
    manifest = opened.manifest
    return Verdict(
        file_name, "duplicate", "", manifest.package_id, manifest.kind, manifest.sender.office
    ), Changes()


def apply_held(store: Store, office: Me | None = None) -> Changes:
    """Apply held packages whose turn has come, in sequence order, until none can go."""
    office = office or me(store)
    changes = Changes()
    progress = True
    while progress:
        progress = False
        with store.read() as session:
            held = [
                (row.id, row.package_sha256, row.file_name, row.sender, row.sequence)
                for row in ledger.inbox(session, ("held",))
            ]
            next_up = {
                sender: ledger.stream(session, sender, "in").last_sequence + 1
                for sender in {h[3] for h in held}
            }
        for row_id, _digest, _name, sender, sequence in sorted(held, key=lambda h: h[4]):
            if sequence != next_up.get(sender):
                continue
            verdict, more = retry(store, row_id, office)
            changes = changes | more
            progress = progress or verdict.status == "applied"
            break
    return changes


def retry(store: Store, row_id: int, office: Me | None = None) -> tuple[Verdict, Changes]:
    """Try a held or quarantined package again (after its cause was fixed)."""
    office = office or me(store)
    with store.read() as session:
        row = session.get(InboxEntry, row_id)
        if row is None or row.status not in ("held", "quarantined"):
            raise UserError(_("Only a held or quarantined package can be tried again."))
        digest, file_name = row.package_sha256, row.file_name
    data = (inbox_dir(store) / f"{digest}.mibpkg").read_bytes()
    try:
        opened = open_package(data, pinned(store).get)
    except PackageRefused as refusal:
        return _quarantine(store, digest, file_name, None, refusal.reason, refusal.detail)
    verdict, changes = _route(store, office, digest, file_name, opened, retrying=row_id)
    if verdict.status == "applied":
        changes = changes | apply_held(store, office)
    return verdict, changes


def retry_unknown_keys(store: Store, office: Me | None = None) -> Changes:
    """Retry packages quarantined for an unknown key once that key has been registered."""
    keys_now = pinned(store)
    with store.read() as session:
        waiting = [
            row.id
            for row in ledger.inbox(session, ("quarantined",))
            if row.reason_code == Reason.UNKNOWN_KEY and _key_named(row.reason) in keys_now
        ]
    changes = Changes()
    for row_id in waiting:
        changes = changes | retry(store, row_id, office)[1]
    return changes


def _key_named(reason: str) -> str:
    """The key id a quarantine reason quotes (16 hex digits), or ''."""
    found = re.search(r"[0-9a-f]{16}", reason)
    return found.group(0) if found else ""
