"""Transfer notices (余额上划通知) from the city to its counties through a real drop folder:
one package per county with what it transfers and keeps and the working, under the city's
document number; the county keeps the notice, lists it in its inbox in words and reads it.
Refused before the transfer is issued, twice for the same version, or while a county of the
transfer is not registered."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers import DEMO_NOW, FakeClock

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import NORTH, SOUTH, World, build_template, open_world

from mibdesk.core.catalog import load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.services.city import transfer_issue
from mibdesk.core.services.city.transfers import TransferInputs
from mibdesk.core.services.exchange import outbox, peers
from mibdesk.core.services.exchange.overview import kind_label, subject_text
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sending import try_deliver
from mibdesk.core.services.exchange.sending_transfers import notice_data, send_notices, summary
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.transfer_notices import transfer_notices

YEAR = 2027
YI = 10**10
WAN = 10**6
DOC = "绍医保〔2027〕3号"
SHAOXING = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, None)})


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("transfer-notice") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    yield opened
    opened.close()


def _issue(world: World, inputs: TransferInputs = SHAOXING, **kwargs: object) -> None:
    city = world.city
    transfer_issue.issue(
        city.store,
        city.head,
        world.profile,
        YEAR,
        "EMP",
        inputs,
        DOC,
        date(2027, 1, 15),
        **kwargs,  # type: ignore[arg-type]
    )


def test_each_county_receives_and_reads_its_own_transfer(world: World) -> None:
    city = world.city
    with pytest.raises(ValidationError, match="下达"):
        send_notices(city.store, city.head, world.profile, YEAR, "EMP")
    _issue(world)
    sent = send_notices(city.store, city.head, world.profile, YEAR, "EMP").value
    assert [s.sent.recipient for s in sent] == [NORTH, SOUTH]
    assert all(not s.waiting_because for s in sent)
    kept = transfer_issue.issued(city.store, YEAR, "EMP")
    assert kept is not None and set(kept.sent) == {NORTH, SOUTH}
    with pytest.raises(ValidationError, match="已经发送"):
        send_notices(city.store, city.head, world.profile, YEAR, "EMP")

    sync(world.north.store)
    (notice,) = transfer_notices(world.north.store, YEAR)
    assert (notice.city, notice.city_name) == ("330600", "绍兴市医疗保障事务中心")
    assert (notice.scheme, notice.version, notice.doc_no) == ("EMP", 1, DOC)
    assert notice.doc_date == date(2027, 1, 15)
    assert (notice.balance, notice.transfer, notice.remaining) == (
        6 * YI,
        15 * YI // 10,
        45 * YI // 10,
    )
    assert notice.city_total == 25 * YI // 10
    assert any("25.0000%" in step.label for step in notice.city_working)
    assert all(step.source.startswith("000 附件 §3.4") for step in notice.working)
    (row,) = [r for r in received(world.north.store) if r.kind == "transfer_notice"]
    assert row.status == "applied"
    assert (kind_label(row.kind), subject_text(row.subject, {"EMP": "职工医保"})) == (
        "划转通知",
        f"职工医保 2027年 第1版 {DOC} 上划 150,000,000.00 元，留存 450,000,000.00 元",
    )

    sync(world.south.store)
    (south,) = transfer_notices(world.south.store, YEAR)
    assert south.transfer == YI and south.remaining == 3 * YI
    assert transfer_notices(world.stranger.store, YEAR) == []

    # a corrected transfer comes as a new version, listed first
    corrected = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (9 * YI, None)})
    _issue(world, corrected, replaces=1, reason="南湖县累计结余更正")
    send_notices(city.store, city.head, world.profile, YEAR, "EMP")
    sync(world.south.store)
    newest, first = transfer_notices(world.south.store, YEAR)
    assert (newest.version, newest.reason, newest.transfer) == (
        2,
        "南湖县累计结余更正",
        15 * YI // 10,
    )
    assert first.version == 1


def test_jining_notice_names_what_follows_at_maturity(world: World) -> None:
    city, jining = world.city, load_profile("jining")
    inputs = TransferInputs(balances={NORTH: (YI, None), SOUTH: (2 * YI, 1_000 * WAN)})
    transfer_issue.issue(
        city.store, city.head, jining, YEAR, "EMP", inputs, "济医保1号", date(2027, 1, 10)
    )
    send_notices(city.store, city.head, jining, YEAR, "EMP")
    sync(world.south.store)
    (notice,) = transfer_notices(world.south.store, YEAR)
    assert (notice.now, notice.deferred) == (1_000 * WAN, 5_000 * WAN)
    (row,) = [r for r in received(world.south.store) if r.kind == "transfer_notice"]
    assert row.subject["summary"] == (
        "上划 60,000,000.00 元（定期存款到期后补足 50,000,000.00 元），留存 140,000,000.00 元"
    )


def test_the_summary_stays_within_a_subject_value() -> None:
    big = 10**14 - 1
    part = {"transfer": big, "deferred": big, "remaining": big}
    text = summary({"county": part})
    assert len(text) <= 80 and text.startswith("上划 999,999,999,999.99 元（定期存款到期后补足")
    assert summary({"county": {**part, "deferred": 0}}) == (
        "上划 999,999,999,999.99 元，留存 999,999,999,999.99 元"
    )


def test_nothing_is_sent_while_a_county_is_not_registered(world: World) -> None:
    city = world.city
    _issue(world)
    (south,) = [p for p in peers.list_peers(city.store) if p.office == SOUTH]
    peers.decide(city.store, city.head, south.key_id, "revoked", reason="密钥泄露")
    with pytest.raises(ValidationError, match=SOUTH):
        send_notices(city.store, city.head, world.profile, YEAR, "EMP")
    kept = transfer_issue.issued(city.store, YEAR, "EMP")
    assert kept is not None and kept.sent == {}
    sync(world.north.store)
    assert transfer_notices(world.north.store, YEAR) == []


def test_a_notice_for_another_county_is_quarantined(world: World) -> None:
    city = world.city
    _issue(world)
    found = transfer_issue.issued(city.store, YEAR, "EMP")
    assert found is not None
    data = notice_data(found, world.profile, SOUTH)  # south's figures, addressed to north
    sent = outbox.queue(city.store, city.head.username, NORTH, "transfer_notice", {}, data)
    try_deliver(city.store, sent)
    sync(world.north.store)
    (row,) = [r for r in received(world.north.store) if r.kind == "transfer_notice"]
    assert row.status == "quarantined" and SOUTH in row.reason
    assert transfer_notices(world.north.store, YEAR) == []
