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
from mibdesk.core.catalog.profile import Line
from mibdesk.core.money import apply_rate
from mibdesk.core.periods import Month
from mibdesk.core.repos import reports, users
from mibdesk.core.security.roles import Role
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.clock import Clock, stamp, system_clock
from mibdesk.core.services.settings import write_initial_settings
from mibdesk.core.services.setup import OfficeLevel, SetupRequest, set_up_office
from mibdesk.core.services.store import Store

DEMO_PROFILE = "shaoxing"
DEMO_NAME = "青溪县医疗保障事务中心"
DEMO_PASSWORD = "demo2026"
DEMO_HEAD, DEMO_REVIEWER, DEMO_PREPARER = "zhangli", "liuqiang", "wangfang"
YEARS_OF_HISTORY = 2

# Seasonal spending factor per calendar month, per mille of an average month.
SEASON = (1180, 780, 980, 970, 990, 1010, 1020, 1000, 980, 950, 1000, 1240)
# Monthly spending (yuan) of an average month in the first demo year, per scheme.
MONTHLY_SPENDING_YUAN = {
    "EMP": 62_000_000,
    "RES": 46_000_000,
    "CI": 4_500_000,
    "LTC": 3_200_000,
    "MA": 2_600_000,
    "SUP": 1_800_000,
    "EMP_PA": 21_000_000,
}
ENROLMENT = {
    "EMP": 148_000,
    "EMP_PA": 148_000,
    "RES": 560_000,
    "CI": 560_000,
    "LTC": 148_000,
    "MA": 38_000,
    "SUP": 22_000,
}
GROWTH_PER_MILLE = 1060  # spending grows 6 % a year
AVERAGE_MONTHLY_WAGE_FEN = 680_000  # 6,800 yuan


def _weight(line: Line, table: dict[str, int], default: int) -> int:
    return next((w for key, w in table.items() if key in line.name), default)


EXPENDITURE_WEIGHTS = {
    "住院": 550,
    "普通门诊": 120,
    "门诊慢特病": 120,
    "慢特病": 120,
    "生育医疗": 40,
    "生育津贴": 50,
    "个人账户": 200,
    "异地": 60,
    "转移": 8,
    "上解": 0,
    "其他": 10,
}
ENROLMENT_WEIGHTS = {
    "机关事业": 150,
    "企业": 600,
    "灵活就业": 120,
    "退休": 300,
    "成年": 550,
    "未成年": 300,
    "学生": 300,
    "特困": 10,
    "低保": 30,
    "脱贫": 40,
    "监测": 40,
    "残疾": 20,
}


@dataclass(frozen=True)
class DemoSummary:
    data_dir: Path
    office_name: str
    usernames: tuple[str, ...]
    password: str
    first_month: str
    last_month: str
    figures: int


def _inputs(scheme: SchemeProfile, section: str) -> list[Line]:
    return [ln for ln in scheme.lines if ln.section == section and not ln.sum_of]


class _SchemeYearGenerator:
    """Month-by-month figures for one scheme, keeping the balance identity."""

    def __init__(self, scheme: SchemeProfile, rng: random.Random, first_year: int) -> None:
        self.scheme = scheme
        self.rng = rng
        self.first_year = first_year
        self.spending_fen = MONTHLY_SPENDING_YUAN.get(scheme.code, 2_000_000) * 100
        self.heads = ENROLMENT.get(scheme.code, 100_000)
        self.balance = self.spending_fen * 6

    def _noise(self, value: int, spread: int = 40) -> int:
        return value * self.rng.randint(1000 - spread, 1000 + spread) // 1000

    def _growth(self, year: int) -> int:
        factor = 1000
        for _year in range(year - self.first_year):
            factor = factor * GROWTH_PER_MILLE // 1000
        return factor

    def month(self, month: Month) -> dict[str, int]:
        values: dict[str, int] = {}
        growth = self._growth(month.year)
        enrolment = _inputs(self.scheme, "enrolment")
        weights = [_weight(ln, ENROLMENT_WEIGHTS, 100) for ln in enrolment]
        heads = self.heads * (1000 + (month.year - self.first_year) * 15) // 1000
        for line, weight in zip(enrolment, weights, strict=True):
            values[line.code] = self._noise(heads * weight // max(1, sum(weights)), 4)
        for line in _inputs(self.scheme, "base"):
            covered = sum(values.get(code, 0) for code in _covered_heads(self.scheme, line))
            values[line.code] = self._noise(covered * AVERAGE_MONTHLY_WAGE_FEN, 10)
        spending = self.spending_fen * growth // 1000 * SEASON[month.month - 1] // 1000
        expenditure = _inputs(self.scheme, "expenditure")
        weights = [_weight(ln, EXPENDITURE_WEIGHTS, 50) for ln in expenditure]
        for line, weight in zip(expenditure, weights, strict=True):
            values[line.code] = self._noise(spending * weight // max(1, sum(weights)))
        self._income(month, values, spending)
        income = sum(values[ln.code] for ln in _inputs(self.scheme, "income"))
        spent = sum(values[ln.code] for ln in expenditure)
        self.balance += income - spent
        for line in _inputs(self.scheme, "balance"):
            values[line.code] = self.balance
        return values

    def _income(self, month: Month, values: dict[str, int], spending: int) -> None:
        """Contributions from the profile's rates where it has them; else by kind and season."""
        from_rates: dict[str, int] = {}
        for rate in self.scheme.contribution_rates:
            due = apply_rate(values.get(rate.base_line, 0), rate.rate)
            from_rates[rate.income_line] = from_rates.get(rate.income_line, 0) + due
        for premium in self.scheme.premiums:
            heads = sum(values.get(code, 0) for code in premium.enrolment_lines)
            from_rates[premium.income_line] = (
                from_rates.get(premium.income_line, 0) + heads * premium.fen_per_head_month
            )
        lines = _inputs(self.scheme, "income")
        kinds = [_income_kind(line, self.scheme.code) for line in lines]
        total_weight = sum(INCOME_WEIGHTS[kind] for kind in kinds)
        # a year's income is about 103 % of a year's spending at this month's level
        annual = spending * 12 * 1030 // 1000 * 1000 // SEASON[month.month - 1]
        for line, kind in zip(lines, kinds, strict=True):
            if line.code in from_rates:
                values[line.code] = self._noise(from_rates[line.code], 15)
                continue
            profile = INCOME_SEASONS[kind]
            part = annual * INCOME_WEIGHTS[kind] // max(1, total_weight)
            values[line.code] = self._noise(part * profile[month.month - 1] // sum(profile))


def _income_kind(line: Line, scheme: str) -> str:
    name = line.name
    if "利息" in name:
        return "interest"
    if "财政" in name or ("补助" in name and "上级" not in name and "救助" not in name):
        return "subsidy"
    if "救助" in name:
        return "assisted"
    if "个人缴费" in name and scheme in ("RES", "CI"):
        return "resident_personal"
    if "单位缴费" in name or "个人缴费" in name:
        return "contribution"
    return "minor"


FLAT = (1,) * 12
INCOME_SEASONS = {
    "contribution": FLAT,
    "resident_personal": (0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 4, 2),  # collected in the autumn
    "subsidy": (0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0),  # 000 附件 §2.2: Feb, Apr, Jul, Sep
    "assisted": (1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0),
    "interest": (0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1),  # quarterly (000 附件 §2.2)
    "minor": FLAT,
}
INCOME_WEIGHTS = {
    "contribution": 480,
    "resident_personal": 330,
    "subsidy": 600,
    "assisted": 30,
    "interest": 15,
    "minor": 6,
}


def _covered_heads(scheme: SchemeProfile, base: Line) -> list[str]:
    """The enrolment lines whose wages make up a contribution base, matched by name."""
    in_service = [ln for ln in _inputs(scheme, "enrolment") if "退休" not in ln.name]
    for key in ("机关事业", "灵活"):
        if key in base.name:
            return [ln.code for ln in in_service if key in ln.name]
    if "其他单位" in base.name or "企业" in base.name:
        return [ln.code for ln in in_service if "企业" in ln.name]
    return [ln.code for ln in in_service if "灵活" not in ln.name]


def _months(today_month: Month) -> list[Month]:
    first = Month(today_month.year - YEARS_OF_HISTORY, 1)
    return [first.plus(i) for i in range(first.months_until(today_month))]


def create_demo_office(data_dir: Path, clock: Clock = system_clock) -> DemoSummary:
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
        months = _months(Month.of(clock().date()))
        count = _fill(store, profile, months, stamp(clock()))
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


def _fill(store: Store, profile: Profile, months: list[Month], at: str) -> int:
    rng = random.Random(20260101)
    last = months[-1].to_int()
    figures: dict[tuple[str, int], dict[str, int]] = {}
    for scheme in profile.schemes:
        generator = _SchemeYearGenerator(scheme, rng, months[0].year)
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
        reports.insert_values(
            session,
            [
                {"report_id": report_ids[key], "line": line, "unit": "", "value": value}
                for key, values in figures.items()
                for line, value in values.items()
            ],
        )
        reports.insert_quotas(session, _quotas(profile, figures, months))
        reports.insert_plans(session, _plans(requests, months[-1].plus(2), ids[DEMO_PREPARER]))
        plan_ids = reports.plan_ids(session)
        reports.insert_plan_lines(
            session,
            [
                {
                    "plan_id": plan_ids[key],
                    "line": line,
                    "requested": amount,
                    "approved": None if key[1] == months[-1].plus(2).to_int() else amount,
                    "justification": "",
                }
                for key, lines in requests.items()
                for line, amount in lines.items()
            ],
        )
    return sum(len(v) for v in figures.values())


def _expenditure_total(scheme: SchemeProfile, values: dict[str, int]) -> int:
    return sum(values.get(ln.code, 0) for ln in _inputs(scheme, "expenditure"))


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
                for line in _inputs(scheme, "expenditure"):
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
    """Per plan (scheme, month up to the month after next): the same month last year + 6 %."""
    found: dict[tuple[str, int], dict[str, int]] = {}
    for scheme in profile.schemes:
        for month in [*months, months[-1].next(), months[-1].plus(2)]:
            basis = figures.get(
                (scheme.code, month.plus(-12).to_int()), figures[(scheme.code, months[-1].to_int())]
            )
            found[(scheme.code, month.to_int())] = {
                line.code: _round_to(basis.get(line.code, 0) * 1060 // 1000, 1_000)
                for line in _inputs(scheme, "expenditure")
            }
    return found


def _plans(
    requests: dict[tuple[str, int], dict[str, int]], draft_month: Month, preparer: int
) -> list[dict[str, object]]:
    """Disbursed plans up to next month; the month after next is still a draft."""
    rows: list[dict[str, object]] = []
    for (scheme, period), lines in requests.items():
        month = Month.from_int(period)
        draft = month == draft_month
        total = sum(lines.values())
        rows.append(
            {
                "scheme": scheme,
                "period": period,
                "version": 1,
                "status": "draft" if draft else "disbursed",
                "prepared_by": preparer,
                "submitted_at": None if draft else f"{month.prev()}-24T16:00:00+08:00",
                "approved_amount": None if draft else total,
                "disbursed_amount": None if draft else total,
                "disbursed_on": None if draft else f"{month}-08",
            }
        )
    return rows
