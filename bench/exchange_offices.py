"""What the exchange benchmarks share: a city and a county that have registered each other's
keys, and the county's monthly reports as packages, built fast (outside its outbox)."""

from __future__ import annotations

import json
import random
import shutil
import uuid
from pathlib import Path

from mibdesk.core.exchange import drop, keys, package
from mibdesk.core.exchange.manifest import FORMAT, PAYLOAD_DATA, Manifest, Sender
from mibdesk.core.exchange.strict_json import canonical_bytes
from mibdesk.core.repos import office
from mibdesk.core.security.roles import Role
from mibdesk.core.services import accounts
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import OfficeLevel, SetupRequest, set_up_office
from mibdesk.core.services.store import open_store

CITY, COUNTY = "330600", "330699"
PASSWORD = "Bench2026pw"
LINES = 40  # values per monthly report


def linked_pair(root: Path) -> tuple[Path, Path, Path]:
    """A city and one of its counties sharing `root/drop`, each with the other's key
    registered; returns (city folder, county folder, drop folder)."""
    folder = root / "drop"
    folder.mkdir(parents=True)
    stores = []
    for level, code, name in (
        (OfficeLevel.CITY, CITY, "绍兴市医疗保障事务中心"),
        (OfficeLevel.COUNTY, COUNTY, "青溪县医疗保障事务中心"),
    ):
        request = SetupRequest(
            level=level,
            profile_id="shaoxing",
            code=code,
            name=name,
            drop_folder=str(folder),
            users=(NewUser("zhangli", "张丽", Role.HEAD, PASSWORD),),
        )
        stores.append(set_up_office(root / code, request))
    for store in stores * 2:
        sync(store)
    for store in stores:
        head = accounts.login(store, "zhangli", PASSWORD).value
        for peer in peers.list_peers(store):
            if peer.status == "pending":
                peers.decide(store, head, peer.key_id, "active", peer.fingerprint)
        store.close()
    return root / CITY, root / COUNTY, folder


def city_copy(template: Path, target: Path) -> Path:
    """A copy of the pair and their drop; returns the city's folder, set to use the copied
    drop (the setting holds an absolute path)."""
    shutil.copytree(template, target)
    store = open_store(target / CITY)
    with store.write() as session:
        office.put_setting(session, "drop_folder", json.dumps(str(target / "drop")))
    store.close()
    return target / CITY


def monthly_reports(county: Path, count: int, seed: int = 6) -> list[tuple[str, bytes]]:
    """`count` consecutive monthly reports (2000-01 onwards) from the county to the city, as
    (file name, package bytes), signed with the county's key."""
    key = keys.load_or_create(county / "keys")
    rng = random.Random(seed)
    previous, made = "", []
    for sequence in range(1, count + 1):
        period = (2000 + (sequence - 1) // 12) * 100 + (sequence - 1) % 12 + 1
        data = {
            "scheme": "EMP",
            "period": period,
            "revision": 0,
            "reason": "",
            "sent_at": "2026-11-23T09:30:00+08:00",
            "values": [
                {"line": f"L{line:03d}", "unit": "", "value": rng.randint(0, 10**10)}
                for line in range(LINES)
            ],
        }
        payload = {PAYLOAD_DATA: canonical_bytes(data)}
        manifest = Manifest(
            format=FORMAT,
            format_version=1,
            package_id=uuid.UUID(int=rng.getrandbits(128)).hex,
            sender=Sender(office=COUNTY, key_id=key.key_id),
            recipient=CITY,
            sequence=sequence,
            previous=previous,
            kind="monthly_report",
            subject={"scheme": "EMP", "period": period, "revision": 0},
            files=package.file_entries(payload),
            control={"values": LINES},
            schema_version=1,
            created_at="2026-11-23T09:30:00+08:00",
        )
        previous = package.sha256(canonical_bytes(manifest.model_dump(mode="json")))
        name = drop.package_name(COUNTY, CITY, sequence, manifest.package_id)
        made.append((name, package.build(manifest, payload, key)))
    return made
