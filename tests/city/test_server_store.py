"""A city office on a PostgreSQL server: set up by URL (or MIBDESK_DATABASE_URL), reopened
from the data folder's database-url.txt, refused with a clear message when the server is
unreachable (no password shown), when the database already holds an office, for a county;
file backups are the server's business."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from backends import create_database, database_url, drop_database, require_server
from city_kit import CITY, NAMES
from helpers import DEMO_NOW, FakeClock, county_request

from mibdesk.core.errors import StoreError, ValidationError
from mibdesk.core.services import backup
from mibdesk.core.services.backup import BackupError
from mibdesk.core.services.setup import OfficeLevel, office_info, set_up_office
from mibdesk.core.services.store import open_store


@pytest.fixture
def database() -> str:
    require_server()
    name = create_database()
    yield name  # type: ignore[misc]
    drop_database(name)


def _city(**changes: object) -> object:
    return county_request(level=OfficeLevel.CITY, code=CITY, name=NAMES[CITY], **changes)


def test_a_city_set_up_on_the_server_reopens_from_its_folder(
    tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIBDESK_DATABASE_URL", database_url(database))
    store = set_up_office(tmp_path / "city", _city(), FakeClock(DEMO_NOW))  # type: ignore[arg-type]
    assert store.on_server
    url_file = tmp_path / "city" / "database-url.txt"
    assert url_file.read_text(encoding="utf-8").strip() == database_url(database)
    assert stat.S_IMODE(url_file.stat().st_mode) == 0o600
    assert not (tmp_path / "city" / "mibdesk.sqlite").exists()
    with pytest.raises(BackupError, match="pg_dump"):
        backup.create_backup(store, "manual")
    assert backup.backup_if_due(store) is None
    store.close()
    monkeypatch.delenv("MIBDESK_DATABASE_URL")
    again = open_store(tmp_path / "city")
    assert again.on_server and office_info(again).code == CITY
    again.close()

    with pytest.raises(StoreError, match="已有一个经办机构"):
        set_up_office(
            tmp_path / "second",
            _city(database_url=database_url(database)),  # type: ignore[arg-type]
            FakeClock(DEMO_NOW),
        )
    assert not (tmp_path / "second" / "database-url.txt").exists()


def test_an_unreachable_server_is_named_without_its_password(tmp_path: Path) -> None:
    url = "postgresql://mibdesk:Secret99@127.0.0.1:1/nowhere"
    with pytest.raises(StoreError) as refused:
        set_up_office(tmp_path / "city", _city(database_url=url), FakeClock(DEMO_NOW))  # type: ignore[arg-type]
    assert "无法使用数据库服务器" in str(refused.value) and "Secret99" not in str(refused.value)
    assert "***" in str(refused.value)
    assert not (tmp_path / "city" / "database-url.txt").exists()


def test_only_a_city_keeps_its_database_on_a_server(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="只有市级经办机构"):
        set_up_office(
            tmp_path / "county",
            county_request(database_url="postgresql://db/mibdesk"),
            FakeClock(DEMO_NOW),
        )
    with pytest.raises(ValidationError, match="PostgreSQL"):
        set_up_office(
            tmp_path / "city",
            _city(database_url="mysql://db/mibdesk"),  # type: ignore[arg-type]
            FakeClock(DEMO_NOW),
        )


def test_a_county_ignores_the_city_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIBDESK_DATABASE_URL", "postgresql://db/mibdesk")
    store = set_up_office(tmp_path / "county", county_request(), FakeClock(DEMO_NOW))
    assert not store.on_server and (tmp_path / "county" / "mibdesk.sqlite").exists()
    store.close()
