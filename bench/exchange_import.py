"""Importing 1,000 packages: a city's `sync` over a drop holding 1,000 monthly reports from a
county (40 values each), against a baseline that does only the raw work on the same files.

Baseline, measured in the same run on the same files: for each file, read it, hash it, open
the zip (zipfile), hash each member (hashlib), parse manifest and payload (json), and insert
the package row, the report row and its values into SQLite (sqlite3, with the app's WAL and
synchronous=FULL), one transaction per package as the importer commits. Not done by the
baseline: signature checks, strict parsing, ordering, the ledger, audit, acknowledgement.
Several runs each on fresh copies, medians. Goal (issue #6): ratio <= 3.

    .venv/bin/python bench/exchange_import.py [RUNS] [PACKAGES]
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from exchange_offices import CITY, city_copy, linked_pair, monthly_reports

timings: list[float] = []  # seconds of each mibdesk run (the sync alone, not opening)

BASELINE_SCHEMA = """
CREATE TABLE package (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, package_id TEXT,
    sender TEXT, sequence INTEGER, kind TEXT, manifest TEXT);
CREATE TABLE report (id INTEGER PRIMARY KEY, package INTEGER REFERENCES package(id),
    scheme TEXT, period INTEGER, revision INTEGER);
CREATE TABLE report_value (id INTEGER PRIMARY KEY, report INTEGER REFERENCES report(id),
    line TEXT, unit TEXT, value INTEGER);
"""


def baseline(drop: Path, database: Path) -> int:
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.executescript(BASELINE_SCHEMA)
    count = 0
    for path in sorted(drop.glob(f"mibdesk_*_to_{CITY}_*.mibpkg")):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
        for content in members.values():
            hashlib.sha256(content).hexdigest()
        manifest = json.loads(members["manifest.json"])
        report = json.loads(members["payload/data.json"])
        connection.execute("BEGIN")
        package_row = connection.execute(
            "INSERT INTO package (sha256, package_id, sender, sequence, kind, manifest) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                digest,
                manifest["package_id"],
                manifest["sender"]["office"],
                manifest["sequence"],
                manifest["kind"],
                members["manifest.json"],
            ),
        ).lastrowid
        report_row = connection.execute(
            "INSERT INTO report (package, scheme, period, revision) VALUES (?, ?, ?, ?)",
            (package_row, report["scheme"], report["period"], report["revision"]),
        ).lastrowid
        connection.executemany(
            "INSERT INTO report_value (report, line, unit, value) VALUES (?, ?, ?, ?)",
            [(report_row, v["line"], v["unit"], v["value"]) for v in report["values"]],
        )
        connection.execute("COMMIT")
        count += 1
    connection.close()
    return count


def mibdesk(city: Path) -> int:
    from mibdesk.core.services.exchange.sync import sync
    from mibdesk.core.services.store import open_store

    store = open_store(city)
    start = time.perf_counter()
    report = sync(store).value
    timings.append(time.perf_counter() - start)
    store.close()
    if report.problem:
        raise SystemExit(report.problem)
    return report.count("applied")


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _city, county, drop = linked_pair(root / "template")
        start = time.perf_counter()
        packages = monthly_reports(county, count)
        for name, data in packages:
            (drop / name).write_bytes(data)
        size = sum(len(data) for _name, data in packages)
        print(
            f"built {count:,} packages ({size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s"
        )
        ours: list[float] = timings
        theirs: list[float] = []
        for run in range(runs):
            copy = root / f"run{run}"
            copied_city = city_copy(root / "template", copy)
            start = time.perf_counter()
            baseline_count = baseline(copy / "drop", copy / "baseline.sqlite")
            theirs.append(time.perf_counter() - start)
            applied = mibdesk(copied_city)
            if (applied, baseline_count) != (count, count):
                raise SystemExit(f"applied {applied}, baseline {baseline_count}, of {count}")
    mine, base = statistics.median(ours), statistics.median(theirs)
    print(f"baseline (zipfile + hashlib + json + sqlite3): {base:.2f} s")
    print(f"mibdesk sync (verify, order, apply, ledger, audit, ack): {mine:.2f} s")
    print(f"per package: {mine / count * 1000:.1f} ms against {base / count * 1000:.1f} ms")
    print(f"ratio: {mine / base:.2f} (goal <= 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
