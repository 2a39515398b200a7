"""Plausible monthly figures for the demo office, generated on integers only.

Figures follow the orders of magnitude in domain.md: seasonal spending (January and December
high, February low), steady employee contributions, resident personal contributions collected
in the autumn, fiscal subsidies by quarter, and the balance identity month by month. Every
factor is per mille; nothing passes through a float.
"""

from __future__ import annotations

import random

from mibdesk.core.catalog import SchemeProfile
from mibdesk.core.catalog.profile import Line
from mibdesk.core.money import apply_rate
from mibdesk.core.periods import Month

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


def inputs(scheme: SchemeProfile, section: str) -> list[Line]:
    return [ln for ln in scheme.lines if ln.section == section and not ln.sum_of]


class SchemeYearGenerator:
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
        enrolment = inputs(self.scheme, "enrolment")
        weights = [_weight(ln, ENROLMENT_WEIGHTS, 100) for ln in enrolment]
        heads = self.heads * (1000 + (month.year - self.first_year) * 15) // 1000
        for line, weight in zip(enrolment, weights, strict=True):
            values[line.code] = self._noise(heads * weight // max(1, sum(weights)), 4)
        for line in inputs(self.scheme, "base"):
            covered = sum(values.get(code, 0) for code in _covered_heads(self.scheme, line))
            values[line.code] = self._noise(covered * AVERAGE_MONTHLY_WAGE_FEN, 10)
        spending = self.spending_fen * growth // 1000 * SEASON[month.month - 1] // 1000
        expenditure = inputs(self.scheme, "expenditure")
        weights = [_weight(ln, EXPENDITURE_WEIGHTS, 50) for ln in expenditure]
        for line, weight in zip(expenditure, weights, strict=True):
            values[line.code] = self._noise(spending * weight // max(1, sum(weights)))
        self._income(month, values, spending)
        income = sum(values[ln.code] for ln in inputs(self.scheme, "income"))
        spent = sum(values[ln.code] for ln in expenditure)
        self.balance += income - spent
        for line in inputs(self.scheme, "balance"):
            values[line.code] = self.balance
        return values

    def _income_weight(self, kind: str) -> int:
        """Resident schemes live on fiscal subsidies; employee schemes on contributions."""
        if kind == "subsidy" and self.scheme.code not in ("RES", "CI", "MA"):
            return 10
        return INCOME_WEIGHTS[kind]

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
        lines = inputs(self.scheme, "income")
        kinds = [_income_kind(line, self.scheme.code) for line in lines]
        total_weight = sum(self._income_weight(kind) for kind in kinds)
        # a year's income is about 103 % of a year's spending at this month's level
        annual = spending * 12 * 1030 // 1000 * 1000 // SEASON[month.month - 1]
        for line, kind in zip(lines, kinds, strict=True):
            if line.code in from_rates:
                values[line.code] = self._noise(from_rates[line.code], 15)
                continue
            profile = INCOME_SEASONS[kind]
            part = annual * self._income_weight(kind) // max(1, total_weight)
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
    in_service = [ln for ln in inputs(scheme, "enrolment") if "退休" not in ln.name]
    for key in ("机关事业", "灵活"):
        if key in base.name:
            return [ln.code for ln in in_service if key in ln.name]
    if "其他单位" in base.name or "企业" in base.name:
        return [ln.code for ln in in_service if "企业" in ln.name]
    return [ln.code for ln in in_service if "灵活" not in ln.name]
