"""One writer per office: a second process is refused with a clear message; readers are not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import HEAD_PASSWORD, office_held_elsewhere

from mibdesk.cli import main
from mibdesk.core.paths import DataPaths
from mibdesk.core.services import accounts, backup
from mibdesk.core.services.office_lock import OfficeInUseError, OfficeLock
from mibdesk.core.services.settings import change_settings, load_settings
from mibdesk.core.services.store import Store, open_store

TRY_LOCK = """
import sys
from pathlib import Path
from mibdesk.core.paths import DataPaths
from mibdesk.core.services.office_lock import OfficeInUseError, OfficeLock
try:
    OfficeLock(DataPaths(Path(sys.argv[1]))).acquire()
except OfficeInUseError:
    sys.exit(3)
"""


def free_for_another_process(data_dir: Path) -> bool:
    result = subprocess.run([sys.executable, "-c", TRY_LOCK, str(data_dir)], check=False)
    assert result.returncode in (0, 3)
    return result.returncode == 0


def test_a_second_process_is_refused_and_told_who_holds_the_office(tmp_path: Path) -> None:
    with office_held_elsewhere(tmp_path) as pid, pytest.raises(OfficeInUseError) as refused:
        OfficeLock(DataPaths(tmp_path)).acquire()
    message = str(refused.value)
    assert f"进程 {pid}" in message and str(tmp_path) in message
    assert "切换到已打开的 mibdesk 窗口" in message
    OfficeLock(DataPaths(tmp_path)).acquire()  # free again once the holder has gone


def test_claims_in_one_process_share_the_lock_until_the_last_is_released(
    tmp_path: Path,
) -> None:
    first, second = OfficeLock(DataPaths(tmp_path)), OfficeLock(DataPaths(tmp_path))
    first.acquire()
    second.acquire()
    second.acquire()  # repeating a claim is harmless
    first.release()
    assert not free_for_another_process(tmp_path)
    second.release()
    assert free_for_another_process(tmp_path)


def test_the_lock_goes_with_a_killed_process(tmp_path: Path) -> None:
    with office_held_elsewhere(tmp_path) as pid:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with OfficeLock(DataPaths(tmp_path)) as lock:
            assert lock.held


def test_a_store_claims_the_office_at_its_first_write_and_lets_go_when_closed(
    office: Store, data_dir: Path
) -> None:
    assert not free_for_another_process(data_dir)  # set up just now: it wrote
    office.close()
    assert free_for_another_process(data_dir)
    store = open_store(data_dir)
    load_settings(store)
    assert free_for_another_process(data_dir)  # reading claims nothing
    head = accounts.login(store, "zhangli", HEAD_PASSWORD).value  # records the login
    assert not free_for_another_process(data_dir)
    store.close()
    assert free_for_another_process(data_dir)
    assert head.username == "zhangli"


def test_writes_are_refused_while_another_process_holds_the_office_and_reads_work(
    office: Store, data_dir: Path
) -> None:
    head = accounts.login(office, "zhangli", HEAD_PASSWORD).value
    office.close()
    with office_held_elsewhere(data_dir):
        store = open_store(data_dir)
        try:
            before = load_settings(store)
            with pytest.raises(OfficeInUseError):
                change_settings(store, head, {"idle_lock_minutes": 30})
            assert load_settings(store) == before
        finally:
            store.close()


def test_a_restore_is_refused_while_another_process_holds_the_office(
    office: Store, data_dir: Path
) -> None:
    taken = backup.create_backup(office)
    office.close()
    database = DataPaths(data_dir).database.read_bytes()
    with office_held_elsewhere(data_dir), pytest.raises(OfficeInUseError):
        backup.restore(data_dir, taken.path, "zhangli", HEAD_PASSWORD)
    assert DataPaths(data_dir).database.read_bytes() == database


def test_cli_writing_commands_are_refused_with_a_message_reading_ones_work(
    office: Store,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office.close()
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    monkeypatch.setenv("MIBDESK_NEW_PASSWORD", "Newuser2026pw")
    folder = ["--data-dir", str(data_dir)]
    with office_held_elsewhere(data_dir):
        adding = ["users", "add", "zhaomin", "--name", "赵敏", "--role", "preparer"]
        code = main([*adding, *folder, "--as", "zhangli"])
        refused = capsys.readouterr().err
        assert code == 1 and "已在 mibdesk 中打开" in refused
        assert main(["users", "list", *folder]) == 0
        assert "zhaomin" not in capsys.readouterr().out
