"""Values and builders the tests share (imported by name; fixtures live in conftest.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import event

from mibdesk.core.security.roles import Role
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.setup import OfficeLevel, SetupRequest
from mibdesk.core.services.store import Store

CHINA = timezone(timedelta(hours=8))
DEMO_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)  # "today" in the demo office tests
HEAD_PASSWORD = "Head2026pw"
PREPARER_PASSWORD = "Prep2026pw"
REVIEWER_PASSWORD = "Revw2026pw"


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def county_request(**changes: Any) -> SetupRequest:
    base = SetupRequest(
        level=OfficeLevel.COUNTY,
        profile_id="shaoxing",
        code="330699",
        name="青溪县医疗保障事务中心",
        drop_folder="",
        users=(
            NewUser("zhangli", "张丽", Role.HEAD, HEAD_PASSWORD),
            NewUser("liuqiang", "刘强", Role.REVIEWER, REVIEWER_PASSWORD),
            NewUser("wangfang", "王芳", Role.PREPARER, PREPARER_PASSWORD),
        ),
    )
    return replace(base, **changes)


_HOLDER = """
import sys
from pathlib import Path
from mibdesk.core.paths import DataPaths
from mibdesk.core.services.office_lock import OfficeLock
OfficeLock(DataPaths(Path(sys.argv[1]))).acquire()
print("held", flush=True)
sys.stdin.read()
"""


@contextmanager
def office_held_elsewhere(data_dir: Path) -> Iterator[int]:
    """Another process holds the office's writer lock (as an open mibdesk would); its pid."""
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "held"
        yield child.pid
    finally:
        child.stdin.close()
        child.wait(30)


def cap_database(store: Store, extra_pages: int | None) -> None:
    """Make the database unable to grow past its size plus `extra_pages` (as a full disk
    does; SQLite answers SQLITE_FULL), or lift the cap (None)."""
    with store.engine.connect() as connection:
        pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar() or 0)
    limit = 2**31 - 2 if extra_pages is None else pages + extra_pages

    def cap(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={limit}")

    event.listen(store.engine, "connect", cap)
    store.engine.dispose()  # every connection from now on is capped (or not)
