"""Importing package files: verify, order, apply once, or hold or quarantine with a reason.

For each file: it is opened with the senders' pinned keys (nothing is parsed before the
signature holds), and its bytes are kept with its inbox row, whatever becomes of it. Then,
by the sender's sequence number — never by a clock:
- the same package again is a no-op; the same package id with other content is a tamper
  alert; another package under a number already used is a fork: both go to quarantine;
- a number beyond the next expected one is held until the gap is filled;
- the next expected one is applied: business rows, ledger row and audit entries in one
  transaction. A package the rules refuse goes to quarantine and holds up its stream until
  someone retries it (after fixing the cause) or sets it aside with a reason.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as SchemaError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from mibdesk.core.db.exchange_models import InboxEntry
from mibdesk.core.errors import StoreError, UserError
from mibdesk.core.exchange.manifest import PAYLOAD_DATA
from mibdesk.core.exchange.package import MAX_MEMBER, OpenedPackage, PinnedKey, open_package
from mibdesk.core.exchange.refusals import PackageRefused, Reason
from mibdesk.core.exchange.strict_json import parse_strict
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, import_ledger
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.changes import Changes
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange import (
    kinds_city,
    kinds_common,
    kinds_county,
    kinds_settlement,
    kinds_transfers,
)
from mibdesk.core.services.exchange.arrival import Arrival, Kind
from mibdesk.core.services.exchange.context import Me, me, sender_actor
from mibdesk.core.services.exchange.inbox_rows import (
    LEDGER,
    Arrived,
    Verdict,
    add_applied,
    entry,
    hold,
    quarantine,
    record_duplicate,
    verdict,
)
from mibdesk.core.services.exchange.outbox import SCHEMA_VERSION
from mibdesk.core.services.exchange.package_files import received_file
from mibdesk.core.services.exchange.peers import pinned
from mibdesk.core.services.store import Store

__all__ = ["KINDS", "Importing", "Verdict", "apply_held", "import_bytes", "retry"]

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        *kinds_common.KINDS,
        *kinds_county.KINDS,
        *kinds_city.KINDS,
        *kinds_settlement.KINDS,
        *kinds_transfers.KINDS,
    )
}
log = logging.getLogger(__name__)


@dataclass
class Importing:
    """What an import run (a sync) reads once rather than per package: the office it
    speaks for; the pinned keys and registered offices (read again after a trust list
    changed them); the hashes already in the inbox; which senders have packages held."""

    store: Store
    office: Me
    _keys: dict[str, PinnedKey] | None = field(default=None, repr=False)
    _peers: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _held: set[str] | None = field(default=None, repr=False)
    _received: set[str] | None = field(default=None, repr=False)

    @classmethod
    def start(cls, store: Store) -> Importing:
        return cls(store, me(store))

    def key(self, key_id: str) -> PinnedKey | None:
        if self._keys is None:
            self._keys = pinned(self.store)
        return self._keys.get(key_id)

    def peer(self, office: str) -> tuple[str, str]:
        """(name, level) of the registered office, or (its code, "") when there is none."""
        if office not in self._peers:
            with self.store.read() as session:
                row = ledger.active_peer(session, office)
                self._peers[office] = (row.name, row.level) if row else (office, "")
        return self._peers[office]

    def first_sight(self, digest: str) -> bool:
        """Whether a file with these bytes is new to the inbox (the inbox's hashes are read
        once per run); from now on it counts as received."""
        if self._received is None:
            with self.store.read() as session:
                self._received = ledger.inbox_digests(session)
        new = digest not in self._received
        self._received.add(digest)
        return new

    def keys_changed(self) -> None:
        self._keys = None
        self._peers.clear()

    def may_hold(self, sender: str) -> bool:
        """False when no package of `sender` waits (held), as far as this run knows."""
        if self._held is None:
            with self.store.read() as session:
                self._held = {row.sender for row in ledger.inbox(session, ("held",))}
        return sender in self._held

    def holding(self, sender: str) -> None:
        if self._held is not None:
            self._held.add(sender)


def import_bytes(
    store: Store, data: bytes, file_name: str, run: Importing | None = None
) -> tuple[Verdict, Changes]:
    """Import one package file's bytes; then apply any held packages it unblocked."""
    run = run or Importing.start(store)
    result, changes = _import_one(run, Arrived.of(file_name, data))
    if result.status == "applied":
        changes = changes | _apply_due(run, result.sender)
    return result, changes


def _import_one(run: Importing, arrived: Arrived) -> tuple[Verdict, Changes]:
    if not run.first_sight(arrived.digest):
        return Verdict(arrived.name, "duplicate"), Changes()
    try:
        opened = open_package(arrived.data, run.key)
    except PackageRefused as refusal:
        return quarantine(run.store, arrived, None, refusal.reason, refusal.detail)
    return _route(run, arrived, opened)


class _Refused(Exception):
    """Leaves the import's transaction (rolling back) to quarantine the package."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _route(
    run: Importing, arrived: Arrived, opened: OpenedPackage, retrying: int | None = None
) -> tuple[Verdict, Changes]:
    """Decide by the sender's sequence what to do with an opened package, and apply it if
    its turn has come: the decision's reads and the apply share one transaction."""
    store, office, manifest = run.store, run.office, opened.manifest
    if manifest.recipient != office.code:
        return quarantine(store, arrived, opened, Reason.NOT_FOR_US, manifest.recipient)
    kind = KINDS.get(manifest.kind)
    if kind is None or office.level not in kind.to_levels:
        return quarantine(store, arrived, opened, Reason.UNKNOWN_KIND, manifest.kind)
    if manifest.schema_version != SCHEMA_VERSION:
        # A payload written by a newer program: quarantined, applied by a retry after the
        # upgrade (docs/exchange-format.md, "Changing the format").
        detail = f"{manifest.kind} (schema {manifest.schema_version})"
        return quarantine(store, arrived, opened, Reason.UNKNOWN_KIND, detail)
    applying = False
    try:
        with store.write() as session:
            decision = _decide(session, run, opened, retrying)
            if decision == "apply":
                applying = True
                changes = _apply(run, opened, kind)
                _record(session, run, arrived, opened, retrying)
    except _Refused as refused:
        return quarantine(store, arrived, opened, refused.reason, refused.detail)
    except StoreError:
        raise  # the disk or the database (full, failing, busy): not the package's fault
    except (UserError, IntegrityError) as error:
        if not applying:
            raise
        return quarantine(store, arrived, opened, Reason.REFUSED_BY_RULES, _short(error))
    except OperationalError:
        raise  # the database itself, in a way `storage_problem` does not name: a bug
    except Exception as error:
        if not applying:
            raise
        # A fault in a handler is a bug, logged with its traceback; but left to escape, it
        # would stop every later sync at this same file. Rolled back, the package waits in
        # quarantine for a retry with a corrected program.
        log.exception("applying package %s failed", manifest.package_id)
        detail = f"{type(error).__name__}: {error}"[:500]
        return quarantine(store, arrived, opened, Reason.REFUSED_BY_RULES, detail)
    if decision == "apply":
        if kind.name == "trust_list":
            run.keys_changed()  # the next package may be signed with a key it (un)registered
        return verdict(arrived.name, "applied", opened), changes | LEDGER
    if decision == "hold":
        run.holding(manifest.sender.office)
        return hold(store, arrived, opened)
    if decision == "duplicate":
        return record_duplicate(store, arrived, opened)
    reason = Reason(decision)
    detail = manifest.package_id if reason == Reason.TAMPERED else str(manifest.sequence)
    return quarantine(store, arrived, opened, reason, detail)


def _decide(session: Session, run: Importing, opened: OpenedPackage, retrying: int | None) -> str:
    """What to do with the package: "apply", "hold", "duplicate", or the Reason to
    quarantine it (tampered, fork), read in the transaction that applies it."""
    manifest, sender = opened.manifest, opened.manifest.sender.office
    last_sequence, last_manifest = import_ledger.position(session, sender)
    same_id = [
        manifest_sha256
        for row_id, status, manifest_sha256 in import_ledger.same_package(
            session, manifest.package_id
        )
        if row_id != retrying and status != "duplicate"
    ]
    if opened.manifest_sha256 in same_id:
        return "duplicate"
    if same_id:
        return Reason.TAMPERED
    held = run.may_hold(sender) and any(
        row.id != retrying for row in ledger.held_at(session, sender, manifest.sequence)
    )
    if manifest.sequence <= last_sequence or held:
        return Reason.FORK
    if manifest.sequence > last_sequence + 1:
        return "hold"
    if manifest.previous != last_manifest:
        return Reason.FORK
    return "apply"


def _payload(opened: OpenedPackage, kind: Kind) -> Any:
    raw = parse_strict(
        opened.members.get(PAYLOAD_DATA, b""), where=PAYLOAD_DATA, max_bytes=MAX_MEMBER // 3
    )
    return kind.schema.model_validate(raw)


def _apply(run: Importing, opened: OpenedPackage, kind: Kind) -> Changes:
    """The business rows (the kind's handler), in the caller's transaction; _Refused (or
    the handler's error) rolls all of it back."""
    store, manifest = run.store, opened.manifest
    at = stamp(store.clock())
    try:
        payload = _payload(opened, kind)
    except (UserError, SchemaError) as error:
        raise _Refused(Reason.BAD_DATA, _short(error)) from None
    name, level = run.peer(manifest.sender.office)
    if level not in kind.from_levels:
        raise _Refused(Reason.UNKNOWN_KIND, manifest.kind)
    arrival = Arrival(
        store, manifest, opened.members, name, level, sender_actor(manifest.sender.office, name), at
    )
    return kind.apply(arrival, payload)


def _record(
    session: Session,
    run: Importing,
    arrived: Arrived,
    opened: OpenedPackage,
    retrying: int | None,
) -> None:
    """The ledger's part of an apply: the stream moves on, the inbox row (with the file's
    bytes) and the audit say the package was applied (same transaction as the business
    rows)."""
    manifest, at = opened.manifest, stamp(run.store.clock())
    import_ledger.move(session, manifest.sender.office, manifest.sequence, opened.manifest_sha256)
    if retrying is None:
        add_applied(session, arrived, opened, at)
    else:
        row = entry(session, arrived, opened, at)
        row.status, row.reason_code, row.reason, row.applied_at = "applied", "", "", at
        row.acked = False  # it may have been acknowledged as refused
    name = run.peer(manifest.sender.office)[0]
    audit.append(
        session,
        at=at,
        actor=sender_actor(manifest.sender.office, name).username,
        action="exchange.apply",
        entity="package",
        entity_key=manifest.package_id,
        after={"kind": manifest.kind, "sequence": manifest.sequence, "subject": manifest.subject},
    )


def _short(error: Exception) -> str:
    if isinstance(error, SchemaError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"
    if isinstance(error, IntegrityError):
        return "duplicate record"
    return str(error)[:500]


def apply_held(store: Store, run: Importing | None = None) -> Changes:
    """Apply held packages whose turn has come, in sequence order, until none can go."""
    run = run or Importing.start(store)
    changes = Changes()
    progress = True
    while progress:
        progress = False
        with store.read() as session:
            held = [(row.id, row.sender, row.sequence) for row in ledger.inbox(session, ("held",))]
            next_up = {
                sender: ledger.stream(session, sender, "in").last_sequence + 1
                for sender in {sender for _id, sender, _sequence in held}
            }
        for row_id, sender, sequence in sorted(held, key=lambda h: h[2]):
            if sequence != next_up.get(sender):
                continue
            result, more = retry(store, row_id, run)
            changes = changes | more
            # Whatever became of it, it left "held": look again (another stream may be due).
            progress = result.status != "held"
            break
    return changes


def _apply_due(run: Importing, sender: str) -> Changes:
    """After one of `sender`'s packages was applied, its held successors in turn (found by
    the stream index, not by looking through every held package)."""
    changes = Changes()
    while run.may_hold(sender):
        with run.store.read() as session:
            due = ledger.stream(session, sender, "in").last_sequence + 1
            waiting = [row.id for row in ledger.held_at(session, sender, due)]
        if not waiting:
            return changes
        result, more = _retry_one(run, waiting[0])
        changes = changes | more
        if result.status != "applied":
            return changes
    return changes


def retry(store: Store, row_id: int, run: Importing | None = None) -> tuple[Verdict, Changes]:
    """Try a held or quarantined package again (after its cause was fixed)."""
    run = run or Importing.start(store)
    result, changes = _retry_one(run, row_id)
    if result.status == "applied":
        changes = changes | _apply_due(run, result.sender)
    return result, changes


def _retry_one(run: Importing, row_id: int) -> tuple[Verdict, Changes]:
    store = run.store
    with store.read() as session:
        row = session.get(InboxEntry, row_id)
        if row is None or row.status not in ("held", "quarantined"):
            raise UserError(_("Only a held or quarantined package can be tried again."))
        digest, file_name = row.package_sha256, row.file_name
    data = received_file(store, row_id, digest, file_name)
    if data is None:
        lost = Arrived(file_name, b"", digest)
        return quarantine(store, lost, None, Reason.FILE_LOST, file_name)
    arrived = Arrived(file_name, data, digest)
    try:
        opened = open_package(data, run.key)
    except PackageRefused as refusal:
        return quarantine(store, arrived, None, refusal.reason, refusal.detail)
    return _route(run, arrived, opened, retrying=row_id)


def retry_unknown_keys(store: Store, run: Importing | None = None) -> Changes:
    """Retry packages quarantined for an unknown key once that key has been registered."""
    run = run or Importing.start(store)
    with store.read() as session:
        waiting = [
            row.id
            for row in ledger.inbox(session, ("quarantined",))
            if row.reason_code == Reason.UNKNOWN_KEY and run.key(_key_named(row.reason))
        ]
    changes = Changes()
    for row_id in waiting:
        changes = changes | retry(store, row_id, run)[1]
    return changes


def _key_named(reason: str) -> str:
    """The key id a quarantine reason quotes (16 hex digits), or ''."""
    found = re.search(r"[0-9a-f]{16}", reason)
    return found.group(0) if found else ""
