"""The demo office: a fictional county with plausible figures, quotas and plans.

青溪县 (code <city>99, fictional) under the Shaoxing profile, with monthly reports from
January two years back to last month for every pooled scheme, each year's quota, and a
fund-use plan for every month up to next month. Figures follow the orders of magnitude in
domain.md: seasonal spending (January and December high, February low), steady employee
contributions, resident personal contributions collected in the autumn, fiscal subsidies by
quarter. All arithmetic is on integers (fen and per-mille factors); the data is the same on
every run for the same "today".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from mibdesk.core.catalog import Profile, SchemeProfile, load_profile
from mibdesk.core.periods import Month
from mibdesk.core.repos import figures as figure_repo
from mibdesk.core.repos import reports, users
from mibdesk.core.security.roles import Actor, Role
from mibdesk.core.services.accounts import NewUser, list_users
from mibdesk.core.services.clock import Clock, stamp, system_clock
from mibdesk.core.services.demo_figures import SchemeYearGenerator, inputs
from mibdesk.core.services.plans import draft_plan
from mibdesk.core.services.settings import write_initial_settings
from mibdesk.core.services.setup import OfficeLevel, SetupRequest, set_up_office
from mibdesk.core.services.store import Store

DEMO_PROFILE = "shaoxing"
DEMO_NAME = "青溪县医疗保障事务中心"
DEMO_PASSWORD = "demo2026"
DEMO_HEAD, DEMO_REVIEWER, DEMO_PREPARER = "zhangli", "liuqiang", "wangfang"
YEARS_OF_HISTORY = 2


@dataclass(frozen=True)
class DemoSummary:
    data_dir: Path
    office_name: str
    usernames: tuple[str, ...]
    password: str
    first_month: str
    last_month: str
    figures: int


def _months(today_month: Month, years: int) -> list[Month]:
    first = Month(today_month.year - years, 1)
    return [first.plus(i) for i in range(first.months_until(today_month))]


def create_demo_office(
    data_dir: Path, clock: Clock = system_clock, years: int = YEARS_OF_HISTORY
) -> DemoSummary:
    """Set up the demo office in `data_dir` (which must not hold an office yet)."""
    profile = load_profile(DEMO_PROFILE)
    request = SetupRequest(
        level=OfficeLevel.COUNTY,
        profile_id=DEMO_PROFILE,
        code=profile.city_code[:4] + "99",
        name=DEMO_NAME,
        drop_folder="",
        users=(
            NewUser(DEMO_HEAD, "张丽", Role.HEAD, DEMO_PASSWORD),
            NewUser(DEMO_REVIEWER, "刘强", Role.REVIEWER, DEMO_PASSWORD),
            NewUser(DEMO_PREPARER, "王芳", Role.PREPARER, DEMO_PASSWORD),
        ),
    )
    store = set_up_office(data_dir, request, clock)
    try:
        write_initial_settings(store, {"demo_office": True})
        months = _months(Month.of(clock().date()), years)
        count = _fill(store, profile, months, stamp(clock()))
        preparer = next(u for u in list_users(store) if u.username == DEMO_PREPARER)
        actor = Actor(preparer.id, preparer.username, preparer.display_name, preparer.role)
        for scheme in profile.schemes:  # next month's plan, drafted as an office would
            draft_plan(store, actor, profile, scheme.code, months[-1].plus(2))
        _register_demo_city(store, profile.city_code, stamp(clock()))
    finally:
        store.close()
    return DemoSummary(
        data_dir,
        DEMO_NAME,
        (DEMO_HEAD, DEMO_REVIEWER, DEMO_PREPARER),
        DEMO_PASSWORD,
        str(months[0]),
        str(months[-1]),
        count,
    )


def _register_demo_city(store: Store, city_code: str, at: str) -> None:
    """A fictional city whose key the demo county has registered, so that reports and plans
    can be sent (they wait in the outbox: the demo has no drop folder and the city's private
    key exists nowhere)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mibdesk.core.db.exchange_models import ExchangePeer
    from mibdesk.core.exchange import keys

    public = keys.raw_public(Ed25519PrivateKey.generate().public_key())
    with store.write() as session:
        session.add(
            ExchangePeer(
                office=city_code,
                name="绍兴市医疗保障事务中心（演示）",
                level="city",
                key_id=keys.key_id(public),
                public_key=keys.encode_public(public),
                pdf_certificate="",
                status="active",
                source="demo",
                found_at=at,
                decided_at=at,
                decided_by="system",
            )
        )


def _fill(store: Store, profile: Profile, months: list[Month], at: str) -> int:
    rng = random.Random(20260101)
    last = months[-1].to_int()
    figures: dict[tuple[str, int], dict[str, int]] = {}
    for scheme in profile.schemes:
        generator = SchemeYearGenerator(scheme, rng, months[0].year)
        for month in months:
            figures[(scheme.code, month.to_int())] = generator.month(month)
    requests = _plan_requests(profile, figures, months)
    with store.write() as session:
        ids = {u.username: u.id for u in users.all_users(session)}
        reports.insert_reports(
            session,
            [
                {
                    "scheme": scheme,
                    "period": period,
                    "status": "approved" if period < last else "prepared",
                    "prepared_by": ids[DEMO_PREPARER],
                    "reviewed_by": ids[DEMO_REVIEWER] if period < last else None,
                    "approved_by": ids[DEMO_HEAD] if period < last else None,
                    "submitted_at": at if period < last else None,
                }
                for scheme, period in figures
            ],
        )
        report_ids = reports.report_ids(session)
        township_lines = {
            (scheme.code, ln.code) for scheme in profile.schemes for ln in scheme.township_lines
        }
        codes = [f"{profile.city_code[:4]}99{suffix}" for suffix, _name, _w in DEMO_TOWNSHIPS]
        figure_repo.insert_townships(
            session,
            [
                {"code": code, "name": name, "position": i + 1, "active": True}
                for i, (code, (_suffix, name, _w)) in enumerate(
                    zip(codes, DEMO_TOWNSHIPS, strict=True)
                )
            ],
        )
        reports.insert_values(
            session,
            [
                {"report_id": report_ids[key], "line": line, "unit": unit, "value": part}
                for key, values in figures.items()
                for line, value in values.items()
                for unit, part in (
                    _split(value, codes) if (key[0], line) in township_lines else [("", value)]
                )
            ],
        )
        reports.insert_quotas(session, _quotas(profile, figures, months))
        reports.insert_plans(session, _plans(requests, ids[DEMO_PREPARER]))
        plan_ids = reports.plan_ids(session)
        reports.insert_plan_lines(
            session,
            [
                {
                    "plan_id": plan_ids[key],
                    "line": line,
                    "requested": amount,
                    "approved": amount,
                    "justification": "",
                }
                for key, lines in requests.items()
                for line, amount in lines.items()
            ],
        )
    return sum(len(v) for v in figures.values())


# (code suffix, name, weight): 街道 001–, 镇 101–, 乡 201– (GB/T 10114 numbering)
DEMO_TOWNSHIPS = (
    ("001", "青溪街道", 160),
    ("002", "城东街道", 120),
    ("003", "城西街道", 110),
    ("101", "南山镇", 90),
    ("102", "北岭镇", 80),
    ("103", "清风镇", 70),
    ("104", "白石镇", 65),
    ("105", "双溪镇", 60),
    ("106", "临江镇", 55),
    ("201", "枫林乡", 40),
    ("202", "龙潭乡", 35),
    ("203", "石门乡", 30),
)
COUNTY_OWN_PER_MILLE = 15  # what the county enters itself (e.g. people it enrols directly)


def _split(value: int, codes: list[str]) -> list[tuple[str, int]]:
    """A county figure shared among the townships by weight; the remainder is the county's."""
    weights = [w for _suffix, _name, w in DEMO_TOWNSHIPS]
    shared = value * (1000 - COUNTY_OWN_PER_MILLE) // 1000
    parts = [(code, shared * w // sum(weights)) for code, w in zip(codes, weights, strict=True)]
    return [("", value - sum(p for _code, p in parts)), *parts]


def _expenditure_total(scheme: SchemeProfile, values: dict[str, int]) -> int:
    return sum(values.get(ln.code, 0) for ln in inputs(scheme, "expenditure"))


def _round_to(fen: int, unit_yuan: int) -> int:
    unit = unit_yuan * 100
    return (fen + unit // 2) // unit * unit


def _quotas(
    profile: Profile, figures: dict[tuple[str, int], dict[str, int]], months: list[Month]
) -> list[dict[str, object]]:
    """Each year's quota: a little above the year's spending (the current year projected)."""
    rows: list[dict[str, object]] = []
    for year in sorted({m.year for m in months}):
        for scheme in profile.schemes:
            known = [figures[(scheme.code, m.to_int())] for m in months if m.year == year]
            spent = sum(_expenditure_total(scheme, v) for v in known)
            annual = spent * 12 // max(1, len(known)) * 1040 // 1000
            doc = {
                "doc_no": f"绍医保发〔{year}〕{3 + len(rows) % 7}号",
                "doc_date": f"{year}-01-15",
            }
            rows.append(
                {
                    "scheme": scheme.code,
                    "year": year,
                    "line": "",
                    "amount": _round_to(annual, 10_000),
                    **doc,
                }
            )
            if scheme.quota_by_line.value:
                for line in inputs(scheme, "expenditure"):
                    part = sum(v.get(line.code, 0) for v in known)
                    rows.append(
                        {
                            "scheme": scheme.code,
                            "year": year,
                            "line": line.code,
                            "amount": _round_to(
                                part * 12 // max(1, len(known)) * 1040 // 1000, 10_000
                            ),
                            **doc,
                        }
                    )
    return rows


def _plan_requests(
    profile: Profile, figures: dict[tuple[str, int], dict[str, int]], months: list[Month]
) -> dict[tuple[str, int], dict[str, int]]:
    """Per plan (scheme, month up to this month): the same month last year + 6 %."""
    found: dict[tuple[str, int], dict[str, int]] = {}
    for scheme in profile.schemes:
        for month in [*months, months[-1].next()]:
            basis = figures.get(
                (scheme.code, month.plus(-12).to_int()), figures[(scheme.code, months[-1].to_int())]
            )
            found[(scheme.code, month.to_int())] = {
                line.code: _round_to(basis.get(line.code, 0) * 1060 // 1000, 1_000)
                for line in inputs(scheme, "expenditure")
            }
    return found


def _plans(
    requests: dict[tuple[str, int], dict[str, int]], preparer: int
) -> list[dict[str, object]]:
    """Every plan up to this month: submitted, approved as asked and paid on the 8th."""
    rows: list[dict[str, object]] = []
    for (scheme, period), lines in requests.items():
        month = Month.from_int(period)
        total = sum(lines.values())
        rows.append(
            {
                "scheme": scheme,
                "period": period,
                "version": 1,
                "status": "disbursed",
                "prepared_by": preparer,
                "created_at": f"{month.prev()}-20T10:00:00+08:00",
                "submitted_at": f"{month.prev()}-24T16:00:00+08:00",
                "decided_on": f"{month.prev()}-28",
                "decision_note": "",
                "approved_amount": total,
                "disbursed_amount": total,
                "disbursed_on": f"{month}-08",
            }
        )
    return rows
