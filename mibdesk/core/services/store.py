"""Opening an office's database: checks, verified backup, migrations, one session per write.

`open_store` refuses a network folder, a damaged file (naming the last good backup) and a
schema newer than the program; it backs up before migrating. The UI and the CLI both open
offices through here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mibdesk.core.db import migrate
from mibdesk.core.db.engine import check_local_disk, integrity_check, make_engine, sqlite_url
from mibdesk.core.errors import StoreError
from mibdesk.core.i18n import _
from mibdesk.core.paths import DataPaths
from mibdesk.core.services.clock import Clock, system_clock
from mibdesk.core.services.office_lock import OfficeLock


class NotSetUpError(StoreError):
    """The data folder holds no office yet: the setup wizard (or `init`) comes first."""


class CorruptDatabaseError(StoreError):
    """The database file fails `integrity_check`; it is left untouched for a restore."""

    def __init__(self, message: str, *, last_good_backup: Path | None) -> None:
        super().__init__(message)
        self.last_good_backup = last_good_backup


@dataclass
class Store:
    """An open office database. Services take it as their first argument."""

    paths: DataPaths
    engine: Engine
    clock: Clock = system_clock
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _open: ContextVar[Session | None] = field(init=False, repr=False)
    _writer: OfficeLock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._open = ContextVar(f"store-{id(self)}", default=None)
        self._writer = OfficeLock(self.paths)

    def claim_writer(self) -> None:
        """Hold the office's writer lock until `close`; `OfficeInUseError` while another
        process holds it (see office_lock). The first `write` claims it by itself."""
        self._writer.acquire()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed whole when the block ends, rolled back on any error.

        A `write` (or `read`) inside another `write` joins the outer transaction, so that a
        package import can run the ordinary services and commit their work, its ledger entry
        and its audit entries together, or none of them.
        """
        current = self._open.get()
        if current is not None:
            yield current
            return
        self._writer.acquire()
        with self._sessions.begin() as session:
            token = self._open.set(session)
            try:
                yield session
            finally:
                self._open.reset(token)

    @contextmanager
    def read(self) -> Iterator[Session]:
        current = self._open.get()
        if current is not None:
            yield current
            return
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        self._writer.release()


def office_exists(data_dir: Path) -> bool:
    return DataPaths(data_dir).database.exists()


def create_store(data_dir: Path, *, clock: Clock = system_clock) -> Store:
    """A new, empty database at the current schema (the caller fills in the office)."""
    paths = DataPaths(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    check_local_disk(data_dir)
    if paths.database.exists():
        raise StoreError(
            _("The folder {path} already holds an office; choose an empty folder.").format(
                path=data_dir
            )
        )
    engine = make_engine(sqlite_url(paths.database))
    store = Store(paths, engine, clock)
    try:
        store.claim_writer()
        migrate.upgrade(engine)
    except Exception:
        store.close()
        raise
    return store


def open_store(
    data_dir: Path,
    *,
    clock: Clock = system_clock,
    backup_before_migration: Callable[[Store], object] | None = None,
) -> Store:
    """Open an existing office; migrate after `backup_before_migration` when the schema is old."""
    paths = DataPaths(data_dir)
    check_local_disk(data_dir)
    if not paths.database.exists():
        raise NotSetUpError(_("No office has been set up in {path} yet.").format(path=data_dir))
    verdict = integrity_check(paths.database, quick=True)
    if verdict != "ok":
        from mibdesk.core.services.backup import latest_good_backup

        backup = latest_good_backup(paths)
        hint = (
            _("The last good backup is {name}; a head can restore it.").format(name=backup.name)
            if backup
            else _("No backup was found; contact support before doing anything else.")
        )
        raise CorruptDatabaseError(
            _("The database {path} is damaged ({detail}). Nothing has been changed. {hint}").format(
                path=paths.database, detail=verdict, hint=hint
            ),
            last_good_backup=backup,
        )
    engine = make_engine(sqlite_url(paths.database))
    store = Store(paths, engine, clock)
    try:
        if migrate.needs_upgrade(engine):
            store.claim_writer()
            if backup_before_migration is not None:
                backup_before_migration(store)
            migrate.upgrade(engine)
    except Exception:
        store.close()
        raise
    return store
