"""Key rotation: a county replaces its exchange key; the city takes the new key from the
rotation card signed by the old one, accepts old-key packages still in flight for 30 days
and refuses them after; a rotation card not signed by the registered key changes nothing;
a kill at any step of the rotation leaves the old key or the new one, never none."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from exchange_kit import Trio, manifest_of, office_key
from exchange_offices import CITY, COUNTY, Office
from helpers import HEAD_PASSWORD, FakeClock

from mibdesk.cli import main
from mibdesk.core.db.engine import integrity_check
from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import drop, keys
from mibdesk.core.exchange.key_card import open_card, write_card
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.services import audit_log
from mibdesk.core.services.exchange import outbox, peers
from mibdesk.core.services.exchange.outbox import Sent
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.rotation import rotate_exchange_key
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.store import open_store


def send_report(county: Office, revision: int) -> Sent:
    """Queue (sign and keep, not yet delivered) a monthly report for the city."""
    subject: dict[str, str | int] = {"scheme": "EMP", "period": 202610, "revision": revision}
    data = {
        **subject,
        "reason": "更正" if revision else "",
        "sent_at": "2026-11-23T09:30:00+08:00",
        "values": [{"line": "INC_OTHER", "value": 100 + revision}],
    }
    return outbox.queue(county.store, county.head.username, CITY, "monthly_report", subject, data)


def city_peer(city: Office, key_id: str) -> peers.PeerInfo:
    return peers.peer(city.store, key_id)


def statuses(city: Office) -> list[tuple[int, str, str]]:
    return [(r.sequence, r.status, r.reason) for r in received(city.store) if r.sender == COUNTY]


def hold_back(trio: Trio, sent: Sent) -> bytes:
    """Take a delivered package out of the drop, as if it travelled on a USB stick."""
    path = trio.drop / sent.file_name
    data = path.read_bytes()
    path.unlink()
    return data


def audit_actions(office: Office, action: str) -> list[str]:
    return [e.reason for e in audit_log.entries(office.store, AuditFilter(action=action))]


def test_the_city_follows_a_county_key_rotation(trio: Trio) -> None:
    city, county = trio.city, trio.county
    old = office_key(county)
    rotation = rotate_exchange_key(county.store, county.head, "年度更换密钥").value
    new = office_key(county)
    assert (rotation.old_key_id, rotation.new_key_id) == (old.key_id, new.key_id)
    assert rotation.new_key_id != rotation.old_key_id and rotation.waiting_because == ""
    assert rotation.new_fingerprint == keys.fingerprint(new.public)
    archived = county.store.paths.root / "keys" / "retired" / f"exchange-{old.key_id}.key"
    kept = serialization.load_pem_private_key(archived.read_bytes(), password=None)
    assert isinstance(kept, Ed25519PrivateKey) and keys.ExchangeKey(kept).key_id == old.key_id
    assert archived.read_bytes() != (county.store.paths.root / "keys" / "exchange.key").read_bytes()
    assert audit_actions(county, "exchange.key_rotate") == ["年度更换密钥"]

    sync(city.store)  # the rotation card is in the drop already
    assert city_peer(city, new.key_id).status == "active"
    assert city_peer(city, old.key_id).status == "retired"
    assert audit_actions(city, "peer.rotated") == [
        "该单位已更换密钥；旧密钥在此后 30 天内仍被接受。"
    ]

    sent = send_report(county, 0)  # signed with the new key, the stream goes on
    sync(county.store)
    sync(city.store)
    assert statuses(city) == [(sent.sequence, "applied", "")]
    manifest = manifest_of(city, (trio.drop / sent.file_name).read_bytes())
    assert (manifest.sender.key_id, manifest.sequence) == (new.key_id, 1)


def test_old_key_packages_in_flight_are_accepted_for_30_days(trio: Trio, clock: FakeClock) -> None:
    city, county = trio.city, trio.county
    early = send_report(county, 0)  # signed with the old key before the rotation
    rotate_exchange_key(county.store, county.head, "年度更换密钥")
    sync(county.store)  # delivers the waiting old-key package
    late = hold_back(trio, early)
    sync(city.store)
    assert statuses(city) == []
    clock.advance(days=29)
    (trio.drop / early.file_name).write_bytes(late)
    sync(city.store)
    assert statuses(city) == [(early.sequence, "applied", "")]
    later = send_report(county, 1)  # the new key's first package: the stream goes on
    sync(county.store)
    sync(city.store)
    assert later.sequence == early.sequence + 1
    assert statuses(city) == [(early.sequence, "applied", ""), (later.sequence, "applied", "")]


def test_old_key_packages_after_the_grace_period_are_refused(trio: Trio, clock: FakeClock) -> None:
    city, county = trio.city, trio.county
    old_id = office_key(county).key_id
    early = send_report(county, 0)
    rotate_exchange_key(county.store, county.head, "年度更换密钥")
    sync(county.store)
    late = hold_back(trio, early)
    sync(city.store)
    clock.advance(days=31)
    (trio.drop / early.file_name).write_bytes(late)
    sync(city.store)
    [refused] = received(city.store)  # refused unopened: its sender is not taken on trust
    assert (refused.file_name, refused.status) == (early.file_name, "quarantined")
    assert refused.reason == (
        f"数据包由密钥 {old_id} 签名，该单位更换此密钥已超过 30 天：请发送方重新发送"
        "（将以新密钥签名）。"
    )


def test_a_rotation_card_not_signed_by_the_registered_key_changes_nothing(trio: Trio) -> None:
    city, county = trio.city, trio.county
    registered = office_key(county)
    thief, stolen = keys.generate(), keys.generate()
    card = peers.my_card(county.store).model_copy(
        update={"public_key": keys.encode_public(thief.public), "replaces": registered.key_id}
    )
    name = drop.key_card_name(COUNTY, thief.key_id)
    drop.publish(trio.drop, name, write_card(card, thief, previous=stolen))
    sync(city.store)
    assert city_peer(city, registered.key_id).status == "active"
    assert city_peer(city, thief.key_id).status == "pending"
    [why] = audit_actions(city, "peer.rotation_refused")
    assert registered.key_id in why and "指纹" in why

    # a card that only claims to replace a key nobody knows is pending too
    other = keys.generate()
    claim = card.model_copy(
        update={"public_key": keys.encode_public(other.public), "replaces": stolen.key_id}
    )
    data = write_card(claim, other, previous=stolen)
    assert open_card(data, where="card").signed_by(stolen.public)
    assert peers.import_card(city.store, city.head, data, where="card").value.status == "pending"
    assert city_peer(city, registered.key_id).status == "active"


def test_a_rotation_needs_the_head_and_a_reason(trio: Trio) -> None:
    county = trio.county
    before = office_key(county).key_id
    with pytest.raises(ValidationError) as refused:
        rotate_exchange_key(county.store, county.head, "  ")
    assert refused.value.message == "请说明原因。"
    assert office_key(county).key_id == before


def test_keys_rotate_from_the_command_line(
    trio: Trio, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    county = trio.county
    old = office_key(county)
    root = county.store.paths.root
    county.store.close()  # the CLI opens it
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    args = ["keys", "rotate", "--data-dir", str(root), "--reason", "年度更换", "--as", "zhangli"]
    assert main(args) == 0
    out = capsys.readouterr().out
    trio.county = Office(open_store(root, clock=lambda: trio.city.store.clock()), county.head)
    new = office_key(trio.county)
    assert new.key_id != old.key_id
    assert f"新指纹：{keys.fingerprint(new.public)}" in out
    assert f"mibdesk-cli keys revoke {old.key_id}" in out
    sync(trio.city.store)
    assert city_peer(trio.city, new.key_id).status == "active"


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from mibdesk.core.exchange import drop, keys
    from mibdesk.core.security.roles import Actor, Role
    from mibdesk.core.services.exchange import rotation
    from mibdesk.core.services.store import open_store

    folder, point = sys.argv[1], sys.argv[2]
    where, when = point.split(":")
    owner, name = {
        "archive": (keys, "archive"),
        "card": (rotation, "write_atomically"),
        "install": (keys, "install"),
        "publish": (drop, "check_folder"),
    }[where]
    real = getattr(owner, name)

    def killing(*args, **kwargs):
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, killing)
    now = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    store = open_store(Path(folder), clock=lambda: now)
    head = Actor(int(sys.argv[3]), "zhangli", "张丽", Role.HEAD)
    rotation.rotate_exchange_key(store, head, "怀疑密钥泄露")
    """
)
POINTS = (
    "archive:after",
    "card:before",
    "card:after",
    "install:before",
    "install:after",
    "publish:before",
)


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_during_rotation_leaves_the_old_or_the_new_key(
    trio: Trio, clock: FakeClock, point: str
) -> None:
    city, county = trio.city, trio.county
    old = office_key(county)
    root, database = county.store.paths.root, county.store.paths.database
    county.store.close()  # the child takes the office's writer lock
    child = subprocess.run(
        [sys.executable, "-c", KILLER, str(root), point, str(county.head.user_id)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=120,
    )
    assert child.returncode == -9, child.stderr
    assert integrity_check(database) == "ok"
    county = Office(open_store(root, clock=clock), county.head)
    trio.county = county
    now = office_key(county)  # loads: the key file is whole
    rotated = now.key_id != old.key_id
    assert rotated == (point in ("install:after", "publish:before")), point
    archived = root / "keys" / "retired" / f"exchange-{old.key_id}.key"
    assert archived.exists()  # archived first, never deleted
    audited = audit_actions(county, "exchange.key_rotate")
    assert audited == (["怀疑密钥泄露"] if point == "publish:before" else [])

    # Either way the office goes on: the city accepts its next package.
    sent = send_report(county, 0)
    sync(county.store)
    sync(city.store)
    assert statuses(city) == [(sent.sequence, "applied", "")]
    assert city_peer(city, now.key_id).status == "active"
