"""What the benchmarks share: a median timer, the ten-year demo office they run on, and the
clock from a program's spawn to its first window."""

from __future__ import annotations

import os
import statistics
import subprocess
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


def spawn_to_window(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds from spawn to the window shown and to 'ready', and the child's peak RSS in KB.

    The child prints `shown <epoch>` and, optionally, `ready <epoch>` (the first screen's data
    in place), as `mibdesk --smoke` does; a child that prints neither fails the benchmark.
    """
    start = time.time()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout is not None
    marks: dict[str, float] = {}
    for line in child.stdout:
        name, _sep, stamp = line.partition(" ")
        if name in ("shown", "ready"):
            marks[name] = float(stamp)
    _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0 or "shown" not in marks:
        raise SystemExit(f"{command[:3]} failed (status {status})")
    shown = marks["shown"] - start
    return shown, marks.get("ready", marks["shown"]) - start, usage.ru_maxrss
