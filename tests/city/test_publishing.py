"""What the city publishes to all its counties: next year's working-day calendar (edited or
imported from the State Council notice, a bad file refused in Chinese with nothing changed),
a policy-profile update (in force at the city, then at the counties), and the trust list
after a revocation. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from city_kit import NORTH, SOUTH, World
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from helpers import REVIEWER_PASSWORD
from sqlalchemy import func, select

from mibdesk.core.calendar_edits import empty_year, mark_day, read_calendar_file, with_source
from mibdesk.core.db.exchange_models import ExchangePeer, OutboxEntry
from mibdesk.core.db.models import AuditEntry, CalendarYearRow
from mibdesk.core.errors import AuthError, ProfileError, ValidationError
from mibdesk.core.services import accounts
from mibdesk.core.services.calendar import calendar_year, save_calendar_year, work_calendar
from mibdesk.core.services.city import publishing
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.sending_city import send_trust_list
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.profiles import office_profile

NOTICE = "国务院办公厅关于2027年部分节假日安排的通知"
CSV_2027 = f"""来源,{NOTICE}
日期,类型,名称
2027-01-01,休,元旦
2027-02-06,休,春节
2027-02-07,休,春节
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-12,休,春节
2027-02-13,休,春节
2027-02-14,班,春节调休上班
2027-02-20,班,春节调休上班
"""


def _counts(world: World) -> tuple[int, int, int]:
    with world.city.store.read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (CalendarYearRow, OutboxEntry, AuditEntry)
        )


def test_a_csv_from_the_notice_is_read_and_published_to_every_county(world: World) -> None:
    store = world.city.store
    assert calendar_year(store, 2027) is None  # chinesecalendar stops at 2026
    data = read_calendar_file("2027.csv", CSV_2027.encode("gb18030"), 2027)
    assert data.source == NOTICE and len(data.holidays) == 9 and len(data.workdays) == 2
    assert publishing.last_published(store, "calendar", year=2027) is None
    publishing.publish_calendar(store, world.city.head, 2027, data, reason="2027.csv")
    calendar = work_calendar(store)
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.is_workday(date(2027, 2, 14))
    published = publishing.last_published(store, "calendar", year=2027)
    assert published is not None and published.counties == 2 and published.delivered == 2
    assert published.by == world.city.head.username
    for county in (world.north, world.south):
        sync(county.store)
        received = calendar_year(county.store, 2027)
        assert received is not None and received.source == NOTICE
        assert date(2027, 2, 20) in received.workdays


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("2027.csv", CSV_2027.replace("2027-02-20,班", "2027-02-19,班"), "第 13 行"),
        ("2027.csv", CSV_2027.replace("2027-02-13,休", "2027-02-13,假"), "第 11 行"),
        ("2027.csv", CSV_2027.replace("2027-02-12", "2027-02-11"), "重复"),
        ("2027.csv", CSV_2027.replace("2027-01-01", "2026-01-01"), "第 3 行"),
        ("2027.csv", CSV_2027.replace("日期,类型,名称", "date,kind"), "第 2 行"),
        ("2027.csv", CSV_2027.replace(f"来源,{NOTICE}", "来源,"), "第 1 行"),
        ("2027.json", '{"year": 2026}', "2027.json"),
        ("2027.txt", "x", "CSV文件"),
    ],
)
def test_a_bad_calendar_file_is_refused_in_chinese_and_nothing_changes(
    world: World, name: str, text: str, message: str
) -> None:
    before = _counts(world)
    with pytest.raises(ValidationError) as refused:
        read_calendar_file(name, text.encode("utf-8"), 2027)
    assert message in str(refused.value) and name in str(refused.value)
    assert _counts(world) == before


def test_days_marked_by_hand_are_saved_once_the_source_is_named(world: World) -> None:
    store, head = world.city.store, world.city.head
    draft = mark_day(empty_year(2027), date(2027, 10, 1), "holiday")
    draft = mark_day(draft, date(2027, 9, 26), "workday")  # a Sunday
    with pytest.raises(ValidationError, match="星期六或星期日"):
        mark_day(draft, date(2027, 9, 27), "workday")  # a Monday
    before = _counts(world)
    with pytest.raises(ValidationError, match="来源"):
        save_calendar_year(store, head, draft, reason="edited")
    assert _counts(world) == before
    saved = save_calendar_year(store, head, with_source(draft, NOTICE), reason="edited").value
    assert saved.holidays == {date(2027, 10, 1)} and saved.workdays == {date(2027, 9, 26)}
    back = mark_day(saved, date(2027, 10, 1), "normal")
    assert back.holidays == frozenset() and back.source == NOTICE


def _certificate(until: datetime) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "北城区医疗保障局")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(until - timedelta(days=1000))
        .not_valid_after(until)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _bumped(world: World, **risk: str) -> str:
    document = office_profile(world.city.store).model_dump(mode="json")
    document["version"] += 1
    for key, value in risk.items():
        document["risk"][key]["value"] = value
    return json.dumps(document, ensure_ascii=False)


def test_a_profile_update_is_put_in_force_and_sent_to_the_counties(world: World) -> None:
    store, head = world.city.store, world.city.head
    text = _bumped(world, reserve_months_red="2")
    profile, sent = publishing.publish_profile(store, head, text, where="shaoxing-v2.json").value
    assert profile.version == 2 and len(sent) == 2
    assert office_profile(store).risk.reserve_months_red.value == 2
    published = publishing.last_published(store, "profile_update")
    assert published is not None and published.subject["version"] == 2
    sync(world.north.store)
    assert office_profile(world.north.store).version == 2


def test_a_bad_or_stale_profile_is_refused_and_nothing_changes(world: World) -> None:
    store, head = world.city.store, world.city.head
    before = _counts(world)
    with pytest.raises(ProfileError) as bad:
        publishing.publish_profile(store, head, '{"id": "shaoxing"', where="bad.json")
    assert "bad.json" in str(bad.value) and "JSON" in str(bad.value)
    stale = json.dumps(office_profile(store).model_dump(mode="json"), ensure_ascii=False)
    with pytest.raises(ValidationError, match="当前已执行第 1 版"):
        publishing.publish_profile(store, head, stale, where="same.json")
    assert _counts(world) == before
    assert office_profile(store).version == 1


def test_the_trust_list_shows_keys_and_certificates_and_goes_out_after_a_revocation(
    world: World,
) -> None:
    store, head = world.city.store, world.city.head
    with store.write() as session:  # the north county's card brought a PDF certificate
        row = session.scalars(select(ExchangePeer).where(ExchangePeer.office == NORTH)).one()
        row.pdf_certificate = _certificate(datetime(2029, 11, 23, tzinfo=UTC))
    entries = publishing.trust_entries(store)
    assert [(e.office, e.status) for e in entries] == [(NORTH, "active"), (SOUTH, "active")]
    assert [e.certificate_expires for e in entries] == ["2029-11-23", ""]
    assert entries[0].fingerprint == peers.peer(store, entries[0].key_id).fingerprint
    peers.decide(store, head, entries[1].key_id, "revoked", reason="电脑更换")
    assert [e.status for e in publishing.trust_entries(store)] == ["active", "revoked"]
    send_trust_list(store, head)
    published = publishing.last_published(store, "trust_list")
    assert published is not None and published.subject == {"entries": 2}
    assert published.counties == 1  # the revoked county no longer receives packages


def test_only_the_head_publishes_and_nothing_is_stored_before_the_check(world: World) -> None:
    store = world.city.store
    reviewer = accounts.login(store, "liuqiang", REVIEWER_PASSWORD).value
    data = read_calendar_file("2027.csv", CSV_2027.encode("utf-8"), 2027)
    before = _counts(world)
    with pytest.raises(AuthError):
        publishing.publish_calendar(store, reviewer, 2027, data, reason="2027.csv")
    with pytest.raises(AuthError):
        publishing.publish_profile(store, reviewer, _bumped(world), where="v2.json")
    assert calendar_year(store, 2027) is None and office_profile(store).version == 1
    assert _counts(world)[:2] == before[:2]
