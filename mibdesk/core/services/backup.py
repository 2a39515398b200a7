"""Verified backups, their rotation, and restore.

A backup is a copy made with SQLite's online backup API into a temporary file, checked with
`integrity_check`, flushed to disk and only then renamed to its final name. Rotation keeps the
newest backup of each of the last 7 days, 4 ISO weeks and 12 months (and every backup taken
before a migration); restore moves the current database aside, never over it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mibdesk.core.db.engine import integrity_check
from mibdesk.core.errors import AuthError, UserError
from mibdesk.core.i18n import N_, _
from mibdesk.core.paths import DataPaths
from mibdesk.core.repos import audit
from mibdesk.core.security.passwords import verify_password
from mibdesk.core.services.clock import Clock, stamp, system_clock
from mibdesk.core.services.office_lock import OfficeLock
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.store import Store, open_store

KIND_LABELS = {
    "daily": N_("daily"),
    "close": N_("on close"),
    "manual": N_("manual"),
    "pre-migration": N_("before upgrade"),
    "pre-restore": N_("before restore"),
}
KINDS = tuple(KIND_LABELS)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
_NAME = re.compile(r"^mibdesk-(\d{8}-\d{6})-([a-z-]+?)(?:-\d+)?\.sqlite$")


class BackupError(UserError):
    """A backup could not be written or verified; the office database is untouched."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    kind: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        """One line for a list: time, kind, size."""
        kind = _(KIND_LABELS[self.kind])
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}  ·  {kind}  ·  {self.size // 1024:,} KB"


def backup_dir(store: Store) -> Path:
    configured = str(load_settings(store)["backup_dir"])
    return Path(configured) if configured else store.paths.backups


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in `folder`, newest first (partial files and strangers ignored)."""
    found = []
    if not folder.is_dir():
        return []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and match.group(2) in KINDS:
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            found.append(BackupInfo(path, taken, match.group(2), path.stat().st_size))
    # same second: the later file (by modification time) is the newer backup
    return sorted(found, key=lambda b: (b.taken_at, b.path.stat().st_mtime_ns), reverse=True)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def copy_database(source: Path, target_folder: Path, final_name: str) -> Path:
    """Online-copy `source` to `target_folder/final_name`, verified, atomically named."""
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
        temp = target_folder / (final_name + ".partial")
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(temp)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        verdict = integrity_check(temp)
        if verdict != "ok":
            temp.unlink(missing_ok=True)
            raise BackupError(
                _("The backup copy failed its check ({detail}).").format(detail=verdict)
            )
        _fsync_file(temp)
        final = target_folder / final_name
        os.replace(temp, final)
        _fsync_dir(target_folder)
        return final
    except (OSError, sqlite3.Error) as error:
        raise BackupError(
            _(
                "Could not write a backup to {folder}: {detail}. The office data is unchanged; "
                "check the backup folder in Settings."
            ).format(folder=target_folder, detail=error)
        ) from error


def create_backup(store: Store, kind: str = "manual") -> BackupInfo:
    """A verified backup of the office database, then rotation of the folder."""
    if kind not in KINDS:
        raise ValueError(kind)
    if store.on_server:
        raise BackupError(
            _(
                "This office's database is on a PostgreSQL server: it is backed up there "
                "(pg_dump) by the server's administrator, not by mibdesk."
            )
        )
    folder = backup_dir(store)
    now = store.clock()
    stem = f"mibdesk-{now:%Y%m%d-%H%M%S}-{kind}"
    name, counter = f"{stem}.sqlite", 1
    while (folder / name).exists():
        counter += 1
        name = f"{stem}-{counter}.sqlite"
    path = copy_database(store.paths.database, folder, name)
    rotate(folder, protect=path)
    return BackupInfo(path, now.replace(tzinfo=None), kind, path.stat().st_size)


def backup_if_due(store: Store) -> BackupInfo | None:
    """The daily backup, when automatic backups are on and none was taken today."""
    if store.on_server or not load_settings(store)["daily_backup"]:
        return None
    today = store.clock().date()
    if any(b.taken_at.date() == today for b in list_backups(backup_dir(store))):
        return None
    return create_backup(store, "daily")


def kept(backups: list[BackupInfo]) -> set[Path]:
    """Which backups rotation keeps (grandfather-father-son), newest first input."""
    keep: set[Path] = {b.path for b in backups if b.kind == "pre-migration"}
    for key_of, count in (
        (lambda b: b.taken_at.date(), KEEP_DAILY),
        (lambda b: b.taken_at.isocalendar()[:2], KEEP_WEEKLY),
        (lambda b: (b.taken_at.year, b.taken_at.month), KEEP_MONTHLY),
    ):
        seen: list[object] = []
        for backup in backups:
            key = key_of(backup)
            if key not in seen:
                seen.append(key)
                if len(seen) <= count:
                    keep.add(backup.path)
    return keep


def rotate(folder: Path, protect: Path | None = None) -> list[Path]:
    """Delete the backups rotation no longer keeps (never `protect`); returns what went."""
    backups = list_backups(folder)
    keep = kept(backups) | ({protect} if protect else set())
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def latest_good_backup(paths: DataPaths) -> Path | None:
    for backup in list_backups(paths.backups):
        if integrity_check(backup.path) == "ok":
            return backup.path
    return None


def _check_head(backup: Path, username: str, password: str) -> None:
    """The restoring head must be a head in the backup being restored."""
    connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT password_hash FROM user_account WHERE username = ? AND role = 'head' "
            "AND active = 1",
            (username,),
        ).fetchone()
    except sqlite3.Error as error:
        raise BackupError(
            _("{name} is not a mibdesk backup ({detail}).").format(name=backup.name, detail=error)
        ) from error
    finally:
        connection.close()
    if row is None or not verify_password(str(row[0]), password):
        raise AuthError(_("Only a head of the office, with the password, can restore."))


def restore(
    data_dir: Path,
    backup: Path,
    username: str,
    password: str,
    clock: Clock = system_clock,
) -> Path | None:
    """Replace the office database with `backup`; returns where the old database was moved.

    The store must be closed. The current database (and its WAL) is moved to `set-aside/`,
    never overwritten or deleted. Refused (`OfficeInUseError`) while another process holds
    the office.
    """
    paths = DataPaths(data_dir)
    verdict = integrity_check(backup)
    if verdict != "ok":
        raise BackupError(
            _("The backup {name} is damaged ({detail}); choose another.").format(
                name=backup.name, detail=verdict
            )
        )
    _check_head(backup, username, password)
    with OfficeLock(paths):  # no other process may be writing to the database we replace
        moved = None
        stamp_text = f"{clock():%Y%m%d-%H%M%S}"
        if paths.database.exists():
            paths.set_aside.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                current = Path(str(paths.database) + suffix)
                if current.exists():
                    target = paths.set_aside / f"mibdesk-{stamp_text}.sqlite{suffix}"
                    os.replace(current, target)
                    if suffix == "":
                        moved = target
        temp = paths.root / "mibdesk.sqlite.restoring"
        shutil.copyfile(backup, temp)
        _fsync_file(temp)
        os.replace(temp, paths.database)
        _fsync_dir(paths.root)
        _audit_restore(data_dir, backup, username, clock)
    return moved


def _audit_restore(data_dir: Path, backup: Path, username: str, clock: Clock) -> None:
    store = open_store(data_dir, clock=clock)
    try:
        with store.write() as session:
            audit.append(
                session,
                at=stamp(clock()),
                actor=username,
                action="backup.restore",
                entity="database",
                entity_key=backup.name,
            )
    finally:
        store.close()
