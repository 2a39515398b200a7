"""What a database error means to the user when the cause is the computer's, not the
program's: the disk full, the disk failing, the database busy or read-only.

SQLite reports these by result code (`sqlite_errorcode`, its low byte the primary code);
PostgreSQL's full disk is SQLSTATE 53100. Each becomes a `StoreError` saying, in Chinese,
that nothing of the change was saved (the transaction was rolled back whole) and what to do;
any other database error is left as it is (a bug, reported with its traceback).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from mibdesk.core.errors import StoreError
from mibdesk.core.i18n import _

PG_DISK_FULL = "53100"


def storage_problem(error: DBAPIError) -> StoreError | None:
    """The user's message for `error`, or None when it is not one of these causes."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == sqlite3.SQLITE_FULL or getattr(error.orig, "sqlstate", None) == PG_DISK_FULL:
        return StoreError(
            _(
                "The disk holding the office's database is full: nothing of this change was "
                "saved. Free some space on it, then try again."
            )
        )
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(
            _(
                "The office's database could not be read or written ({detail}): nothing of "
                "this change was saved. Check the disk, then try again."
            ).format(detail=getattr(error.orig, "sqlite_errorname", "I/O"))
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            _(
                "The office's database is busy (another program, such as a backup, is using "
                "it): nothing of this change was saved. Try again in a moment."
            )
        )
    if primary == sqlite3.SQLITE_READONLY:
        return StoreError(
            _(
                "The office's database file cannot be written (read-only): nothing of this "
                "change was saved. Check the data folder's permissions."
            )
        )
    return None
