"""Building packages into the outbox and delivering them to the drop.

A package is numbered, signed and stored locally in one transaction with its outbox row;
delivery to the drop happens afterwards and may wait (drop missing, read-only, full): the
package stays in the outbox as "waiting" and goes out with the next sync.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mibdesk.core.db.exchange_models import OutboxEntry
from mibdesk.core.exchange import drop, package
from mibdesk.core.exchange.manifest import FORMAT, FORMAT_VERSION, PAYLOAD_DATA, Manifest, Sender
from mibdesk.core.exchange.strict_json import canonical_bytes
from mibdesk.core.repos import audit
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.context import Me, me, outbox_dir
from mibdesk.core.services.exchange.package_files import keep_copy
from mibdesk.core.services.store import Store

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Sent:
    package_id: str
    recipient: str
    sequence: int
    kind: str
    file_name: str
    status: str
    subject: dict[str, str | int] = field(default_factory=dict)
    created_at: str = ""
    delivered_at: str | None = None
    acked_at: str | None = None
    note: str = ""  # the recipient's reason when it refused the package


def _sent(row: OutboxEntry) -> Sent:
    return Sent(
        row.package_id,
        row.recipient,
        row.sequence,
        row.kind,
        row.file_name,
        row.status,
        json.loads(row.subject_json),
        row.created_at,
        row.delivered_at,
        row.acked_at,
        row.note or "",
    )


def queue(
    store: Store,
    actor_name: str,
    recipient: str,
    kind: str,
    subject: Mapping[str, str | int],
    data: object,
    *,
    control: Mapping[str, int] | None = None,
    attachments: Mapping[str, bytes] | None = None,
    sender: Me | None = None,
) -> Sent:
    """Number, sign and store a package for `recipient`; joins the caller's transaction."""
    office = sender or me(store)
    payload = {PAYLOAD_DATA: canonical_bytes(data), **(attachments or {})}
    at = stamp(store.clock())
    with store.write() as session:
        stream = ledger.stream(session, recipient, "out")
        manifest = Manifest(
            format=FORMAT,
            format_version=FORMAT_VERSION,
            package_id=uuid.uuid4().hex,
            sender=Sender(office=office.code, key_id=office.key.key_id),
            recipient=recipient,
            sequence=stream.last_sequence + 1,
            previous=stream.last_manifest,
            kind=kind,
            subject=dict(subject),
            files=package.file_entries(payload),
            control=dict(control or {}),
            schema_version=SCHEMA_VERSION,
            created_at=at,
        )
        data_bytes = package.build(manifest, payload, office.key)
        manifest_sha = package.sha256(canonical_bytes(manifest.model_dump(mode="json")))
        name = drop.package_name(office.code, recipient, manifest.sequence, manifest.package_id)
        keep_copy(outbox_dir(store) / name, data_bytes)
        stream.last_sequence, stream.last_manifest = manifest.sequence, manifest_sha
        row = OutboxEntry(
            package_id=manifest.package_id,
            recipient=recipient,
            sequence=manifest.sequence,
            kind=kind,
            subject_json=json.dumps(dict(subject), ensure_ascii=False, sort_keys=True),
            manifest_sha256=manifest_sha,
            file_name=name,
            size=len(data_bytes),
            status="waiting",
            created_at=at,
            created_by=actor_name,
        )
        session.add(row)
        audit.append(
            session,
            at=at,
            actor=actor_name,
            action="exchange.queue",
            entity="package",
            entity_key=manifest.package_id,
            after={
                "recipient": recipient,
                "kind": kind,
                "sequence": manifest.sequence,
                "subject": dict(subject),
            },
        )
        session.flush()
        return _sent(row)


def deliver(store: Store, folder: Path) -> list[Sent]:
    """Publish every waiting package to `folder`; returns those delivered now.

    Stops at the first drop failure (DropUnavailable), after recording what did go out.
    """
    with store.read() as session:
        waiting = [(row.id, row.file_name) for row in ledger.outbox(session, ("waiting",))]
    done: list[Sent] = []
    for row_id, name in waiting:
        data = (outbox_dir(store) / name).read_bytes()
        drop.publish(folder, name, data)
        with store.write() as session:
            row = session.get(OutboxEntry, row_id)
            assert row is not None
            row.status, row.delivered_at = "delivered", stamp(store.clock())
            done.append(_sent(row))
    return done


def sent_packages(store: Store) -> list[Sent]:
    with store.read() as session:
        return [_sent(row) for row in ledger.outbox(session)]
