"""A city office with many counties and years of what they sent, for the city benchmarks.

`city_office(backend)` sets up a city (Jilin's profile: six pooled schemes, the most of any
bundled profile) on SQLite in a temporary folder, or on a fresh database of the PostgreSQL
server named by MIBDESK_TEST_PG_URL (dropped by `dispose`). `seed_history` fills it with bulk
`insert()`s: registered counties, and for every county, month and scheme a monthly report
(every input line; township lines for 10 townships) and a fund-use plan with its lines.
Figures are integer arithmetic on the indices, not random: the same data on every run.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import make_url

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.db.engine import make_engine, normalise_url
from mibdesk.core.db.exchange_models import ExchangePeer
from mibdesk.core.db.models import CountyPlan, CountyPlanLine, CountyReport, CountyReportValue
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Role
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.setup import OfficeLevel, SetupRequest, set_up_office
from mibdesk.core.services.store import Store

PROFILE = "jilin"
TODAY = datetime(2026, 11, 23, 9, 30).astimezone()
TOWNSHIPS = 10
BATCH = 20_000


@dataclass
class CityBench:
    store: Store
    profile: Profile
    backend: str
    url: str
    dispose: Callable[[], None]


def county_codes(count: int, city_code: str) -> list[str]:
    """`count` distinct county codes inside the city (xxyy01 … xxyy99, then xxzz..)."""
    prefix = int(city_code[:4])
    return [f"{prefix + n // 99:04d}{n % 99 + 1:02d}" for n in range(count)]


def server_database() -> tuple[str, Callable[[], None]]:
    server = os.environ.get("MIBDESK_TEST_PG_URL", "")
    if not server:
        raise SystemExit("MIBDESK_TEST_PG_URL is not set: no PostgreSQL server to bench on")
    name = f"mibdesk_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(normalise_url(server)).set(database=name).render_as_string(False)

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return url, drop


def city_office(backend: str) -> CityBench:
    profile = load_profile(PROFILE)
    folder = Path(tempfile.mkdtemp()) / "city"
    url, drop = ("", lambda: None) if backend == "sqlite" else server_database()
    request = SetupRequest(
        level=OfficeLevel.CITY,
        profile_id=PROFILE,
        code=profile.city_code,
        name="吉林市医疗保障事务中心",
        drop_folder="",
        users=(NewUser("head", "赵局", Role.HEAD, "Head2026pw"),),
        database_url=url,
    )
    store = set_up_office(folder, request, lambda: TODAY)

    def dispose() -> None:
        store.close()
        drop()

    return CityBench(store, profile, backend, url or f"sqlite:///{folder}/mibdesk.sqlite", dispose)


def _months(years: int) -> list[Month]:
    last = Month.of(TODAY.date()).prev()
    return [last.plus(-n) for n in reversed(range(12 * years))]


def _value(county: int, month: int, line: int, unit: int) -> int:
    return 1_000_000 + ((county * 7919 + month * 104_729 + line * 1_299_709 + unit * 37) % 10**9)


def _batched(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_history(bench: CityBench, counties: int, years: int) -> dict[str, int]:
    """Registered counties and `years` of reports and plans from each: bulk inserts."""
    profile, store = bench.profile, bench.store
    codes = county_codes(counties, profile.city_code)
    months = _months(years)
    plans_for = [m.next() for m in months]
    at = TODAY.isoformat(timespec="seconds")
    counts = {"reports": 0, "values": 0, "plans": 0, "plan_lines": 0}

    def reports() -> Iterator[dict[str, Any]]:
        for c, code in enumerate(codes):
            for m, month in enumerate(months):
                for scheme in profile.schemes:
                    yield {
                        "office": code,
                        "scheme": scheme.code,
                        "period": month.to_int(),
                        "revision": 0,
                        "reason": "",
                        "package_id": uuid.UUID(int=(c << 40) + (m << 8) + len(scheme.code)).hex,
                        "sent_at": f"{month.next().first_day.isoformat()}T09:00:00+08:00",
                        "received_at": f"{month.next().first_day.isoformat()}T10:00:00+08:00",
                    }

    def values(ids: list[int]) -> Iterator[dict[str, Any]]:
        index = 0
        for c in range(len(codes)):
            for m in range(len(months)):
                for scheme in profile.schemes:
                    report_id = ids[index]
                    index += 1
                    for n, line in enumerate(ln for ln in scheme.lines if not ln.sum_of):
                        units = [""]
                        if line.township:
                            units = [f"{codes[c]}{t:03d}" for t in range(1, TOWNSHIPS + 1)]
                        for u, unit in enumerate(units):
                            yield {
                                "report_id": report_id,
                                "line": line.code,
                                "unit": unit,
                                "value": _value(c, m, n, u),
                            }

    with store.write() as session:
        session.execute(
            insert(ExchangePeer),
            [
                {
                    "office": code,
                    "name": f"第{n + 1}县医疗保障局",
                    "level": "county",
                    "key_id": f"{n:016x}",
                    "public_key": "",
                    "pdf_certificate": "",
                    "status": "active",
                    "source": "bench",
                    "found_at": at,
                    "decided_at": at,
                    "decided_by": "bench",
                }
                for n, code in enumerate(codes)
            ],
        )
        ids: list[int] = []
        for batch in _batched(reports()):
            ids.extend(
                session.scalars(
                    insert(CountyReport).returning(CountyReport.id, sort_by_parameter_order=True),
                    batch,
                )
            )
            counts["reports"] += len(batch)

        for batch in _batched(values(ids)):
            session.execute(insert(CountyReportValue), batch)
            counts["values"] += len(batch)
        plan_ids = _seed_plans(session, profile, codes, plans_for, at, counts)
        counts["plan_ids"] = len(plan_ids)
    return counts


def _seed_plans(
    session: Any,
    profile: Profile,
    codes: list[str],
    months: list[Month],
    at: str,
    counts: dict[str, int],
) -> list[int]:
    def plans() -> Iterator[dict[str, Any]]:
        for c, code in enumerate(codes):
            for m, month in enumerate(months):
                for scheme in profile.schemes:
                    yield {
                        "office": code,
                        "scheme": scheme.code,
                        "period": month.to_int(),
                        "version": 1,
                        "status": "disbursed" if m < len(months) - 1 else "submitted",
                        "package_id": uuid.UUID(int=(c << 40) + (m << 8) + 99).hex,
                        "pdf_file": "payload/plan.pdf",
                        "submitted_at": f"{month.prev().first_day.isoformat()}T09:00:00+08:00",
                        "received_at": at,
                        "decision_note": "",
                    }

    ids: list[int] = []
    for batch in _batched(plans()):
        ids.extend(
            session.scalars(
                insert(CountyPlan).returning(CountyPlan.id, sort_by_parameter_order=True), batch
            )
        )
        counts["plans"] += len(batch)

    lines = {
        s.code: [ln.code for ln in s.lines_in("expenditure") if not ln.sum_of][:8]
        for s in profile.schemes
    }
    schemes = [s.code for s in profile.schemes]

    def plan_lines() -> Iterator[dict[str, Any]]:
        for index, plan_id in enumerate(ids):
            for n, line in enumerate(lines[schemes[index % len(schemes)]]):
                requested = 5_000_000 + (index * 31 + n * 7) % 10**8
                yield {
                    "plan_id": plan_id,
                    "line": line,
                    "requested": requested,
                    "justification": "",
                    "approved": requested,
                    "decision_reason": "",
                }

    for batch in _batched(plan_lines()):
        session.execute(insert(CountyPlanLine), batch)
        counts["plan_lines"] += len(batch)
    return ids
