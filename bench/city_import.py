"""Importing a month's packages from 100 counties at the city (issue #7: ≤ 5 s).

A city (Shaoxing's profile: EMP and RES) registers 100 counties' exchange keys the way a
person does (key card noted, fingerprint confirmed: `peers.note_card` + `peers.decide`).
Each county then sends, for October, its monthly report of every scheme (every input line,
township lines for 10 townships) and its fund-use plan for December of every scheme: 400
real signed packages built by the exchange's own outbox (`outbox.queue`, one stream per
county, each county signing with its own key) and published to a drop folder. Timed: one
`sync` at the city, which verifies, orders and applies them all (business rows, ledger and
audit entries, one transaction each). Baseline, in the same run: opening (verifying) the
400 packages without applying them. SQLite by default; `postgresql` runs the city on the
server named by MIBDESK_TEST_PG_URL.

    .venv/bin/python bench/city_import.py [sqlite] [postgresql]

With BENCH_PROFILE=FILE the timed sync runs under cProfile and its statistics go to FILE.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from city_seed import TODAY, county_codes, server_database
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete

from mibdesk.core.catalog import load_profile
from mibdesk.core.db.exchange_models import OutboxEntry
from mibdesk.core.exchange import keys, package
from mibdesk.core.periods import Month
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.security.roles import Role
from mibdesk.core.services import accounts
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.exchange import outbox, peers
from mibdesk.core.services.exchange.context import Me
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import OfficeLevel, SetupRequest, set_up_office
from mibdesk.core.services.store import Store

COUNTIES, TOWNSHIPS = 100, 10
GOAL_S = 5.0
OCTOBER, DECEMBER = Month(2026, 10), Month(2026, 12)
PASSWORD = "Head2026pw"


def run(backend: str) -> None:
    root = Path(tempfile.mkdtemp())
    (root / "drop").mkdir()
    url, drop_db = ("", lambda: None) if backend == "sqlite" else server_database()
    profile = load_profile("shaoxing")

    def setup(folder: Path, level: OfficeLevel, code: str, name: str, url: str = "") -> Store:
        request = SetupRequest(
            level=level,
            profile_id="shaoxing",
            code=code,
            name=name,
            drop_folder=str(root / "drop"),
            users=(NewUser("head", "赵局", Role.HEAD, PASSWORD),),
            database_url=url,
        )
        return set_up_office(folder, request, lambda: TODAY)

    city = setup(root / "city", OfficeLevel.CITY, "330600", "绍兴市医疗保障事务中心", url)
    factory = setup(root / "factory", OfficeLevel.COUNTY, "330699", "青溪县医疗保障事务中心")
    head = accounts.login(city, "head", PASSWORD).value
    codes = county_codes(COUNTIES, "330600")
    counties = [
        Me(code, f"第{n + 1}县医疗保障局", "county", keys.ExchangeKey(Ed25519PrivateKey.generate()))
        for n, code in enumerate(codes)
    ]
    for county in counties:  # each county's card, confirmed after "checking" its fingerprint
        card = peers.my_card(factory, county)
        peers.note_card(city, card, "bench")
        peers.decide(city, head, card.key_id, "active", keys.fingerprint(county.key.public))

    started = time.perf_counter()
    built = delivered = 0
    for county in counties:
        with factory.write() as session:  # one stream per county (the factory signs as it)
            stream = ledger.stream(session, "330600", "out")
            stream.last_sequence, stream.last_manifest = 0, ""
            session.execute(delete(OutboxEntry))  # the previous county's, delivered
        for scheme in profile.schemes:
            values = []
            for n, line in enumerate(ln for ln in scheme.lines if not ln.sum_of):
                units = [""] + (
                    [f"{county.code}{t:03d}" for t in range(1, TOWNSHIPS + 1)]
                    if line.township
                    else []
                )
                values += [
                    {"line": line.code, "unit": unit, "value": 1_000_000 + 7 * n + u}
                    for u, unit in enumerate(units)
                ]
            report = {
                "scheme": scheme.code,
                "period": OCTOBER.to_int(),
                "revision": 0,
                "reason": "",
                "sent_at": "2026-11-09T16:00:00+08:00",
                "values": values,
            }
            subject = {"scheme": scheme.code, "period": OCTOBER.to_int(), "revision": 0}
            outbox.queue(
                factory, "head", "330600", "monthly_report", subject, report, sender=county
            )
            lines = [ln.code for ln in scheme.lines_in("expenditure") if not ln.sum_of]
            plan = {
                "scheme": scheme.code,
                "period": DECEMBER.to_int(),
                "version": 1,
                "submitted_at": "2026-11-20T15:00:00+08:00",
                "lines": [
                    {"line": code, "requested": 5_000_000, "justification": ""} for code in lines
                ],
            }
            subject = {"scheme": scheme.code, "period": DECEMBER.to_int(), "version": 1}
            outbox.queue(factory, "head", "330600", "fund_plan", subject, plan, sender=county)
            built += 2
        delivered += len(outbox.deliver(factory, root / "drop"))
    print(
        f"[{backend}] built and delivered {delivered} packages in "
        f"{time.perf_counter() - started:.1f} s"
    )

    pinned = peers.pinned(city)
    files = sorted((root / "drop").glob("*.mibpkg"))
    started = time.perf_counter()
    for file in files:
        package.open_package(file.read_bytes(), pinned.get)
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):  # a file name: the sync runs under cProfile
        import cProfile

        profiler = cProfile.Profile()
        report = profiler.runcall(sync, city).value
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    else:
        report = sync(city).value
    took = time.perf_counter() - started
    applied = report.count("applied")
    assert applied == built, (applied, built, report.verdicts[:3])
    print(f"[{backend}] baseline, verifying the {len(files)} packages only: {baseline:.2f} s")
    print(
        f"[{backend}] city sync applying {applied} packages from {COUNTIES} counties: "
        f"{took:.2f} s (goal ≤ {GOAL_S:.0f} s; {took / baseline:.1f}x verifying)"
    )
    city.close()
    factory.close()
    drop_db()


def main() -> int:
    backends = sys.argv[1:] or ["sqlite"]
    for backend in backends:
        if backend == "postgresql" and not os.environ.get("MIBDESK_TEST_PG_URL"):
            print("[postgresql] skipped: MIBDESK_TEST_PG_URL is not set")
            continue
        run(backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
