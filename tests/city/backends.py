"""The databases a city test runs on: SQLite (always) and a real PostgreSQL server.

The server is named by MIBDESK_TEST_PG_URL (tools/dev.sh starts a throwaway cluster and sets
it). Without it, or when the server cannot be reached, PostgreSQL tests are skipped with the
reason; under CI (CI=true) they fail instead, so that a CI run never passes without them.
Each test gets its own database, copied from a template (CREATE DATABASE … TEMPLATE).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from mibdesk.core.db.engine import make_engine, normalise_url

PG_ENV = "MIBDESK_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


@cache
def server_problem() -> str:
    """Why PostgreSQL tests cannot run here ('' when they can)."""
    url = os.environ.get(PG_ENV, "")
    if not url:
        return f"{PG_ENV} is not set (tools/dev.sh test starts a PostgreSQL server and sets it)"
    try:
        with _admin().connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as error:  # any failure to connect: say why, once
        return f"PostgreSQL at {PG_ENV} is not reachable: {str(error).splitlines()[0]}"
    return ""


def require_server() -> None:
    """Skip (locally) or fail (under CI) when there is no PostgreSQL server."""
    problem = server_problem()
    if problem and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the PostgreSQL tests: {problem}")
    if problem:
        pytest.skip(problem)


@cache
def _admin() -> Engine:
    return make_engine(os.environ[PG_ENV]).execution_options(isolation_level="AUTOCOMMIT")


def database_url(name: str) -> str:
    """The URL of database `name` on the test server (psycopg 3 driver)."""
    url = make_url(normalise_url(os.environ[PG_ENV])).set(database=name)
    return url.render_as_string(hide_password=False)


def create_database(template: str = "") -> str:
    """A new, empty database (or a copy of `template`); returns its name."""
    name = f"mibdesk_t_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with _admin().connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
    return name


def drop_database(name: str) -> None:
    with _admin().connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_url(backend: str, sqlite_path: str) -> Iterator[str]:
    """A URL for an empty database on `backend`, removed afterwards (SQLite: the file)."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_path}"
        return
    require_server()
    name = create_database()
    try:
        yield database_url(name)
    finally:
        drop_database(name)
