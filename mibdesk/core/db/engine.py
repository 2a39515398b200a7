"""The SQLite engine with the pragmas the house requires, and the local-disk check; or a
PostgreSQL engine, where a city keeps its consolidation database on a server.

WAL journal, `synchronous=FULL`, foreign keys on and a busy timeout: a save that is killed
half-way is either whole or absent on restart. The database must sit on a local disk: a
network share corrupts SQLite under concurrent or interrupted writes, so it is refused.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from mibdesk.core.errors import StoreError
from mibdesk.core.i18n import _

BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 10
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "afs"}


def is_network_path(path: Path) -> bool:
    """True when `path` lies on a network share (UNC path, mapped network drive, NFS/CIFS)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        drive_remote = 4
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote
    return _mount_fs_type(path) in _NETWORK_FS


def _mount_fs_type(path: Path) -> str:
    """The filesystem type of the mount holding `path` (Linux /proc/mounts; '' elsewhere)."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    target = str(path.resolve())
    best, best_type = "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point, fs_type = fields[1], fields[2]
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, best_type = mount_point, fs_type
    return best_type


def check_local_disk(path: Path) -> None:
    """Refuse a database folder on a network drive with a message that says what to do."""
    if is_network_path(path):
        raise StoreError(
            _(
                "The data folder {path} is on a network drive. The database must stay on this "
                "computer's local disk; choose a local folder (the shared drop folder is set "
                "separately in Settings)."
            ).format(path=path)
        )


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


SERVER_SCHEMES = ("postgresql",)
"""Database servers a city may keep its data on (docs/decisions.md "City office")."""


def normalise_url(url: str) -> str:
    """`postgresql://…` and `postgres://…` mean the psycopg 3 driver; others unchanged."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_server_url(url: str) -> bool:
    """True for a database server (PostgreSQL) rather than an SQLite file."""
    return normalise_url(url).split("+", 1)[0].split(":", 1)[0] in SERVER_SCHEMES


def shown_url(url: str) -> str:
    """The URL as it may appear in a message or a log: any password replaced by ***."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show nothing of it that could hold a secret
        return url.split("@")[-1]


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite connections get the house pragmas on every connect.

    PostgreSQL (`postgresql+psycopg://`) connections are checked before use (a city's
    server may restart under a long-running window) and time out instead of hanging.
    """
    url = normalise_url(url)
    if url.startswith("postgresql"):
        return create_engine(
            url,
            future=True,
            pool_pre_ping=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "mibdesk"},
        )
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_pragmas)
    return engine


def sqlite_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"


def integrity_check(db_path: Path, *, quick: bool = False) -> str:
    """'ok' for a sound SQLite file, otherwise the first problem SQLite reports.

    `quick` runs `quick_check` (no index contents; a third of the time) — used when opening.
    """
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return str(error)
    try:
        pragma = "quick_check" if quick else "integrity_check"
        row = connection.execute(f"PRAGMA {pragma}").fetchone()
        return str(row[0]) if row else "no answer"
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()
