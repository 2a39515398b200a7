"""Opening an office's database: checks, verified backup, migrations, one session per write.

`open_store` refuses a network folder, a damaged file (naming the last good backup) and a
schema newer than the program; it backs up before migrating. The UI and the CLI both open
offices through here.

A city may keep its database on a PostgreSQL server: the data folder (keys, exchange files,
logs, the writer lock) stays local and `database-url.txt` in it names the server database
(written at set-up from `SetupRequest.database_url` or the MIBDESK_DATABASE_URL variable).
The server's backups are its administrator's (pg_dump); the program's file backups and its
integrity check are for SQLite only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from mibdesk.core.db import migrate
from mibdesk.core.db.engine import (
    check_local_disk,
    integrity_check,
    is_server_url,
    make_engine,
    shown_url,
    sqlite_url,
)
from mibdesk.core.db.storage_errors import storage_problem
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
    _kept: ContextVar[Session | None] = field(init=False, repr=False)
    _writer: OfficeLock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._open = ContextVar(f"store-{id(self)}", default=None)
        self._kept = ContextVar(f"store-kept-{id(self)}", default=None)
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
        and its audit entries together, or none of them. A full or failing disk, or a busy or
        read-only database, comes out as a `StoreError` in plain words (`storage_problem`).
        """
        current = self._open.get()
        if current is not None:
            yield current
            return
        self._writer.acquire()
        try:
            yield from self._transaction()
        except DBAPIError as error:  # the disk full or failing, the database busy: say so
            problem = storage_problem(error)
            if problem is None:
                raise
            raise problem from error

    def _transaction(self) -> Iterator[Session]:
        kept = self._idle_kept()
        if kept is None:
            with self._sessions.begin() as session:
                yield from self._joined(session)
            return
        try:
            with kept.begin():
                yield from self._joined(kept)
        finally:
            kept.expunge_all()  # what the block loaded leaves, as a closed session's would

    def _joined(self, session: Session) -> Iterator[Session]:
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
        kept = self._idle_kept()
        if kept is None:
            with self._sessions() as session:
                yield session
            return
        try:
            yield kept
        finally:
            kept.expunge_all()
            kept.rollback()  # ends the read's transaction (nothing was written)

    @contextmanager
    def one_connection(self) -> Iterator[None]:
        """Within the block, this thread's reads and writes go through one connection,
        each write still its own transaction: for a run of many small transactions (an
        import applies one per package), which would otherwise each take a connection
        from the pool and give it back."""
        if self._kept.get() is not None:
            yield
            return
        with (
            self.engine.connect() as connection,
            Session(bind=connection, expire_on_commit=False) as session,
        ):
            token = self._kept.set(session)
            try:
                yield
            finally:
                self._kept.reset(token)

    def _idle_kept(self) -> Session | None:
        """The session `one_connection` keeps, when no read holds it open."""
        kept = self._kept.get()
        return kept if kept is not None and not kept.in_transaction() else None

    @property
    def on_server(self) -> bool:
        """True when the database is a server's (PostgreSQL), not the local SQLite file."""
        return self.engine.dialect.name != "sqlite"

    def close(self) -> None:
        self.engine.dispose()
        self._writer.release()


DATABASE_URL_ENV = "MIBDESK_DATABASE_URL"


def office_exists(data_dir: Path) -> bool:
    paths = DataPaths(data_dir)
    return paths.database.exists() or paths.database_url_file.exists()


def database_url(paths: DataPaths) -> str:
    """The office's database: the server named in `database-url.txt`, else the SQLite file."""
    if paths.database_url_file.exists():
        return paths.database_url_file.read_text(encoding="utf-8").strip()
    return sqlite_url(paths.database)


def _unreachable(url: str, error: DBAPIError) -> StoreError:
    detail = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    return StoreError(
        _(
            "Cannot use the database server {url}: {detail}. Check that the server is running "
            "and that this computer may connect to it; nothing has been changed."
        ).format(url=shown_url(url), detail=detail[:300])
    )


def _server_holds_office(engine: Engine) -> bool:
    if migrate.current_revision(engine) is None:
        return False
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM office")).scalar_one()) > 0


def create_store(data_dir: Path, *, clock: Clock = system_clock, database_url: str = "") -> Store:
    """A new, empty database at the current schema (the caller fills in the office).

    `database_url`: a PostgreSQL database for the office (empty: the local SQLite file);
    it must not hold an office yet. Its URL is recorded in the data folder once migrated.
    """
    paths = DataPaths(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    check_local_disk(data_dir)
    if office_exists(data_dir):
        raise StoreError(
            _("The folder {path} already holds an office; choose an empty folder.").format(
                path=data_dir
            )
        )
    url = database_url.strip() or sqlite_url(paths.database)
    engine = make_engine(url)
    store = Store(paths, engine, clock)
    try:
        store.claim_writer()
        if store.on_server and _server_holds_office(engine):
            raise StoreError(
                _(
                    "The database {url} already holds an office. Give an empty database for "
                    "the new office."
                ).format(url=shown_url(url))
            )
        migrate.upgrade(engine)
        if store.on_server:
            _write_url(paths, url)
    except DBAPIError as error:
        store.close()
        raise _unreachable(url, error) from error
    except Exception:
        store.close()
        raise
    return store


def _write_url(paths: DataPaths, url: str) -> None:
    """Record the server URL (it may carry a password: readable by this user only)."""
    temp = paths.database_url_file.with_suffix(".tmp")
    temp.write_text(url + "\n", encoding="utf-8")
    temp.chmod(0o600)
    temp.replace(paths.database_url_file)


def open_store(
    data_dir: Path,
    *,
    clock: Clock = system_clock,
    backup_before_migration: Callable[[Store], object] | None = None,
) -> Store:
    """Open an existing office; migrate after `backup_before_migration` when the schema is old."""
    paths = DataPaths(data_dir)
    check_local_disk(data_dir)
    if not office_exists(data_dir):
        raise NotSetUpError(_("No office has been set up in {path} yet.").format(path=data_dir))
    url = database_url(paths)
    if is_server_url(url):
        return _open_server(paths, url, clock)
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


def _open_server(paths: DataPaths, url: str, clock: Clock) -> Store:
    """Open an office whose database is on a server: reachable, set up, not newer; migrated
    without a file backup (the server's administrator backs it up, docs/decisions.md)."""
    store = Store(paths, make_engine(url), clock)
    try:
        if migrate.current_revision(store.engine) is None:
            raise StoreError(
                _(
                    "The database {url} named in {file} holds no office. Check the address, "
                    "or set the office up again in an empty folder."
                ).format(url=shown_url(url), file=paths.database_url_file)
            )
        if migrate.needs_upgrade(store.engine):
            store.claim_writer()
            migrate.upgrade(store.engine)
    except DBAPIError as error:
        store.close()
        raise _unreachable(url, error) from error
    except Exception:
        store.close()
        raise
    return store
