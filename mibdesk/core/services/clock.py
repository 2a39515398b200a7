"""The one clock services read, so that tests can set the time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Local time with its UTC offset."""
    return datetime.now().astimezone()


def stamp(moment: datetime) -> str:
    """ISO 8601 with seconds and offset, as stored in the database."""
    return moment.isoformat(timespec="seconds")
