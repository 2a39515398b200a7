"""The database: pragmas, local disk, damaged files, newer schemas, crash safety."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import cap_database
from sqlalchemy import event, select

from mibdesk.core.db import migrate
from mibdesk.core.db.engine import integrity_check, is_network_path
from mibdesk.core.db.models import User
from mibdesk.core.errors import StoreError
from mibdesk.core.repos import office as office_repo
from mibdesk.core.services import accounts, backup
from mibdesk.core.services.store import (
    CorruptDatabaseError,
    NotSetUpError,
    Store,
    open_store,
)


def test_connections_use_wal_full_sync_and_foreign_keys(office: Store) -> None:
    with office.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


def test_an_empty_folder_is_not_set_up(tmp_path: Path) -> None:
    with pytest.raises(NotSetUpError):
        open_store(tmp_path)


@pytest.mark.parametrize("path", ["\\\\server\\share\\mibdesk", "//server/share/mibdesk"])
def test_unc_paths_are_network_paths(path: str) -> None:
    assert is_network_path(Path(path))


def test_a_local_folder_is_not_a_network_path(tmp_path: Path) -> None:
    assert not is_network_path(tmp_path)


def test_a_damaged_database_is_refused_untouched_and_the_last_backup_named(
    office: Store, data_dir: Path
) -> None:
    taken = backup.create_backup(office, "manual")
    office.close()
    database = data_dir / "mibdesk.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    damaged = b"this is not a database" * 100
    database.write_bytes(damaged)
    with pytest.raises(CorruptDatabaseError) as error:
        open_store(data_dir)
    assert error.value.last_good_backup == taken.path
    assert taken.name in str(error.value)
    assert database.read_bytes() == damaged  # nothing overwritten


def test_a_newer_schema_is_refused(office: Store, data_dir: Path) -> None:
    with office.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    office.close()
    with pytest.raises(StoreError, match="9999"):
        open_store(data_dir)


def test_models_and_migrations_agree(office: Store) -> None:
    """The ORM models and the migrated schema are the same (autogenerate finds nothing)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mibdesk.core.db.models import Base

    with office.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


@pytest.mark.parametrize("revision", migrate.known_revisions())
def test_every_earlier_schema_upgrades_with_its_data(tmp_path: Path, revision: str) -> None:
    """A database at each known revision, with a row in it, upgrades to head and keeps it."""
    from mibdesk.core.db.engine import make_engine, sqlite_url

    engine = make_engine(sqlite_url(tmp_path / "old.sqlite"))
    migrate.upgrade(engine, revision)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO setting (key, value_json) VALUES ('language', '\"en\"')"
        )
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        value = connection.exec_driver_sql(
            "SELECT value_json FROM setting WHERE key='language'"
        ).scalar()
    assert value == '"en"'
    engine.dispose()


def test_open_backs_up_before_migrating_and_keeps_the_data(office: Store, data_dir: Path) -> None:
    """A database at the first schema is backed up (pre-migration), then upgraded."""
    from alembic import command

    config = migrate._config()
    with office.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    office.close()
    taken: list[backup.BackupInfo] = []
    store = open_store(
        data_dir,
        backup_before_migration=lambda s: taken.append(backup.create_backup(s, "pre-migration")),
    )
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        assert [b.kind for b in taken] == ["pre-migration"]
        old = sqlite3.connect(taken[0].path)
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        old.close()
        assert "monthly_report" not in tables and "user_account" in tables
        assert len(accounts.list_users(store)) == 3
    finally:
        store.close()
    assert integrity_check(data_dir / "mibdesk.sqlite") == "ok"


def test_the_revision_list_matches_alembics_history() -> None:
    assert list(migrate.REVISIONS) == migrate.known_revisions()


def test_one_connection_keeps_each_write_its_own_transaction(office: Store) -> None:
    """An import's run of transactions shares one pooled connection; a write that fails
    still rolls back alone, and what a read or write returned stays readable after it."""
    checkouts: list[object] = []
    event.listen(office.engine, "checkout", lambda *args: checkouts.append(args))
    with office.one_connection():
        with office.write() as session:
            office_repo.put_setting(session, "first", '"1"')
        with pytest.raises(RuntimeError), office.write() as session:
            office_repo.put_setting(session, "second", '"2"')
            raise RuntimeError("the handler failed")
        with office.read() as session:
            users = session.scalars(select(User).order_by(User.username)).all()
            with office.write() as inner:  # while a read is open: a connection of its own
                office_repo.put_setting(inner, "third", '"3"')
        with office.write() as session, office.read() as joined:  # a read joins the write
            assert joined is session
            office_repo.put_setting(session, "fourth", '"4"')
            assert office_repo.setting_values(joined)["fourth"] == '"4"'
    assert "zhangli" in [user.username for user in users]  # detached, still loaded
    assert len(checkouts) == 2  # the kept connection, and the one the write inside a read took
    with office.read() as session:
        values = office_repo.setting_values(session)
    assert (values["first"], values["third"], values["fourth"]) == ('"1"', '"3"', '"4"')
    assert "second" not in values


def test_a_full_disk_refuses_the_save_in_chinese_and_keeps_everything(office: Store) -> None:
    with office.write() as session:
        office_repo.put_setting(session, "kept", '"before"')
    cap_database(office, 0)
    with pytest.raises(StoreError, match="磁盘已满") as refused, office.write() as session:
        for n in range(500):  # far more than the database has room for
            office_repo.put_setting(session, f"note/{n}", '"' + "备注" * 200 + '"')
    assert "未保存任何内容" in str(refused.value)
    with office.read() as session:
        values = office_repo.setting_values(session)
    assert values["kept"] == '"before"' and "note/0" not in values
    cap_database(office, None)  # space freed: the same save goes through
    with office.write() as session:
        for n in range(500):
            office_repo.put_setting(session, f"note/{n}", '"' + "备注" * 200 + '"')
    assert integrity_check(office.paths.database) == "ok"
