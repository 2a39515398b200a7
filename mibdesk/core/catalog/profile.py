"""A city's policy profile: schemes, report lines, rates, timetables, thresholds, sharing rules.

Policy is data (architecture rule 4): every number a rule needs comes from here, each with
the source it was taken from (`Sourced`). Profiles are immutable pydantic models, loaded from
`resources/profiles/<id>.json` or from a city's package by `mibdesk.core.catalog.loader`;
`resources/profiles/README.md` describes the format field by field.

Contracts:
- Building a `Profile` checks types, ranges and consistency (`checks.check_profile`); an
  inconsistent profile raises `ProfileFieldError` naming the field path.
- Money is int fen, rates and ratios are `Decimal` in [0, 1] (0.074 = 7.4 %), never floats.
- A day beyond the length of a month (30 in February) means that month's last day.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PlainSerializer, StringConstraints, model_validator

from mibdesk.core.catalog.schemes import SchemeCode
from mibdesk.core.catalog.values import (
    DecimalText,
    Frozen,
    FrozenMap,
    LineCode,
    MonthDay,
    NonNegative,
    Positive,
    Ratio,
    Source,
    Sourced,
    Text,
    TextMap,
)
from mibdesk.core.errors import ProfileError
from mibdesk.core.i18n import _

FORMAT_VERSION = 1
"""The profile file format this program reads; a newer one is refused."""

Section = Literal["enrolment", "base", "income", "expenditure", "balance"]
Unit = Literal["persons", "fen"]
SECTION_UNITS: dict[str, str] = {
    "enrolment": "persons",
    "base": "fen",
    "income": "fen",
    "expenditure": "fen",
    "balance": "fen",
}
"""The unit every line of a section is counted in."""

TOTALLED_SECTIONS = ("enrolment", "income", "expenditure")
"""Sections that end in one grand total (参保人数合计, 基金收入合计, 基金支出合计)."""

Payer = Literal["employer", "employee", "flexible_worker", "resident", "finance", "assistance"]
StepCode = Literal["county_plan", "city_apply", "finance_disburse", "city_forward"]
PLAN_STEP_CODES: tuple[str, ...] = ("county_plan", "city_apply", "finance_disburse", "city_forward")
PLAN_STEP_WHO: dict[str, str] = {
    "county_plan": "county",
    "city_apply": "city",
    "finance_disburse": "finance",
    "city_forward": "city",
}


class Line(Frozen):
    """One row of a scheme's monthly report.

    A line with a non-empty `sum_of` is computed: the sum of the named lines of the same
    section and unit, never entered. `township` lines are entered per township (resident
    enrolment categories, personal contributions) and summed to the county.
    """

    code: LineCode
    name: Text
    section: Section
    unit: Unit
    sum_of: tuple[LineCode, ...] = ()
    township: bool = False
    source: Source

    @property
    def computed(self) -> bool:
        """Whether the line is a subtotal or total of other lines."""
        return bool(self.sum_of)


class Rate(Frozen):
    """Expected contribution: the figure on `base_line` × `rate` is due on `income_line`."""

    base_line: LineCode
    income_line: LineCode
    rate: Annotated[DecimalText, Field(gt=0, lt=1)]
    payer: Payer
    source: Source


class Premium(Frozen):
    """Expected contribution per head: Σ heads on `enrolment_lines` × fen × months."""

    enrolment_lines: Annotated[tuple[LineCode, ...], Field(min_length=1)]
    income_line: LineCode
    fen_per_head_month: Annotated[int, Field(gt=0, le=100_000_000)]
    payer: Payer
    source: Source


class SchemeProfile(Frozen):
    """One pooled scheme: its report lines and how contributions are expected."""

    code: SchemeCode
    name: Text
    quota_by_line: Sourced[bool]
    lines: Annotated[tuple[Line, ...], Field(min_length=1)]
    contribution_rates: tuple[Rate, ...] = ()
    premiums: tuple[Premium, ...] = ()

    def line(self, code: str) -> Line:
        """The line `code`; ProfileError when the scheme has no such line."""
        for line in self.lines:
            if line.code == code:
                return line
        raise ProfileError(
            _("scheme {scheme} has no report line {line}").format(scheme=self.code, line=code),
            where=self.name,
        )

    def lines_in(self, section: str) -> tuple[Line, ...]:
        """The lines of `section`, in report order."""
        return tuple(line for line in self.lines if line.section == section)

    def total(self, section: str) -> Line:
        """The grand total of an enrolment, income or expenditure section.

        It is the one computed line of the section that no other line sums (checked when
        the profile is built).
        """
        inner = {code for line in self.lines_in(section) for code in line.sum_of}
        for line in self.lines_in(section):
            if line.computed and line.code not in inner:
                return line
        raise ProfileError(
            _("scheme {scheme} has no total in section {section}").format(
                scheme=self.code, section=section
            ),
            where=self.name,
        )

    @property
    def balance_line(self) -> Line:
        """The accumulated balance at month end (期末累计结余): the first balance line."""
        balance = self.lines_in("balance")
        if not balance:
            raise ProfileError(
                _("scheme {scheme} has no balance line").format(scheme=self.code), where=self.name
            )
        return balance[0]

    @property
    def township_lines(self) -> tuple[Line, ...]:
        """The lines a township station enters for its area."""
        return tuple(line for line in self.lines if line.township)


class DueRule(Frozen):
    """A fixed day: `day` of the month `month_offset` months after the report period."""

    day: Annotated[int, Field(ge=1, le=31)]
    month_offset: Annotated[int, Field(ge=0, le=2)]
    source: Source


class PlanStep(Frozen):
    """One step of the monthly fund-use plan chain.

    `rule` "day_of_month": due on `day` of the month `month_offset` after the month the plan
    is drafted (0 = that month, 1 = the month the plan is for); `after` and `days` are null.
    `rule` "working_days_after": due `days` working days after step `after` is done (or
    due); `day` is null and `month_offset` is 0, the month following from the earlier step.
    """

    code: StepCode
    name: Text
    who: Literal["county", "city", "finance"]
    rule: Literal["day_of_month", "working_days_after"]
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    month_offset: Annotated[int, Field(ge=0, le=1)] = 0
    after: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    days: Annotated[int, Field(ge=1, le=60)] | None = None
    source: Source


class Timetable(Frozen):
    """When the monthly report is due and the plan chain's deadlines."""

    monthly_report_due: DueRule
    plan_steps: tuple[PlanStep, ...]
    holiday_shift: Sourced[Literal["next", "previous", "none"]]

    def step(self, code: str) -> PlanStep:
        """The plan step `code`; ProfileError if the timetable has none."""
        for step in self.plan_steps:
            if step.code == code:
                return step
        raise ProfileError(_("the timetable has no plan step {step}").format(step=code))


class RiskThresholds(Frozen):
    """Warning bands: reserve months below amber warn, below red alarm."""

    reserve_months_red: Sourced[NonNegative]
    reserve_months_amber: Sourced[NonNegative]
    progress_margin_points: Sourced[Ratio]
    """Spending progress ahead of time progress by more than this (0.05 = 5 points) warns."""
    collection_rate_target: Sourced[Ratio]


class SurplusSplit(Frozen):
    """A county's current-year surplus: `surplus_pooled_share` goes to the pooled fund, the
    county keeps `surplus_county_share` towards its own later deficits (000 附件 §4.4)."""

    surplus_pooled_share: Sourced[Ratio]
    surplus_county_share: Sourced[Ratio]


class ShaoxingSharing(SurplusSplit):
    """000 附件 §4.4–4.6: surplus split; deficit from county balance, then pooled/county,
    then city/county once the pooled fund runs out; a county whose assessment grade ranks
    below `excellent_grade` in `grades` (best first) carries `below_excellent_county_extra`
    more of each deficit share (地方分担比例上升5个百分点)."""

    deficit_pooled_share: Sourced[Ratio]
    deficit_county_share: Sourced[Ratio]
    overflow_city_share: Sourced[Ratio]
    overflow_county_share: Sourced[Ratio]
    below_excellent_county_extra: Sourced[Ratio]
    grades: Sourced[Annotated[tuple[Text, ...], Field(min_length=1)]]
    excellent_grade: Sourced[Text]


LocalFund = Literal["county_balance", "risk_reserve"]
"""A fund a county draws on, in the order listed, before the city steps in."""


class SuzhouSharing(SurplusSplit):
    """003 §3.3: the county's `local_funds` first (retained balance, risk reserve), then the
    city fund; the county pays `county_deficit_share` of the gap the city fund filled, in
    `county_deficit_schemes`, to city finance."""

    local_funds: Sourced[tuple[LocalFund, ...]]
    county_deficit_share: Sourced[Ratio]
    county_deficit_schemes: Sourced[tuple[SchemeCode, ...]]


class RatioSharing(SurplusSplit):
    """001 §2.3.2 / 004 §4.6: a balance first (`county_balance`: the county's historical
    balance, the city's share then from the pooled fund; `pooled_balance`: the city's pooled
    fund, the city's share then from city finance), then city and county by a ratio."""

    first_from: Sourced[Literal["county_balance", "pooled_balance"]]
    city_share: Sourced[Ratio]
    county_share: Sourced[Ratio]


class Settlement(Frozen):
    """Year-end settlement of surpluses and deficits; the block named by `method` is set."""

    method: Literal["shaoxing", "suzhou", "ratio"]
    source: Source
    settle_by: Sourced[MonthDay]
    """Deadline in the year after the settled year."""
    county_caused_share: Sourced[Ratio]
    """Share of a deficit the county caused (少收多支, missed plans) that it pays itself."""
    shaoxing: ShaoxingSharing | None = None
    suzhou: SuzhouSharing | None = None
    ratio: RatioSharing | None = None


def _freeze_months(value: Mapping[str, Sourced[Positive]]) -> FrozenMap[str, Sourced[Positive]]:
    return FrozenMap(value)


def _thaw_months(value: Mapping[str, Sourced[Positive]]) -> dict[str, Sourced[Positive]]:
    return dict(value)


SchemeMonths = Annotated[
    Mapping[SchemeCode, Sourced[Positive]],
    AfterValidator(_freeze_months),
    PlainSerializer(_thaw_months, return_type=dict[str, Sourced[Positive]]),
]


class BalanceTransfer(Frozen):
    """Historical balances moved to the city at pooling (and topped up yearly).

    "shaoxing_share": every county transfers the same share, enough for `months` of
    citywide spending per scheme (000 附件 §3.4–3.5). "fixed_share": `share` of each
    county's balance in `schemes` (004 §4.5). "none": no transfer rule.
    """

    method: Literal["shaoxing_share", "fixed_share", "none"]
    source: Source
    due: Sourced[MonthDay] | None = None
    months: SchemeMonths | None = None
    yearly_top_up: Sourced[bool] | None = None
    share: Sourced[Ratio] | None = None
    schemes: Sourced[tuple[SchemeCode, ...]] | None = None


class QuarterDeadline(Frozen):
    """The day by which a quarter's resident fiscal subsidy must have arrived."""

    quarter: Annotated[int, Field(ge=1, le=4)]
    by: MonthDay


class Remittance(Frozen):
    """How often county income goes up to the city, and subsidy deadlines."""

    income: Sourced[Literal["monthly", "quarterly"]]
    interest: Sourced[Literal["monthly", "quarterly", "yearly"]]
    resident_subsidy: Sourced[tuple[QuarterDeadline, ...]]


FormCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class FormCodes(Frozen):
    """The 表号 printed on the official forms: the county's, and the city's own application to
    finance (`city_application`) and year-end settlement (`settlement`). The city sets them in
    its profile; where it does not (every bundled profile today), mibdesk's own numbering
    applies."""

    monthly_report: FormCode = "医保月01表"
    fund_plan: FormCode = "医保计01表"
    execution: FormCode = "医保执01表"
    cover: FormCode = "医保报01表"
    city_application: FormCode = "医保市计01表"
    settlement: FormCode = "医保市清01表"
    source: Source = "mibdesk 默认（市医保局未规定表号）"


class Profile(Frozen):
    """One city's policy profile (or the generic default)."""

    format_version: Literal[1]
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    name: Text
    version: Annotated[int, Field(ge=1)]
    city_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
    sources: TextMap
    """Document key (e.g. "004") → title; citations in `source` fields use these keys."""
    schemes: Annotated[tuple[SchemeProfile, ...], Field(min_length=1)]
    timetable: Timetable
    carry_over: Sourced[bool]
    """Whether unused quota at year end is carried into next year's quota (004 §4.3)."""
    risk: RiskThresholds
    settlement: Settlement
    balance_transfer: BalanceTransfer
    remittance: Remittance
    form_codes: FormCodes = FormCodes()

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        from mibdesk.core.catalog.checks import check_profile

        check_profile(self)
        return self

    def scheme(self, code: str) -> SchemeProfile:
        """The pooled scheme `code`; ProfileError when this city does not pool it."""
        for scheme in self.schemes:
            if scheme.code == code:
                return scheme
        raise ProfileError(
            _("{city} does not pool scheme {scheme}").format(city=self.name, scheme=code),
            where=self.id,
        )

    @property
    def scheme_codes(self) -> tuple[str, ...]:
        """The codes of the pooled schemes, in profile order."""
        return tuple(scheme.code for scheme in self.schemes)
