"""Work run in child processes (killed, or racing each other) by the kill and concurrency
tests. Children come from a fork server that has imported mibdesk once, so that starting
one costs milliseconds, not the second a fresh interpreter needs."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from multiprocessing.context import ForkServerContext
from pathlib import Path

from exchange_kit import adjust, township_data
from exchange_offices import COUNTY, Office
from helpers import CHINA

from mibdesk.core.security.roles import Actor
from mibdesk.core.services.exchange import outbox
from mibdesk.core.services.exchange.context import drop_folder
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.store import Store, open_store

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)


def children() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    # The heavy imports, by their installed names: before 3.12 the fork server ignores
    # the tests' additions to sys.path (each child applies them, and imports this module).
    context.set_forkserver_preload(
        ["mibdesk.core.services.exchange.sync", "mibdesk.core.services.exchange.sending_city"]
    )
    return context


def _open(folder: str) -> Store:
    return open_store(Path(folder), clock=lambda: NOW)


def send_adjustments(folder: str, head: Actor, last: int) -> None:
    """The city sends adjustments 1 … `last` (resuming after the last one it queued)."""
    store = _open(folder)
    city = Office(store, head)
    done = sum(1 for sent in outbox.sent_packages(store) if sent.kind == "quota") - 1
    for number in range(done + 1, last + 1):
        adjust(city, number)
    sync(store)  # delivers what an earlier, killed run left waiting
    store.close()


def send_township_figures(folder: str, head: Actor, count: int) -> None:
    """The township sends its October figure `count` times (values 1 … count)."""
    store = _open(folder)
    folder_of_drop = drop_folder(store)
    assert folder_of_drop is not None
    for value in range(1, count + 1):
        outbox.queue(
            store,
            head.username,
            COUNTY,
            "township_figures",
            {"scheme": "RES", "period": 202610},
            township_data(value),
        )
        outbox.deliver(store, folder_of_drop)
    store.close()


def import_all(folder: str) -> None:
    """The county syncs until nothing new is left."""
    store = _open(folder)
    while sync(store).value.verdicts:
        pass
    store.close()


def run_and_kill(
    target: Callable[..., None],
    args: tuple[object, ...],
    progress: Callable[[], int],
    rng: random.Random,
) -> bool:
    """Run `target` in a child process and SIGKILL it in the middle of its work: once
    `progress()` (a count of files it wrote) has grown by 1 or 2, plus a random part of the
    few milliseconds one step takes. True if it was killed, False if it finished first."""
    goal = progress() + rng.randint(1, 2)
    child = children().Process(target=target, args=args)
    child.start()
    deadline = time.monotonic() + 60
    while child.is_alive() and progress() < goal and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.005))
    killed = child.is_alive()
    if killed:
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert killed or child.exitcode == 0, child.exitcode
    return killed


def files_in(folder: Path) -> Callable[[], int]:
    return lambda: sum(1 for _path in folder.glob("*.mibpkg")) if folder.is_dir() else 0


def files_kept(database: Path) -> Callable[[], int]:
    """How many received files the office's database keeps (committed), read as another
    process would."""

    def count() -> int:
        try:
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.01)
            try:
                return int(
                    connection.execute("SELECT count(*) FROM exchange_inbox_file").fetchone()[0]
                )
            finally:
                connection.close()
        except sqlite3.Error:
            return 0

    return count


def run_together(*jobs: tuple[Callable[..., None], tuple[object, ...]]) -> float:
    """Run the jobs in parallel child processes; every one must succeed. Returns seconds."""
    start = time.perf_counter()
    running = [children().Process(target=target, args=args) for target, args in jobs]
    for child in running:
        child.start()
    for child in running:
        child.join()
        assert child.exitcode == 0, child.exitcode
    return time.perf_counter() - start
