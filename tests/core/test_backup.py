"""Verified backups, daily backups, an unwritable folder, and restore by a head."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from helpers import HEAD_PASSWORD, PREPARER_PASSWORD, FakeClock

from mibdesk.core.db.engine import integrity_check
from mibdesk.core.errors import AuthError
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Actor, Role
from mibdesk.core.services import accounts, audit_log, backup
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.backup import BackupError
from mibdesk.core.services.settings import change_settings
from mibdesk.core.services.store import Store, open_store


def test_a_backup_is_a_verified_copy_with_the_data(office: Store) -> None:
    info = backup.create_backup(office, "manual")
    assert info.path.parent == office.paths.backups
    assert info.name == "mibdesk-20261123-093000-manual.sqlite"
    assert integrity_check(info.path) == "ok"
    copy = sqlite3.connect(info.path)
    assert copy.execute("SELECT count(*) FROM user_account").fetchone()[0] == 3
    copy.close()
    assert not list(office.paths.backups.glob("*.partial"))


def test_a_second_backup_in_the_same_second_gets_its_own_name(office: Store) -> None:
    first = backup.create_backup(office, "manual")
    second = backup.create_backup(office, "manual")
    assert second.name == "mibdesk-20261123-093000-manual-2.sqlite"
    # rotation keeps the newest backup of the day
    assert second.path.exists() and not first.path.exists()
    assert [b.path for b in backup.list_backups(office.paths.backups)] == [second.path]


def test_daily_backup_once_a_day(office: Store, clock: FakeClock) -> None:
    assert backup.backup_if_due(office) is not None
    assert backup.backup_if_due(office) is None
    clock.advance(days=1)
    assert backup.backup_if_due(office) is not None


def test_daily_backup_can_be_turned_off(office: Store, head: Actor) -> None:
    change_settings(office, head, {"daily_backup": False})
    assert backup.backup_if_due(office) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; see the next test")
def test_unwritable_backup_folder_is_a_clear_error(
    office: Store, head: Actor, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    change_settings(office, head, {"backup_dir": str(locked)})
    with pytest.raises(BackupError):
        backup.create_backup(office)


def test_backup_folder_that_is_a_file_is_a_clear_error_and_the_office_works(
    office: Store, head: Actor, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "file-not-folder"
    not_a_folder.write_text("x")
    change_settings(office, head, {"backup_dir": str(not_a_folder)})
    with pytest.raises(BackupError) as error:
        backup.create_backup(office)
    assert str(not_a_folder) in str(error.value)
    # the office keeps working
    accounts.add_user(office, head, NewUser("chenjing", "陈静", Role.PREPARER, "Chen2026pw"))
    assert len(accounts.list_users(office)) == 4


def test_restore_moves_the_current_database_aside_and_brings_back_the_old_data(
    office: Store, head: Actor, data_dir: Path
) -> None:
    taken = backup.create_backup(office, "manual")
    accounts.add_user(office, head, NewUser("chenjing", "陈静", Role.PREPARER, "Chen2026pw"))
    office.close()
    moved = backup.restore(data_dir, taken.path, "zhangli", HEAD_PASSWORD)
    assert moved is not None and moved.parent == data_dir / "set-aside"
    assert integrity_check(moved) == "ok"
    store = open_store(data_dir)
    try:
        assert [u.username for u in accounts.list_users(store)] == [
            "zhangli",
            "liuqiang",
            "wangfang",
        ]
        restored = audit_log.entries(store, AuditFilter(action="backup.restore"))
        assert restored and restored[0].actor == "zhangli"
        assert audit_log.verify_chain(store).ok
    finally:
        store.close()


def test_only_a_head_with_the_password_may_restore(office: Store, data_dir: Path) -> None:
    taken = backup.create_backup(office, "manual")
    office.close()
    before = (data_dir / "mibdesk.sqlite").read_bytes()
    with pytest.raises(AuthError):
        backup.restore(data_dir, taken.path, "wangfang", PREPARER_PASSWORD)
    with pytest.raises(AuthError):
        backup.restore(data_dir, taken.path, "zhangli", "wrong-pass1")
    assert (data_dir / "mibdesk.sqlite").read_bytes() == before
    assert not (data_dir / "set-aside").exists()


def test_a_damaged_backup_is_refused(office: Store, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "mibdesk-20261101-080000-manual.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    office.close()
    with pytest.raises(BackupError):
        backup.restore(data_dir, bad, "zhangli", HEAD_PASSWORD)


def test_restore_after_corruption_uses_the_head_of_the_backup(
    office: Store, data_dir: Path
) -> None:
    taken = backup.create_backup(office, "manual")
    office.close()
    (data_dir / "mibdesk.sqlite").write_bytes(b"broken" * 500)
    backup.restore(data_dir, taken.path, "zhangli", HEAD_PASSWORD)
    assert integrity_check(data_dir / "mibdesk.sqlite") == "ok"
    assert (data_dir / "set-aside").is_dir()
