"""What the exchange tests share: a fast copy of three linked offices, forged and crafted
packages signed with the offices' real keys, and snapshots of what an import changed."""

from __future__ import annotations

import io
import json
import shutil
import stat
import uuid
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from exchange_offices import CITY, COUNTY, TOWNSHIP, Office, make_office, register_all
from helpers import FakeClock
from sqlalchemy import func, select

from mibdesk.core.db.exchange_models import ExchangeStream, InboxEntry
from mibdesk.core.db.models import AuditEntry
from mibdesk.core.exchange import keys, package
from mibdesk.core.exchange.manifest import FORMAT, PAYLOAD_DATA, Manifest, Sender
from mibdesk.core.exchange.package import PinnedKey
from mibdesk.core.exchange.strict_json import canonical_bytes
from mibdesk.core.repos import figures
from mibdesk.core.repos import office as office_repo
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import quotas
from mibdesk.core.services.exchange import outbox
from mibdesk.core.services.exchange.peers import pinned
from mibdesk.core.services.exchange.sending_city import send_quota
from mibdesk.core.services.setup import OfficeLevel
from mibdesk.core.services.store import Store, open_store

YEAR = 2027
QUOTA = 10_000_000_00  # fen
LEVELS = ((CITY, OfficeLevel.CITY, "绍兴市医疗保障事务中心"),
          (COUNTY, OfficeLevel.COUNTY, "青溪县医疗保障事务中心"),
          (TOWNSHIP, OfficeLevel.TOWNSHIP, "青溪镇医保站"))  # fmt: skip


@dataclass
class Trio:
    city: Office
    county: Office
    township: Office
    drop: Path

    def close(self) -> None:
        for office in (self.city, self.county, self.township):
            office.store.close()


@dataclass(frozen=True)
class Template:
    """Three registered offices and their drop, closed, to be copied for each test."""

    root: Path
    heads: Mapping[str, Actor]


def build_template(root: Path, clock: FakeClock) -> Template:
    drop = root / "drop"
    drop.mkdir(parents=True)
    offices = [make_office(root, drop, clock, level, code, name) for code, level, name in LEVELS]
    register_all(*offices)
    heads = {office.code: office.head for office in offices}
    for office in offices:
        office.store.close()
    return Template(root, heads)


def open_copy(template: Template, code: str, target: Path, drop: Path, clock: FakeClock) -> Office:
    """A private copy of one template office, its drop folder set to `drop`."""
    shutil.copytree(template.root / code, target / code)
    store = open_store(target / code, clock=clock)
    with store.write() as session:
        office_repo.put_setting(session, "drop_folder", json.dumps(str(drop)))
    return Office(store, template.heads[code])


def copy_trio(template: Template, target: Path, clock: FakeClock) -> Trio:
    drop = target / "drop"
    shutil.copytree(template.root / "drop", drop)
    city, county, township = (
        open_copy(template, code, target, drop, clock) for code in (CITY, COUNTY, TOWNSHIP)
    )
    return Trio(city, county, township, drop)


def office_key(office: Office) -> keys.ExchangeKey:
    return keys.load_or_create(office.store.paths.root / "keys")


def manifest_for(
    office: Office,
    recipient: str,
    sequence: int,
    previous: str,
    kind: str,
    payload: Mapping[str, bytes],
    **changes: object,
) -> Manifest:
    """A manifest as the sender would write it; `changes` override any field."""
    fields: dict[str, object] = {
        "format": FORMAT,
        "format_version": 1,
        "package_id": uuid.uuid4().hex,
        "sender": Sender(office=office.code, key_id=office_key(office).key_id),
        "recipient": recipient,
        "sequence": sequence,
        "previous": previous,
        "kind": kind,
        "subject": {},
        "files": package.file_entries(payload),
        "control": {},
        "schema_version": 1,
        "created_at": "2026-11-23T09:30:00+08:00",
    }
    fields.update(changes)
    return Manifest.model_validate(fields)


def forge(
    office: Office,
    recipient: str,
    sequence: int,
    previous: str,
    kind: str,
    data: object,
    **changes: object,
) -> bytes:
    """A well-formed package signed with the sender's real key, outside its outbox."""
    return forge_raw(office, recipient, sequence, previous, kind, canonical_bytes(data), **changes)


def forge_raw(
    office: Office,
    recipient: str,
    sequence: int,
    previous: str,
    kind: str,
    data: bytes,
    **changes: object,
) -> bytes:
    """A package whose payload/data.json holds exactly `data`, correctly listed and signed."""
    payload = {PAYLOAD_DATA: data}
    manifest = manifest_for(office, recipient, sequence, previous, kind, payload, **changes)
    return package.build(manifest, payload, office_key(office))


def manifest_sha(manifest: Manifest) -> str:
    return package.sha256(canonical_bytes(manifest.model_dump(mode="json")))


def signature_line(key: keys.ExchangeKey, manifest_bytes: bytes, key_id: str = "") -> bytes:
    import base64

    signature = base64.b64encode(key.sign(manifest_bytes))
    return b"ed25519 " + (key_id or key.key_id).encode("ascii") + b" " + signature + b"\n"


def zip_of(
    members: Sequence[tuple[str | zipfile.ZipInfo, bytes]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A zip holding exactly `members`, in order, written with zipfile directly."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": wanted here
        for entry, data in members:
            if isinstance(entry, str):
                entry = zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0))
                entry.external_attr = (stat.S_IFREG | 0o644) << 16
                entry.compress_type = compression
            archive.writestr(entry, data)
    return buffer.getvalue()


def signed_zip(
    key: keys.ExchangeKey,
    manifest_bytes: bytes,
    payload: Sequence[tuple[str | zipfile.ZipInfo, bytes]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A crafted package: any manifest bytes, correctly signed, with any members."""
    head = [
        ("manifest.json", manifest_bytes),
        ("manifest.sig", signature_line(key, manifest_bytes)),
    ]
    return zip_of([*head, *payload], compression)


def pins(office: Office) -> dict[str, PinnedKey]:
    return pinned(office.store)


def issue_quota(city: Office) -> None:
    """The year's quota from the city to the county: sequence 1 of its stream."""
    send_quota(
        city.store, city.head, COUNTY, "EMP", YEAR, QUOTA, "绍医保〔2027〕1号", date(2027, 1, 5)
    )


def adjust(city: Office, number: int) -> None:
    """Budget adjustment `number` (of `number` fen): each is a distinct, countable package."""
    send_quota(
        city.store,
        city.head,
        COUNTY,
        "EMP",
        YEAR,
        number,
        f"绍医保调〔2027〕{number}号",
        date(2027, 3, 1),
        reason=f"第{number}次调整",
    )


def quota_data() -> dict[str, object]:
    """The payload `issue_quota` sends."""
    return {
        "scheme": "EMP",
        "year": YEAR,
        "line": "",
        "amount": QUOTA,
        "doc_no": "绍医保〔2027〕1号",
        "doc_date": "2027-01-05",
        "reason": "",
    }


def township_data(value: int) -> dict[str, object]:
    """A township's October enrolment figure (a township line of the resident scheme)."""
    return {"scheme": "RES", "period": 202610, "values": [{"line": "ENR_ADULT", "value": value}]}


def chain(
    office: Office,
    recipient: str,
    kind: str,
    datas: Sequence[object],
    start: int = 1,
    previous: str = "",
) -> list[bytes]:
    """Consecutive packages (numbers from `start`, each naming the previous manifest's
    hash), forged outside the office's outbox: for delivering in any order one likes."""
    packages = []
    for sequence, data in enumerate(datas, start):
        payload = {PAYLOAD_DATA: canonical_bytes(data)}
        manifest = manifest_for(office, recipient, sequence, previous, kind, payload)
        packages.append(package.build(manifest, payload, office_key(office)))
        previous = manifest_sha(manifest)
    return packages


def quota_chain(city: Office, adjustments: int) -> list[bytes]:
    """The year's quota, then `adjustments` adjustments of 1, 2, … fen."""
    datas = [quota_data(), *(adjustment_data(n) for n in range(1, adjustments + 1))]
    return chain(city, COUNTY, "quota", datas)


def adjustment_data(number: int) -> dict[str, object]:
    """The payload `adjust` sends, for forging packages with it."""
    return {
        "scheme": "EMP",
        "year": YEAR,
        "line": "",
        "amount": number,
        "doc_no": f"绍医保调〔2027〕{number}号",
        "doc_date": "2027-03-01",
        "reason": f"第{number}次调整",
    }


def quota_documents(store: Store) -> list[tuple[str, int, str]]:
    return [(d.kind, d.amount, d.doc_no) for d in quotas.documents(store, "EMP", YEAR)]


def applied_count(store: Store, package_id: str) -> int:
    """How many times the audit log says a package was applied (must be 0 or 1)."""
    with store.read() as session:
        query = select(func.count()).where(
            AuditEntry.action == "exchange.apply", AuditEntry.entity_key == package_id
        )
        return int(session.scalar(query) or 0)


def inbox_statuses(store: Store) -> dict[str, str]:
    """package id → status, for packages that could be opened."""
    with store.read() as session:
        rows = session.scalars(select(InboxEntry).where(InboxEntry.package_id != ""))
        return {row.package_id: row.status for row in rows if row.status != "duplicate"}


def state(store: Store) -> dict[str, object]:
    """What an import may change, comparable between two offices."""
    with store.read() as session:
        streams = sorted(
            (row.peer, row.direction, row.last_sequence, row.last_manifest)
            for row in session.scalars(select(ExchangeStream))
        )
        actions = sorted(
            (row.action, row.entity_key) for row in session.scalars(select(AuditEntry))
        )
    with store.read() as session:
        october = figures.report(session, "RES", 202610)
        cells = sorted(figures.cells(session, october.id).items()) if october else []
    return {
        "quotas": quota_documents(store),
        "figures": cells,
        "streams": streams,
        "inbox": inbox_statuses(store),
        "audit": actions,
    }


def inbox_row(store: Store, data: bytes) -> InboxEntry:
    """The inbox's row for a package file's bytes."""
    with store.read() as session:
        row = session.scalars(
            select(InboxEntry).where(InboxEntry.package_sha256 == package.sha256(data))
        ).one()
        session.expunge(row)
        return row


def outbox_statuses(office: Office) -> dict[int, str]:
    """sequence → status of what the office sent to the county."""
    return {
        sent.sequence: sent.status
        for sent in outbox.sent_packages(office.store)
        if sent.recipient == COUNTY
    }


def manifest_of(office: Office, data: bytes) -> Manifest:
    """A package's manifest, opened with the keys `office` has pinned."""
    return package.open_package(data, pins(office).get).manifest


def sha_of_manifest(office: Office, data: bytes) -> str:
    return package.open_package(data, pins(office).get).manifest_sha256


def reopen(office: Office, clock: FakeClock) -> Office:
    """The office closed (its writer lock let go, for a child process) and opened again."""
    office.store.close()
    return Office(open_store(office.store.paths.root, clock=clock), office.head)
