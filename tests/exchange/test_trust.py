"""Whose packages are applied: pinned keys, revocation, key changes, the city's trust list,
and senders who claim to be someone else or send what they may not."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from exchange_kit import (
    Trio,
    adjust,
    adjustment_data,
    forge,
    inbox_row,
    issue_quota,
    manifest_for,
    office_key,
    outbox_statuses,
    quota_documents,
)
from exchange_offices import CITY, COUNTY, TOWNSHIP

from mibdesk.core.exchange import keys, package
from mibdesk.core.exchange.key_card import KeyCard, write_card
from mibdesk.core.exchange.manifest import PAYLOAD_DATA, Sender
from mibdesk.core.exchange.refusals import Reason
from mibdesk.core.exchange.strict_json import canonical_bytes
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.importer import import_bytes
from mibdesk.core.services.exchange.sending_city import send_trust_list
from mibdesk.core.services.exchange.sync import sync

OTHER_COUNTY = "330698"


def test_a_revoked_key_is_refused_and_nothing_is_applied(trio: Trio) -> None:
    city_key = office_key(trio.city).key_id
    peers.decide(trio.county.store, trio.county.head, city_key, "revoked", reason="电脑被盗")
    issue_quota(trio.city)
    report = sync(trio.county.store).value
    assert [v.status for v in report.verdicts] == ["quarantined"]
    assert "吊销" in report.verdicts[0].reason or "撤销" in report.verdicts[0].reason
    assert quota_documents(trio.county.store) == []


def test_packages_signed_with_a_new_key_wait_until_it_is_confirmed(trio: Trio) -> None:
    """The city's computer is replaced: its new key's packages wait in quarantine until the
    county confirms the new fingerprint, are then applied in order and acknowledged."""
    (trio.city.store.paths.root / "keys" / keys.KEY_FILE).unlink()
    issue_quota(trio.city)
    adjust(trio.city, 1)
    sync(trio.city.store)  # publishes the city's new key card
    report = sync(trio.county.store).value
    assert report.new_cards == 1
    assert [v.status for v in report.verdicts] == ["quarantined", "quarantined"]
    assert quota_documents(trio.county.store) == []
    pending = [p for p in peers.list_peers(trio.county.store) if p.status == "pending"]
    assert [p.office for p in pending] == [CITY]
    peers.decide(
        trio.county.store, trio.county.head, pending[0].key_id, "active", pending[0].fingerprint
    )
    sync(trio.county.store)
    assert [kind for kind, _amount, _doc in quota_documents(trio.county.store)] == [
        "quota",
        "adjustment",
    ]
    sync(trio.city.store)
    assert outbox_statuses(trio.city) == {1: "acknowledged", 2: "acknowledged"}


def test_a_package_retried_after_a_key_is_registered_keeps_its_place_in_line(
    trio: Trio,
) -> None:
    """Number 2 arrives (unknown key) before number 1; after registration 2 is held for 1."""
    (trio.city.store.paths.root / "keys" / keys.KEY_FILE).unlink()
    issue_quota(trio.city)
    adjust(trio.city, 1)
    sync(trio.city.store)  # publishes the city's new key card
    first, second = sorted(trio.drop.glob(f"mibdesk_{CITY}_to_{COUNTY}_*.mibpkg"))
    import_bytes(trio.county.store, second.read_bytes(), second.name)
    sync(trio.county.store)  # publishes the county's card; collects the city's new one
    pending = [p for p in peers.list_peers(trio.county.store) if p.status == "pending"]
    peers.decide(
        trio.county.store, trio.county.head, pending[0].key_id, "active", pending[0].fingerprint
    )
    sync(trio.county.store)
    row = inbox_row(trio.county.store, second.read_bytes())
    assert (row.status, row.sender, row.sequence) == ("applied", CITY, 2)
    assert inbox_row(trio.county.store, first.read_bytes()).status == "applied"
    assert len(quota_documents(trio.county.store)) == 2


def other_county_card() -> tuple[KeyCard, bytes, keys.ExchangeKey]:
    key = keys.ExchangeKey(Ed25519PrivateKey.generate())
    card = KeyCard(
        office=OTHER_COUNTY,
        name="白石县医疗保障事务中心",
        level="county",
        public_key=keys.encode_public(key.public),
        created_at="2026-11-23T09:30:00+08:00",
    )
    return card, write_card(card, key), key


def test_the_trust_list_registers_and_revokes_keys_at_the_counties(trio: Trio) -> None:
    card, card_bytes, _key = other_county_card()
    city, county = trio.city, trio.county
    peers.import_card(city.store, city.head, card_bytes, where="白石县.mibkey")
    peers.decide(city.store, city.head, card.key_id, "active", card.fingerprint)
    send_trust_list(city.store, city.head)
    sync(county.store)
    assert peers.peer(county.store, card.key_id).status == "active"
    peers.decide(city.store, city.head, card.key_id, "revoked", reason="撤并")
    send_trust_list(city.store, city.head)
    sync(county.store)
    assert peers.peer(county.store, card.key_id).status == "revoked"
    assert peers.peer(county.store, office_key(city).key_id).status == "active"


def test_a_revocation_counts_for_packages_read_in_the_same_sync(trio: Trio) -> None:
    """The trust list and a package signed with the key it revokes arrive together: the
    package (read after the list, by name order) is refused."""
    card, card_bytes, key = other_county_card()
    city, county = trio.city, trio.county
    peers.import_card(city.store, city.head, card_bytes, where="白石县.mibkey")
    peers.decide(city.store, city.head, card.key_id, "active", card.fingerprint)
    send_trust_list(city.store, city.head)
    sync(county.store)
    peers.decide(city.store, city.head, card.key_id, "revoked", reason="撤并")
    send_trust_list(city.store, city.head)
    assert peers.peer(county.store, card.key_id).status == "active"
    ack = {"acks": [{"package_id": "0" * 32, "status": "applied", "reason": ""}]}
    payload = {PAYLOAD_DATA: canonical_bytes(ack)}
    sender = Sender(office=OTHER_COUNTY, key_id=key.key_id)
    manifest = manifest_for(trio.city, COUNTY, 1, "", "ack", payload, sender=sender)
    data = package.build(manifest, payload, key)
    (trio.drop / f"mibdesk_{OTHER_COUNTY}_to_{COUNTY}_00000001_{'a' * 12}.mibpkg").write_bytes(data)
    report = sync(county.store).value
    assert [v.status for v in report.verdicts] == ["applied", "quarantined"]
    assert inbox_row(county.store, data).reason_code == Reason.REVOKED_KEY


def test_a_township_cannot_send_what_only_the_city_may(trio: Trio) -> None:
    data = forge(trio.township, COUNTY, 1, "", "quota", adjustment_data(1))
    verdict, _changes = import_bytes(trio.county.store, data, "x.mibpkg")
    assert verdict.status == "quarantined"
    assert inbox_row(trio.county.store, data).reason_code == Reason.UNKNOWN_KIND
    assert quota_documents(trio.county.store) == []


def test_a_package_naming_another_office_as_sender_is_quarantined(trio: Trio) -> None:
    payload = {PAYLOAD_DATA: canonical_bytes(adjustment_data(1))}
    data = forge(trio.township, COUNTY, 1, "", "quota", adjustment_data(1))
    manifest = package.open_package(data, peers.pinned(trio.county.store).get).manifest
    claims_city = manifest.model_copy(
        update={"sender": manifest.sender.model_copy(update={"office": CITY})}
    )
    forged = package.build(claims_city, payload, office_key(trio.township))
    verdict, _changes = import_bytes(trio.county.store, forged, "x.mibpkg")
    assert verdict.status == "quarantined"
    assert inbox_row(trio.county.store, forged).reason_code == Reason.SENDER_MISMATCH
    assert quota_documents(trio.county.store) == []


def test_a_package_for_another_office_is_not_applied(trio: Trio) -> None:
    data = forge(trio.city, TOWNSHIP, 1, "", "quota", adjustment_data(1))
    verdict, _changes = import_bytes(trio.county.store, data, "x.mibpkg")
    assert verdict.status == "quarantined"
    assert inbox_row(trio.county.store, data).reason_code == Reason.NOT_FOR_US


def test_a_payload_schema_this_program_does_not_know_waits_in_quarantine(trio: Trio) -> None:
    data = forge(trio.city, COUNTY, 1, "", "quota", adjustment_data(1), schema_version=2)
    verdict, _changes = import_bytes(trio.county.store, data, "x.mibpkg")
    assert verdict.status == "quarantined" and "schema 2" in verdict.reason
    assert inbox_row(trio.county.store, data).reason_code == Reason.UNKNOWN_KIND
