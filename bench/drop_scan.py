"""Scanning a busy drop folder: 10,000 package files addressed to the city, of which the city
has seen 9,990; 10 are new (real monthly reports from a county).

Measured, on fresh copies: finding the new files as sync does (list the folder, match the
names, compare with the seen-file ledger), and a whole `sync` (find, import and apply the 10,
acknowledge). Baseline, same run, same folder: `os.scandir` and a set difference against the
seen names read with sqlite3. Several runs each, medians.
Goal (issue #6): the scan < 1 s.

    .venv/bin/python bench/drop_scan.py [RUNS]
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from exchange_offices import CITY, city_copy, linked_pair, monthly_reports

FILES = 10_000
NEW = 10
OTHER_COUNTY = "330698"


def fill(city: Path, drop: Path, county: Path) -> None:
    """9,990 old files (seen by the city) and 10 new packages, all addressed to the city."""
    from mibdesk.core.exchange.drop import package_name
    from mibdesk.core.repos import exchange as ledger
    from mibdesk.core.services.store import open_store

    seen = {}
    for number in range(1, FILES - NEW + 1):
        name = package_name(OTHER_COUNTY, CITY, number, f"{number:032x}")
        (drop / name).write_bytes(b"an old package, long since imported")
        seen[name] = (drop / name).stat().st_size
    for name, data in monthly_reports(county, NEW):
        (drop / name).write_bytes(data)
    store = open_store(city)
    with store.write() as session:
        ledger.mark_seen_many(session, seen)
    store.close()


def baseline(drop: Path, database: Path) -> int:
    connection = sqlite3.connect(database)
    seen = {name for (name,) in connection.execute("SELECT name FROM exchange_seen_file")}
    connection.close()
    names = {entry.name for entry in os.scandir(drop) if entry.name.endswith(".mibpkg")}
    return len(names - seen)


def find_new(city: Path) -> tuple[float, int]:
    """Seconds to find the new files as sync does, and how many it found."""
    from mibdesk.core.services.exchange.context import me
    from mibdesk.core.services.exchange.sync import _new_packages
    from mibdesk.core.services.store import open_store

    store = open_store(city)
    office = me(store)
    folder = city.parent / "drop"
    start = time.perf_counter()
    found = _new_packages(store, office, folder)
    seconds = time.perf_counter() - start
    store.close()
    return seconds, len(found)


def whole_sync(city: Path) -> tuple[float, int]:
    from mibdesk.core.services.exchange.sync import sync
    from mibdesk.core.services.store import open_store

    store = open_store(city)
    start = time.perf_counter()
    report = sync(store).value
    seconds = time.perf_counter() - start
    store.close()
    return seconds, report.count("applied")


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        city, county, drop = linked_pair(root / "template")
        fill(city, drop, county)
        scans, syncs, raws = [], [], []
        for run in range(runs):
            copy = root / f"run{run}"
            copied_city = city_copy(root / "template", copy)
            start = time.perf_counter()
            raw_new = baseline(copy / "drop", copied_city / "mibdesk.sqlite")
            raws.append(time.perf_counter() - start)
            seconds, found = find_new(copied_city)
            scans.append(seconds)
            seconds, applied = whole_sync(copied_city)
            syncs.append(seconds)
            if (raw_new, found, applied) != (NEW, NEW, NEW):
                raise SystemExit(f"baseline {raw_new}, found {found}, applied {applied}")
    scan, raw, whole = (statistics.median(t) for t in (scans, raws, syncs))
    print(f"{FILES:,} files in the drop, {NEW} new")
    print(f"baseline (os.scandir + set difference): {raw * 1000:.0f} ms")
    print(f"mibdesk finding the new files: {scan * 1000:.0f} ms (goal < 1000 ms)")
    print(f"ratio: {scan / raw:.2f}")
    print(f"mibdesk whole sync (find, import and apply {NEW}, acknowledge): {whole * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
