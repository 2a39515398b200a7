"""The drop folder misbehaving: gone, read-only, full, a file locked, no hard links, a drive
that reads back wrong, other programs' files, a copy still being written. Outgoing packages
wait in the outbox; the user is told in Chinese; nothing is lost, overwritten or half-read.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from exchange_kit import Trio, adjust, inbox_row, issue_quota, outbox_statuses, quota_documents
from exchange_offices import CITY, COUNTY
from helpers import cap_database

from mibdesk.core.db.engine import integrity_check
from mibdesk.core.errors import StoreError
from mibdesk.core.exchange import drop
from mibdesk.core.repos import office as office_repo
from mibdesk.core.services.exchange.package_files import DataFolderError
from mibdesk.core.services.exchange.sync import sync


def chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def packages_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.suffix == ".mibpkg")


def fail_writes_under(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int) -> None:
    """Opening any file under `folder` for writing raises OSError(`code`), as the OS would."""
    real_open = Path.open

    def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self.parent == folder and any(flag in mode for flag in "wxa+"):
            raise OSError(code, os.strerror(code), str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)


def then_delivered_and_applied(trio: Trio) -> None:
    """Once the drop works again, the next sync sends what waited; the county applies it."""
    report = sync(trio.city.store).value
    assert report.problem == ""
    assert report.delivered >= 1
    assert sync(trio.county.store).value.count("applied") >= 1
    assert quota_documents(trio.county.store)


def test_a_missing_drop_folder_keeps_packages_waiting(trio: Trio) -> None:
    away = trio.drop.with_name("unplugged")
    trio.drop.rename(away)
    issue_quota(trio.city)
    assert outbox_statuses(trio.city) == {1: "waiting"}
    report = sync(trio.city.store).value
    assert str(trio.drop) in report.problem and chinese(report.problem)
    assert "无法访问" in report.problem or "不存在" in report.problem
    away.rename(trio.drop)
    then_delivered_and_applied(trio)


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.EROFS, "只读"), (errno.EACCES, "只读"), (errno.ENOSPC, "已满"), (errno.ENOENT, "无法")],
)
def test_a_drop_that_refuses_writes_keeps_packages_waiting(
    trio: Trio, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    with monkeypatch.context() as broken:
        fail_writes_under(broken, trio.drop, code)
        issue_quota(trio.city)
        report = sync(trio.city.store).value
    assert outbox_statuses(trio.city) == {1: "waiting"}
    assert words in report.problem, report.problem
    assert packages_in(trio.drop) == []
    then_delivered_and_applied(trio)


class HalfWritten:
    """A file on a disk that fills up while it is written."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self) -> HalfWritten:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stream.close()


def test_a_disk_filling_up_during_the_write_leaves_no_partial_file(
    trio: Trio, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = real_open(self, mode, *args, **kwargs)
        return HalfWritten(stream) if self.parent == trio.drop and "x" in mode else stream

    with monkeypatch.context() as broken:
        broken.setattr(Path, "open", open_)
        issue_quota(trio.city)
    assert outbox_statuses(trio.city) == {1: "waiting"}
    assert [p.name for p in trio.drop.iterdir() if f"{CITY}_to" in p.name] == []
    then_delivered_and_applied(trio)


def mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def tiny_drop(trio: Trio) -> Iterator[Path]:
    """A real 64 KiB file system as the drop folder (root only), filled up but for 12 KiB:
    room for the city's key card and two packages (a file takes at least a 4 KiB page)."""
    if os.geteuid() != 0 or not mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(trio.drop)):
        pytest.skip("mounting a tmpfs needs root")
    try:
        filler = trio.drop / "filler.bin"
        with filler.open("wb") as stream, contextlib.suppress(OSError):
            for _block in range(64):
                stream.write(bytes(1024))
                stream.flush()
        os.truncate(filler, filler.stat().st_size - 12 * 1024)
        yield trio.drop
    finally:
        subprocess.run(["umount", "-l", str(trio.drop)], check=True)


def test_a_really_full_drop_keeps_packages_waiting(trio: Trio, tiny_drop: Path) -> None:
    issue_quota(trio.city)
    for number in range(1, 6):
        adjust(trio.city, number)
    report = sync(trio.city.store).value
    assert "已满" in report.problem, report.problem
    statuses = outbox_statuses(trio.city)
    assert "waiting" in statuses.values()
    for name in packages_in(tiny_drop):  # what did go out is whole
        assert (
            hashlib.sha256((tiny_drop / name).read_bytes()).hexdigest()
            == hashlib.sha256(
                (trio.city.store.paths.root / "exchange" / "outbox" / name).read_bytes()
            ).hexdigest()
        )
    assert not [p for p in tiny_drop.iterdir() if p.name.endswith(".partial")]
    (tiny_drop / "filler.bin").unlink()
    assert sync(trio.city.store).value.problem == ""
    assert set(outbox_statuses(trio.city).values()) == {"delivered"}


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` made read-only for real: a read-only bind mount as root (who may write
    anywhere despite the permission bits), else its permission bits."""
    if os.geteuid() == 0:
        if not (mount("--bind", str(folder), str(folder))):
            pytest.skip("bind mounts are not allowed here")
        try:
            assert mount("-o", "remount,ro,bind", str(folder))
            yield
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_a_read_only_drop_keeps_packages_waiting(trio: Trio) -> None:
    with read_only(trio.drop):
        issue_quota(trio.city)
        report = sync(trio.city.store).value
    assert "只读" in report.problem, report.problem
    assert outbox_statuses(trio.city) == {1: "waiting"}
    then_delivered_and_applied(trio)


def test_a_read_only_drop_still_brings_packages_in(trio: Trio) -> None:
    """Importing needs only to read; the acknowledgement waits in the outbox."""
    issue_quota(trio.city)
    with read_only(trio.drop):
        report = sync(trio.county.store).value
    assert report.count("applied") == 1
    assert "只读" in report.problem, report.problem


def lock(monkeypatch: pytest.MonkeyPatch, target: Path, times: int) -> list[int]:
    """Reading `target` raises PermissionError (as a file open in another program does on
    Windows) the first `times` times; returns the list of attempts made."""
    attempts: list[int] = []
    real_open = Path.open

    def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self == target and mode == "rb":
            attempts.append(1)
            if len(attempts) <= times:
                raise PermissionError(errno.EACCES, "locked", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    monkeypatch.setattr(drop, "RETRY_PAUSE", 0.01)
    return attempts


def test_a_briefly_locked_file_is_read_after_a_retry(
    trio: Trio, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue_quota(trio.city)
    (target,) = trio.drop.glob("mibdesk_330600_to_*.mibpkg")
    attempts = lock(monkeypatch, target, times=2)
    report = sync(trio.county.store).value
    assert report.count("applied") == 1 and report.problem == ""
    assert len(attempts) == 3


def test_a_file_locked_for_long_is_reported_and_the_rest_goes_on(
    trio: Trio, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue_quota(trio.city)
    adjust(trio.city, 1)
    first, _second = sorted(trio.drop.glob("mibdesk_330600_to_*.mibpkg"))
    with monkeypatch.context() as locked:
        attempts = lock(locked, first, times=10**6)
        report = sync(trio.county.store).value
    assert len(attempts) == drop.RETRIES
    assert first.name in report.problem and "占用" in report.problem, report.problem
    assert [v.status for v in report.verdicts] == ["held"]  # number 2 waits for number 1
    assert sync(trio.county.store).value.count("applied") == 1
    assert len(quota_documents(trio.county.store)) == 2


def test_retries_are_bounded_in_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(drop.time, "sleep", sleeps.append)

    def always_locked() -> bytes:
        raise PermissionError(errno.EACCES, "locked")

    with pytest.raises(drop.DropUnavailable) as raised:
        drop.with_retry(always_locked, tmp_path / "x.mibpkg")
    assert chinese(str(raised.value))
    assert len(sleeps) == drop.RETRIES - 1
    assert sum(sleeps) < 5


def test_publishing_never_overwrites_another_file(tmp_path: Path) -> None:
    (tmp_path / "a.mibpkg").write_bytes(b"theirs")
    with pytest.raises(drop.DropUnavailable):
        drop.publish(tmp_path, "a.mibpkg", b"mine")
    assert (tmp_path / "a.mibpkg").read_bytes() == b"theirs"
    drop.publish(tmp_path, "a.mibpkg", b"theirs")  # the same bytes: a retry, published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mibpkg"]


def test_publishing_without_hard_links_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAT on a USB stick and some shares have no hard links: a rename, if the name is free."""

    def no_links(*_args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(drop.os, "link", no_links)
    assert drop.publish(tmp_path, "a.mibpkg", b"mine").read_bytes() == b"mine"
    with pytest.raises(drop.DropUnavailable):
        drop.publish(tmp_path, "a.mibpkg", b"other")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mibpkg"]
    assert (tmp_path / "a.mibpkg").read_bytes() == b"mine"


def test_a_drive_that_reads_back_wrong_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Path, "read_bytes", lambda self: b"garbled")
    with pytest.raises(drop.DropUnavailable) as raised:
        drop.publish(tmp_path, "a.mibpkg", b"mine")
    assert chinese(str(raised.value))
    assert list(tmp_path.iterdir()) == []


def test_scanning_ignores_temporary_partial_and_conflict_files(tmp_path: Path) -> None:
    good = drop.package_name(CITY, COUNTY, 1, "0123456789ab" + "0" * 20)
    others = [
        f".{good}.1a2b3c4d.partial",
        f"{good}.partial",
        f"{good}.tmp",
        good.replace(".mibpkg", " (1).mibpkg"),
        good.replace(".mibpkg", "-conflict-20261123.mibpkg"),
        good.replace(".mibpkg", " (冲突副本).mibpkg"),
        f"~${good}",
        good.upper(),
        good.replace(COUNTY, "330698"),  # for another office
    ]
    for name in [good, *others]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / good.replace("00000001", "00000002")).mkdir()  # a folder under a package name
    (tmp_path / good.replace("00000001", "00000003")).symlink_to(tmp_path / good)
    found = drop.scan(tmp_path, drop.PACKAGE_NAME, lambda match: match.group(2) == COUNTY)
    assert [f.name for f in found] == [good]


def test_a_copy_still_arriving_under_its_final_name_is_read_again_when_complete(
    trio: Trio,
) -> None:
    """A sync tool may show a file under its final name before all of it has arrived."""
    issue_quota(trio.city)
    (target,) = trio.drop.glob("mibdesk_330600_to_*.mibpkg")
    whole = target.read_bytes()
    target.unlink()
    target.write_bytes(whole[: len(whole) // 2])
    assert [v.status for v in sync(trio.county.store).value.verdicts] == ["quarantined"]
    target.unlink()
    target.write_bytes(whole)
    assert sync(trio.county.store).value.count("applied") == 1
    assert inbox_row(trio.county.store, whole).status == "applied"


def test_a_full_local_disk_records_nothing(trio: Trio, monkeypatch: pytest.MonkeyPatch) -> None:
    """The office's own disk is full when a package is built: no number is used up, nothing
    is recorded, and the user is told."""
    outbox_folder = trio.city.store.paths.root / "exchange" / "outbox"
    outbox_folder.mkdir(parents=True, exist_ok=True)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as broken:
        broken.setattr("mibdesk.core.signing._files.tempfile.mkstemp", full)
        with pytest.raises(DataFolderError) as raised:
            issue_quota(trio.city)
    assert "已满" in str(raised.value)
    assert outbox_statuses(trio.city) == {}
    issue_quota(trio.city)
    assert outbox_statuses(trio.city) == {1: "delivered"}


def test_leftovers_of_a_killed_publish_are_swept_by_their_own_office_only(trio: Trio) -> None:
    stale = time.time() - 2 * drop.STALE_AFTER
    own = trio.drop / f".mibdesk_{CITY}_to_{COUNTY}_00000007_0123456789ab.mibpkg.1a2b3c4d.partial"
    fresh = trio.drop / f".mibdesk_{CITY}_to_{COUNTY}_00000008_0123456789ab.mibpkg.5e6f7a8b.partial"
    theirs = (
        trio.drop / f".mibdesk_{COUNTY}_to_{CITY}_00000001_0123456789ab.mibpkg.0a0b0c0d.partial"
    )
    for path in (own, fresh, theirs):
        path.write_bytes(b"half")
        if path != fresh:
            os.utime(path, (stale, stale))
    assert sync(trio.city.store).value.problem == ""
    assert (own.exists(), fresh.exists(), theirs.exists()) == (False, True, True)


@pytest.mark.parametrize(("size", "limit", "read"), [(10, 100, 10), (10, 10, 10), (10, 4, 5)])
def test_a_file_is_read_whole_up_to_one_byte_over_its_cap(
    tmp_path: Path, size: int, limit: int, read: int
) -> None:
    path = tmp_path / "file"
    path.write_bytes(bytes(range(size)))
    with path.open("rb") as stream:
        assert drop.read_capped(stream, limit) == bytes(range(size))[:read]


def test_a_file_that_grows_while_it_is_read_is_read_on_to_the_cap(tmp_path: Path) -> None:
    """A pipe's size is 0 when the reading starts: what comes after is read, to the cap."""
    reading, writing = os.pipe()
    os.write(writing, b"x" * 5000)
    os.close(writing)
    with os.fdopen(reading, "rb") as stream:
        assert drop.read_capped(stream, 3000) == b"x" * 3001


def test_a_full_local_database_stops_the_sync_in_chinese_and_loses_nothing(trio: Trio) -> None:
    """The county's disk fills up while it imports: the sync stops with the reason, in
    Chinese; what was applied before is whole, the rest not at all; once there is room,
    every package is applied, once."""
    issue_quota(trio.city)
    for amount in (1, 2, 3):
        adjust(trio.city, amount)
    cap_database(trio.county.store, 0)
    with pytest.raises(StoreError, match="磁盘已满"):  # fill what room is left
        for n in range(10_000):
            with trio.county.store.write() as session:
                office_repo.put_setting(session, f"filler/{n}", '"' + "x" * 3000 + '"')
    report = sync(trio.county.store).value
    assert "磁盘已满" in report.problem, report.problem
    everything = [10_000_000_00, 1, 2, 3]
    applied = [amount for _kind, amount, _doc in quota_documents(trio.county.store)]
    assert applied == everything[: len(applied)] and len(applied) < 4  # whole packages only
    cap_database(trio.county.store, None)
    while sync(trio.county.store).value.verdicts:
        pass
    assert [amount for _kind, amount, _doc in quota_documents(trio.county.store)] == everything
    assert integrity_check(trio.county.store.paths.database) == "ok"
