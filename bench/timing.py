"""What the benchmarks share: a median timer and the ten-year demo office they run on."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts, demo
from mibdesk.core.services.store import Store, open_store

TODAY = datetime(2026, 11, 23, 9, 30).astimezone()


def timed_ms(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def median_ms(work: Callable[[], object], runs: int = 15) -> float:
    return statistics.median(timed_ms(work) for _run in range(runs))


def ten_year_office() -> tuple[Path, Store, Profile, Actor]:
    """A demo office with 10 years of history, opened as its head, today = TODAY."""
    folder = Path(tempfile.mkdtemp()) / "office"
    demo.create_demo_office(folder, lambda: TODAY, years=10)
    store = open_store(folder, clock=lambda: TODAY)
    return folder, store, load_profile(demo.DEMO_PROFILE), accounts.demo_login(store).value
