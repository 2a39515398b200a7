"""Power cuts: the sending or the importing process is killed (SIGKILL) at random moments,
many times over. After every kill the database passes `integrity_check`, no partial file
shows under a final name in the drop, and every package ends up applied exactly once.

Delays are random; the seed is in every assertion message, and MIBDESK_KILL_SEED replays one.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from exchange_kit import QUOTA, Trio, issue_quota, office_key, quota_chain, quota_documents, reopen
from exchange_offices import CITY, COUNTY
from exchange_workers import files_in, files_kept, import_all, run_and_kill, send_adjustments
from helpers import FakeClock

from mibdesk.core.db.engine import integrity_check
from mibdesk.core.exchange import drop, package
from mibdesk.core.exchange.package import PinnedKey, open_package
from mibdesk.core.services.exchange.sync import sync

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]
KILLS = 25


def seeded() -> tuple[random.Random, str]:
    seed = int(os.environ.get("MIBDESK_KILL_SEED") or random.randrange(2**32))
    return random.Random(seed), f"MIBDESK_KILL_SEED={seed}"


def rows(database: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def check_sender(trio: Trio, city_key: dict[str, PinnedKey], seed: str) -> int:
    """What a killed sender left behind is consistent; returns how many packages it made."""
    database = trio.city.store.paths.database
    assert integrity_check(database) == "ok", seed
    sent = rows(
        database,
        f"SELECT sequence, file_name FROM exchange_outbox WHERE recipient = '{COUNTY}' "
        "ORDER BY sequence",
    )
    assert [sequence for sequence, _name in sent] == list(range(1, len(sent) + 1)), seed
    outbox_folder = trio.city.store.paths.root / "exchange" / "outbox"
    kept = {str(name): (outbox_folder / str(name)).read_bytes() for _seq, name in sent}
    for name, data in kept.items():  # every recorded package is whole and signed
        assert open_package(data, city_key.get).manifest.sequence == int(name.split("_")[4])
    for found in drop.scan(trio.drop, drop.PACKAGE_NAME, lambda m: m.group(1) == CITY):
        data = found.path.read_bytes()  # nothing partial under a final name, nothing unknown
        assert kept.get(found.name) == data, f"{found.name} {seed}"
    return len(sent)


def test_killing_the_sender_at_random_points(trio: Trio, clock: FakeClock) -> None:
    rng, seed = seeded()
    issue_quota(trio.city)
    key = office_key(trio.city)
    city_key = {key.key_id: PinnedKey(CITY, key.public)}
    folder = str(trio.city.store.paths.root)
    trio.city.store.close()
    made = files_in(trio.city.store.paths.root / "exchange" / "outbox")
    killed = 0
    for _kill in range(KILLS):
        args = (folder, trio.city.head, 10**4)
        killed += run_and_kill(send_adjustments, args, made, rng)
        check_sender(trio, city_key, seed)
    assert killed == KILLS, seed
    trio.city = reopen(trio.city, clock)
    assert sync(trio.city.store).value.problem == "", seed  # what waited goes out now
    while sync(trio.county.store).value.verdicts:
        pass
    amounts = [amount for _kind, amount, _doc in quota_documents(trio.county.store)]
    recorded = check_sender(trio, city_key, seed)
    assert recorded > KILLS // 2, seed  # the kills fell while it was making packages
    assert amounts == [QUOTA, *range(1, recorded)], seed  # each exactly once, in order


def check_receiver(database: Path, seed: str) -> int:
    """Each package applied at most once and never in part, each file recorded kept whole;
    returns how many were applied."""
    assert integrity_check(database) == "ok", seed
    recorded = rows(
        database,
        "SELECT e.package_sha256, f.data FROM exchange_inbox e "
        "LEFT JOIN exchange_inbox_file f ON f.entry_id = e.id",
    )
    for digest, data in recorded:
        assert isinstance(data, bytes) and package.sha256(data) == digest, seed
    applied = {
        str(package_id)
        for (package_id,) in rows(
            database, "SELECT package_id FROM exchange_inbox WHERE status = 'applied'"
        )
    }
    audited = Counter(
        str(key)
        for (key,) in rows(
            database, "SELECT entity_key FROM audit_entry WHERE action = 'exchange.apply'"
        )
    )
    assert set(audited) == applied and set(audited.values()) <= {1}, seed
    adjustments = [
        int(str(amount))
        for (amount,) in rows(database, "SELECT amount FROM quota_adjustment ORDER BY id")
    ]
    quotas = rows(database, "SELECT amount FROM quota")
    assert len(quotas) + len(adjustments) == len(applied), seed
    assert adjustments == list(range(1, len(adjustments) + 1)), seed
    return len(applied)


def test_killing_the_importer_at_random_points(trio: Trio, clock: FakeClock) -> None:
    rng, seed = seeded()
    packages = quota_chain(trio.city, 4 * KILLS)
    for sequence, data in enumerate(packages, 1):
        name = drop.package_name(CITY, COUNTY, sequence, f"{sequence:032x}")
        (trio.drop / name).write_bytes(data)
    database = trio.county.store.paths.database
    folder = str(trio.county.store.paths.root)
    trio.county.store.close()
    received = files_kept(database)
    killed = 0
    for _kill in range(KILLS):
        killed += run_and_kill(import_all, (folder,), received, rng)
        check_receiver(database, seed)
    assert killed == KILLS, seed
    trio.county = reopen(trio.county, clock)
    while sync(trio.county.store).value.verdicts:
        pass
    assert check_receiver(database, seed) == len(packages), seed
