"""A city and its counties for the city tests: one city (on SQLite or PostgreSQL), two
registered counties and one county the city never registered, sharing a drop folder.

The world is set up once per backend (slow: accounts, migrations, keys) and copied for each
test: the SQLite files and data folders with shutil, the city's PostgreSQL database with
CREATE DATABASE … TEMPLATE. Counties send with the exchange's own outbox (`outbox.queue`),
exactly the payloads their send_monthly_report / send_plan build.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from backends import create_database, database_url, drop_database
from exchange_offices import Office, register_all
from helpers import HEAD_PASSWORD, FakeClock, county_request

from mibdesk.core.catalog import Profile
from mibdesk.core.paths import DataPaths
from mibdesk.core.periods import Month
from mibdesk.core.repos import office as office_repo
from mibdesk.core.services import accounts
from mibdesk.core.services.exchange import outbox
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.setup import OfficeLevel, set_up_office
from mibdesk.core.services.store import open_store

CITY = "330600"
NORTH, SOUTH, STRANGER = "330602", "330603", "330604"
NAMES = {
    CITY: "绍兴市医疗保障事务中心",
    NORTH: "北城区医疗保障局",
    SOUTH: "南湖县医疗保障局",
    STRANGER: "西山县医疗保障局",
}


@dataclass
class World:
    backend: str
    city: Office
    north: Office
    south: Office
    stranger: Office  # a county whose key the city has not registered
    drop: Path
    database: str  # the city's PostgreSQL database ('' on SQLite)
    profile: Profile

    def close(self) -> None:
        for office in (self.city, self.north, self.south, self.stranger):
            office.store.close()
        if self.database:
            drop_database(self.database)


def _office(
    root: Path, drop: Path, clock: FakeClock, level: OfficeLevel, code: str, url: str
) -> Office:
    townships = ((f"{code}001", "东浦街道"), (f"{code}002", "西湖镇")) if level == "county" else ()
    request = county_request(
        level=level,
        code=code,
        name=NAMES[code],
        drop_folder=str(drop),
        townships=townships,
        database_url=url,
    )
    store = set_up_office(root / code, request, clock)
    return Office(store, accounts.login(store, "zhangli", HEAD_PASSWORD).value)


def build_template(root: Path, backend: str, clock: FakeClock) -> str:
    """Set up the world in `root` (closed afterwards); returns the city's template database."""
    drop = root / "drop"
    drop.mkdir(parents=True)
    database = create_database() if backend == "postgresql" else ""
    city = _office(
        root, drop, clock, OfficeLevel.CITY, CITY, database_url(database) if database else ""
    )
    north, south, stranger = (
        _office(root, drop, clock, OfficeLevel.COUNTY, code, "")
        for code in (NORTH, SOUTH, STRANGER)
    )
    register_all(city, north, south)
    for county in (stranger,):
        sync(county.store)  # its key card lies in the drop; the city never registers it
    for office in (city, north, south, stranger):
        office.store.close()
    return database


def open_world(
    template: Path, database: str, backend: str, target: Path, clock: FakeClock
) -> World:
    shutil.copytree(template, target)
    drop = target / "drop"
    copy = ""
    if backend == "postgresql":
        copy = create_database(template=database)
        DataPaths(target / CITY).database_url_file.write_text(database_url(copy), encoding="utf-8")
    offices = []
    for code in (CITY, NORTH, SOUTH, STRANGER):
        store = open_store(target / code, clock=clock)
        with store.write() as session:
            office_repo.put_setting(session, "drop_folder", json.dumps(str(drop)))
        offices.append(Office(store, accounts.login(store, "zhangli", HEAD_PASSWORD).value))
    city, north, south, stranger = offices
    return World(backend, city, north, south, stranger, drop, copy, office_profile(city.store))


def send_report(
    county: Office,
    scheme: str,
    month: Month,
    values: Mapping[tuple[str, str], int],
    *,
    sent_at: str,
    revision: int = 0,
    reason: str = "",
) -> str:
    """The county's monthly report (or amendment) as send_monthly_report builds it; returns
    the package id. `values`: (line, unit) → value, unit '' for the county itself."""
    data = {
        "scheme": scheme,
        "period": month.to_int(),
        "revision": revision,
        "reason": reason,
        "sent_at": sent_at,
        "values": [
            {"line": line, "unit": unit, "value": v} for (line, unit), v in sorted(values.items())
        ],
    }
    subject: dict[str, str | int] = {
        "scheme": scheme,
        "period": month.to_int(),
        "revision": revision,
    }
    sent = outbox.queue(county.store, county.head.username, CITY, "monthly_report", subject, data)
    sync(county.store)
    return sent.package_id


def send_plan(
    county: Office,
    scheme: str,
    month: Month,
    lines: Mapping[str, int],
    *,
    submitted_at: str,
    version: int = 1,
    pdf: bytes = b"",
) -> str:
    """The county's fund-use plan (line → requested fen) as send_plan builds it, with its
    signed PDF when `pdf` is given."""
    data: dict[str, object] = {
        "scheme": scheme,
        "period": month.to_int(),
        "version": version,
        "submitted_at": submitted_at,
        "lines": [
            {"line": line, "requested": amount, "justification": "按序时进度测算"}
            for line, amount in lines.items()
        ],
    }
    attachments = {"payload/plan.pdf": pdf} if pdf else {}
    if pdf:
        data["pdf"] = "payload/plan.pdf"
    subject: dict[str, str | int] = {"scheme": scheme, "period": month.to_int(), "version": version}
    sent = outbox.queue(
        county.store,
        county.head.username,
        CITY,
        "fund_plan",
        subject,
        data,
        attachments=attachments,
    )
    sync(county.store)
    return sent.package_id


def send_north_december_plan(world: World, pdf: bytes = b"") -> str:
    """North's December employee plan (5,000,000 fen of inpatient spending) sent on
    20 November, with `pdf` as its signed PDF when given."""
    return send_plan(
        world.north,
        "EMP",
        Month(2026, 12),
        {"EXP_INPATIENT": 5_000_000},
        submitted_at="2026-11-20T15:00:00+08:00",
        pdf=pdf,
    )


def expenditure_lines(profile: Profile, scheme: str) -> list[str]:
    return [ln.code for ln in profile.scheme(scheme).lines_in("expenditure") if not ln.computed]
