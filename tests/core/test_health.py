"""The office's health: each check's level and sentence (pure), and the facts from a real
office (certificate copy, drop folder, backups, calendar), and `mibdesk-cli health`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import HEAD_PASSWORD, FakeClock

from mibdesk.cli import main
from mibdesk.core.services import accounts, backup
from mibdesk.core.services.forms import key_path
from mibdesk.core.services.health import (
    HealthCheck,
    HealthFacts,
    Level,
    gather,
    health_report,
    judge,
)
from mibdesk.core.services.settings import change_settings
from mibdesk.core.services.store import Store
from mibdesk.core.signing.keys import certificate_copy, create_office_key

TODAY = date(2026, 11, 23)
SOUND = HealthFacts(
    versions={"mibdesk": "0.1.0", "Python": "3.11.7"},
    data_folder=Path("/data/office"),
    free_bytes=20 * 1024**3,
    database_server="",
    database_bytes=3 * 1024**2,
    integrity="ok",
    backup_folder=Path("/data/office/backups"),
    last_backup=datetime(2026, 11, 23, 8, 0),
    last_backup_kind="daily",
    last_change=datetime(2026, 11, 23, 9, 15),
    drop_folder="/mnt/drop",
    drop_problem="",
    key_present=True,
    certificate_expires=date(2028, 6, 30),
    calendar_years=(2025, 2026, 2027),
)


def check(facts: HealthFacts, key: str, today: date = TODAY) -> HealthCheck:
    return next(c for c in judge(facts, today) if c.key == key)


def test_a_sound_office_is_all_ok_with_versions_as_a_note() -> None:
    checks = judge(SOUND, TODAY)
    assert [c.key for c in checks] == [
        "versions",
        "data_folder",
        "database",
        "backup",
        "drop_folder",
        "certificate",
        "calendar",
    ]
    assert {c.key: c.level for c in checks if c.level != Level.OK} == {"versions": Level.INFO}
    assert check(SOUND, "certificate").text == "有效期至 2028-06-30。"
    assert check(SOUND, "versions").text == "mibdesk 0.1.0 · Python 3.11.7"


@pytest.mark.parametrize(
    ("days_left", "level"),
    [(31, Level.OK), (30, Level.WARNING), (0, Level.WARNING), (-1, Level.PROBLEM)],
)
def test_the_certificate_warns_30_days_ahead(days_left: int, level: Level) -> None:
    facts = replace(SOUND, certificate_expires=TODAY + timedelta(days=days_left))
    found = check(facts, "certificate")
    assert found.level == level
    if level == Level.WARNING:
        assert f"还有 {days_left} 天" in found.text and "创建或导入新的密钥" in found.text


def test_no_key_or_no_readable_certificate_is_a_note() -> None:
    assert check(replace(SOUND, key_present=False), "certificate").level == Level.INFO
    no_copy = check(replace(SOUND, certificate_expires=None), "certificate")
    assert no_copy.level == Level.INFO and "keys/office.crt" in no_copy.text


@pytest.mark.parametrize(
    ("today", "years", "level"),
    [
        (date(2026, 10, 31), (2026,), Level.OK),
        (date(2026, 11, 1), (2026,), Level.WARNING),
        (date(2026, 12, 31), (2026, 2027), Level.OK),
        (date(2027, 1, 4), (2026,), Level.PROBLEM),
    ],
)
def test_next_years_calendar_is_wanted_from_1_november(
    today: date, years: tuple[int, ...], level: Level
) -> None:
    found = check(replace(SOUND, calendar_years=years), "calendar", today)
    assert found.level == level
    if level == Level.WARNING:
        assert "还没有 2027 年的工作日历" in found.text


def test_backups_missing_or_behind_the_changes_need_attention() -> None:
    assert check(replace(SOUND, last_backup=None), "backup").level == Level.WARNING
    behind = replace(SOUND, last_change=datetime(2026, 11, 24, 8, 1))
    assert check(behind, "backup").level == Level.WARNING
    assert "不在任何备份中" in check(behind, "backup").text
    same_day = replace(SOUND, last_change=datetime(2026, 11, 24, 7, 59))
    assert check(same_day, "backup").level == Level.OK
    assert "（每日）" in check(SOUND, "backup").text


def test_drop_folder_unset_is_attention_unreachable_a_problem() -> None:
    assert check(replace(SOUND, drop_folder=""), "drop_folder").level == Level.WARNING
    gone = check(replace(SOUND, drop_problem="文件夹不存在或未连接"), "drop_folder")
    assert gone.level == Level.PROBLEM and "/mnt/drop" in gone.text


def test_a_damaged_database_and_a_full_disk() -> None:
    damaged = check(replace(SOUND, integrity="row 7 missing from index"), "database")
    assert damaged.level == Level.PROBLEM and "row 7 missing from index" in damaged.text
    assert check(replace(SOUND, free_bytes=100 * 1024**2), "data_folder").level == Level.WARNING


def test_a_database_on_a_server_leaves_checks_and_backups_to_its_administrator() -> None:
    server = replace(
        SOUND,
        database_server="postgresql://city@db.example/mibdesk",
        integrity="",
        last_backup=None,
    )
    database, backups = check(server, "database"), check(server, "backup")
    assert database.level == backups.level == Level.INFO
    assert "postgresql://city@db.example/mibdesk" in database.text and "pg_dump" in backups.text


def test_gather_reads_a_real_office(office: Store, clock: FakeClock, tmp_path: Path) -> None:
    head = accounts.login(office, "zhangli", HEAD_PASSWORD).value
    drop = tmp_path / "drop"
    drop.mkdir()
    change_settings(office, head, {"drop_folder": str(drop)})
    backup.create_backup(office)
    # a certificate made 1,080 days ago: 3 years' validity leaves about two weeks
    certificate = create_office_key(
        key_path(office),
        "key-password",
        office_name="青溪县医疗保障事务中心",
        office_code="330699",
        now=clock() - timedelta(days=1080),
    )
    assert certificate_copy(key_path(office)).read_bytes().startswith(b"-----BEGIN CERTIFICATE")
    facts = gather(office)
    assert facts.certificate_expires == certificate.not_valid_after_utc.date()
    assert facts.integrity == "ok" and facts.drop_problem == ""
    assert facts.last_backup == datetime(2026, 11, 23, 9, 30)
    assert facts.last_change is not None and facts.last_change.date() == date(2026, 11, 23)
    assert 2026 in facts.calendar_years
    report = health_report(office)
    levels = {c.key: c.level for c in report.checks}
    assert levels["certificate"] == Level.WARNING
    assert levels["backup"] == levels["drop_folder"] == levels["database"] == Level.OK
    drop.rmdir()
    assert {c.key: c.level for c in health_report(office).checks}["drop_folder"] == Level.PROBLEM


def test_cli_health_prints_the_checks_and_fails_on_a_problem(
    office: Store, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office.close()
    code = main(["health", "--json", "--data-dir", str(data_dir)])
    printed = json.loads(capsys.readouterr().out)
    checks = {c["key"]: c for c in printed["checks"]}
    assert set(checks) >= {"database", "backup", "certificate", "calendar"}
    assert checks["database"]["level"] == "ok"
    assert code == (1 if any(c["level"] == "problem" for c in checks.values()) else 0)
    assert main(["health", "--data-dir", str(data_dir)]) == code
    assert "[正常] 数据库：" in capsys.readouterr().out
