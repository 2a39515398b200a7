"""Execution indicators: spending progress against time progress, reserve months,
collection rate and current balance, each with a traffic-light state and a sentence.

domain.md "Risk indicators" and "Annual budget and quota"; the thresholds come from the
profile's `risk` block (reserve bands 003 §3.3 for 6 months; margins are mibdesk defaults
where the texts are silent). Bands (docs/decisions.md "Quotas, execution and plan
suggestions"):

* spending progress = spending to date ÷ available quota, against time progress
  (序时进度 = months elapsed ÷ 12). Both are shown to a tenth of a percent and compared as
  shown: ahead by more than `progress_margin_points` → amber, by more than twice the margin
  or spending beyond the quota → red; no quota → unknown.
* reserve months = accumulated balance ÷ average monthly spending over the last 12 months
  (the months reported among them): below `reserve_months_red` → red, below
  `reserve_months_amber` → amber. Shown rounded down to a tenth, so "below 6" never shows 6.0.
* collection rate = actual ÷ expected: below `collection_rate_target` → amber. Shown
  rounded down to a hundredth of a percent (as the monthly figure check does).
* current balance = income − spending of the month: negative → red.

An indicator whose figures are missing is "unknown" and says what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from mibdesk.core.catalog.profile import Profile
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month, time_progress
from mibdesk.core.rules.outliers import round_half_up
from mibdesk.core.rules.quota import ACCOUNTS_SOURCE, CEILING_SOURCE
from mibdesk.core.rules.working import (
    Step,
    decimal_percent,
    decimal_points,
    join_sources,
    one_decimal_down,
    percent,
    percent_below,
    points,
    tenths_of_percent,
    yuan,
)

State = Literal["green", "amber", "red", "unknown"]
IndicatorKey = Literal["spending_progress", "reserve_months", "collection_rate", "current_balance"]

TIME_PROGRESS_SOURCE = "mibdesk 默认（序时进度 = 已过月数（含本月）÷ 12）"
RESERVE_MONTHS = 12
"""Average monthly spending is taken over this many months (domain.md "Risk indicators")."""
RED_MARGIN_FACTOR = 2
"""Spending progress ahead of time progress by more than this × the margin is red."""


@dataclass(frozen=True)
class Indicator:
    """One indicator: its exact value, state, explaining sentence, rule and source.

    `value` is a ratio (spending progress, collection rate), a number of months (reserve
    months) or fen (current balance), exact; None when unknown.
    """

    key: IndicatorKey
    value: Fraction | None
    state: State
    sentence: str
    rule: str
    source: str
    working: tuple[Step, ...] = field(default=())


@dataclass(frozen=True)
class ExecutionInputs:
    """The figures of one scheme (or line) for `month`; None where not available.

    `spending` holds monthly spending (fen) by month; the 12 months up to `month` are used
    for reserve months. `spent_ytd` is spending from January to `month`.
    """

    month: Month
    available: int | None
    spent_ytd: int
    balance: int | None = None
    spending: Mapping[Month, int] = field(default_factory=dict)
    income_month: int | None = None
    spending_month: int | None = None
    collected: int | None = None
    expected_collection: int | None = None


def spending_progress(
    spent_ytd: int, available: int | None, month: Month, profile: Profile
) -> Indicator:
    """Spending progress against time progress, with the profile's margin."""
    margin = profile.risk.progress_margin_points
    rule = _(
        "spending progress = spending to date ÷ available quota, against time progress = "
        "months elapsed ÷ 12; ahead by more than {margin} points is amber, by more than "
        "{red} points or beyond the quota red"
    ).format(
        margin=decimal_points(margin.value),
        red=decimal_points(margin.value * RED_MARGIN_FACTOR),
    )
    source = join_sources([CEILING_SOURCE, margin.source])
    elapsed = time_progress(month)
    if available is None:
        sentence = _("No quota is recorded for {year}: spending progress cannot be worked out.")
        return Indicator(
            "spending_progress", None, "unknown", sentence.format(year=month.year), rule, source
        )
    if available <= 0:  # nothing to divide by: only an overspend can be said
        over = spent_ytd > available
        sentence = (
            _("Spending to date exceeds the available quota of {available} by {over}.")
            if over
            else _("The available quota is {available}: spending progress cannot be worked out.")
        )
        sentence = sentence.format(available=yuan(available), over=yuan(spent_ytd - available))
        state: State = "red" if over else "unknown"
        return Indicator("spending_progress", None, state, sentence, rule, source)
    progress = Fraction(spent_ytd, available)
    shown, shown_time = tenths_of_percent(progress), tenths_of_percent(elapsed)
    gap = shown - shown_time  # compared as shown, in tenths of a point
    margin_tenths = Fraction(margin.value) * 1000
    working = (
        Step(
            _("Spending to date"),
            spent_ytd,
            _("January to {month}").format(month=month.label),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Available quota"), available, _("quota + adjustments + carry-over"), CEILING_SOURCE
        ),
        Step(
            _("Spending progress {progress}").format(progress=percent(progress)),
            None,
            _("spending to date ÷ available quota"),
            CEILING_SOURCE,
        ),
        Step(
            _("Time progress {elapsed}").format(elapsed=percent(elapsed)),
            None,
            _("{months} months ÷ 12").format(months=month.month),
            TIME_PROGRESS_SOURCE,
        ),
    )
    figures = {"progress": percent(progress), "time": percent(elapsed), "gap": points(abs(gap))}
    if spent_ytd > available:
        state = "red"
        sentence = _(
            "Spending progress {progress}: spending to date exceeds the available quota by {over}."
        ).format(progress=figures["progress"], over=yuan(spent_ytd - available))
    elif gap > margin_tenths:
        state = "red" if gap > margin_tenths * RED_MARGIN_FACTOR else "amber"
        sentence = _(
            "Spending progress {progress}, ahead of time progress {time} by {gap} percentage "
            "points (more than {margin})."
        ).format(**figures, margin=decimal_points(margin.value))
    elif gap > 0:
        state = "green"
        sentence = _(
            "Spending progress {progress}, ahead of time progress {time} by {gap} percentage "
            "points, within {margin}."
        ).format(**figures, margin=decimal_points(margin.value))
    elif gap == 0:
        state = "green"
        sentence = _("Spending progress {progress}, in step with time progress {time}.").format(
            **figures
        )
    else:
        state = "green"
        sentence = _(
            "Spending progress {progress}, {gap} percentage points behind time progress {time}."
        ).format(**figures)
    return Indicator("spending_progress", progress, state, sentence, rule, source, working)


def reserve_months(
    balance: int | None, spending: Mapping[Month, int], month: Month, profile: Profile
) -> Indicator:
    """备付月数: accumulated balance ÷ average monthly spending over the 12 months to `month`."""
    red, amber = profile.risk.reserve_months_red, profile.risk.reserve_months_amber
    rule = _(
        "reserve months = accumulated balance ÷ average monthly spending over the last 12 "
        "months; below {red} months is red, below {amber} amber"
    ).format(red=_number(red.value), amber=_number(amber.value))
    source = amber.source  # the band that warns; the red band's own source once red
    window = [month.plus(-back) for back in range(RESERVE_MONTHS)]
    reported = [spending[m] for m in window if m in spending]
    total = sum(reported)
    if balance is None or not reported or total <= 0:
        missing = _("no accumulated balance") if balance is None else _("no spending reported")
        return Indicator(
            "reserve_months",
            None,
            "unknown",
            _("Reserve months cannot be worked out for {month}: {missing}.").format(
                month=month.label, missing=missing
            ),
            rule,
            source,
        )
    average = Fraction(total, len(reported))
    months = balance / average
    state: State = "green"
    if months < Fraction(red.value):
        state = "red"
    elif months < Fraction(amber.value):
        state = "amber"
    if state == "red":
        source = red.source
    working = (
        Step(
            _("Accumulated balance"),
            balance,
            _("balance at the end of {month}").format(month=month.label),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Spending over {count} months").format(count=len(reported)),
            total,
            _("{first} to {last}, months reported").format(
                first=window[-1].label, last=month.label
            ),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Reserve months {months}").format(months=one_decimal_down(months)),
            None,
            _("balance ÷ average monthly spending"),
            source,
        ),
    )
    figures = {
        "balance": yuan(balance),
        "months": one_decimal_down(months),
        "average": yuan(round_half_up(average)),
        "count": len(reported),
    }
    if balance < 0:
        sentence = _(
            "The accumulated balance is negative ({balance}): no months of spending are covered."
        ).format(balance=yuan(balance))
    elif state == "green":
        sentence = _(
            "The accumulated balance of {balance} covers {months} months of spending (average "
            "{average} a month over {count} months), not below {amber} months."
        ).format(**figures, amber=_number(amber.value))
    else:
        limit = red.value if state == "red" else amber.value
        sentence = _(
            "The accumulated balance of {balance} covers {months} months of spending (average "
            "{average} a month over {count} months), below {limit} months."
        ).format(**figures, limit=_number(limit))
    return Indicator("reserve_months", months, state, sentence, rule, source, working)


def collection_rate(actual: int | None, expected: int | None, profile: Profile) -> Indicator:
    """征收率 = actual ÷ expected collection, against the profile's target."""
    target = profile.risk.collection_rate_target
    rule = _("collection rate = actual ÷ expected collection; below {target} is amber").format(
        target=decimal_percent(target.value)
    )
    if actual is None or expected is None or expected <= 0:
        return Indicator(
            "collection_rate",
            None,
            "unknown",
            _("Collection rate cannot be worked out: no expected collection."),
            rule,
            target.source,
        )
    rate = Fraction(actual, expected)
    below = rate < Fraction(target.value)
    figures = {
        "rate": percent_below(rate, places=2),
        "actual": yuan(actual),
        "expected": yuan(expected),
        "target": decimal_percent(target.value),
    }
    if below:
        sentence = _(
            "Collection rate {rate} ({actual} collected of {expected} due), below the target "
            "of {target}."
        ).format(**figures)
    else:
        sentence = _(
            "Collection rate {rate} ({actual} collected of {expected} due), meets the target "
            "of {target}."
        ).format(**figures)
    working = (
        Step(_("Collected"), actual, _("actual collection"), ACCOUNTS_SOURCE),
        Step(_("Due"), expected, _("base × rate + heads × premium"), ACCOUNTS_SOURCE),
    )
    state: State = "amber" if below else "green"
    return Indicator("collection_rate", rate, state, sentence, rule, target.source, working)


def current_balance(income: int | None, spending: int | None, month: Month) -> Indicator:
    """当期结余 = income − spending of the month: negative is red."""
    rule = _("current balance = income − spending of the period; negative is red")
    source = ACCOUNTS_SOURCE
    if income is None or spending is None:
        return Indicator(
            "current_balance",
            None,
            "unknown",
            _(
                "Current balance for {month} cannot be worked out: income or spending not reported."
            ).format(month=month.label),
            rule,
            source,
        )
    balance = income - spending
    figures = {
        "month": month.label,
        "income": yuan(income),
        "spending": yuan(spending),
        "balance": yuan(abs(balance)),
    }
    if balance < 0:
        sentence = _(
            "{month}: income {income}, spending {spending}; spending exceeds income by {balance}."
        ).format(**figures)
    else:
        sentence = _("{month}: income {income}, spending {spending}; current balance {balance}.")
        sentence = sentence.format(**figures)
    working = (
        Step(_("Income"), income, _("income total of the month"), source),
        Step(_("Spending"), spending, _("expenditure total of the month"), source),
        Step(_("Current balance"), balance, _("income − spending"), source),
    )
    state: State = "red" if balance < 0 else "green"
    return Indicator("current_balance", Fraction(balance), state, sentence, rule, source, working)


def indicators(inputs: ExecutionInputs, profile: Profile) -> tuple[Indicator, ...]:
    """All four indicators for one scheme (or line) and month, in dashboard order."""
    return (
        spending_progress(inputs.spent_ytd, inputs.available, inputs.month, profile),
        reserve_months(inputs.balance, inputs.spending, inputs.month, profile),
        collection_rate(inputs.collected, inputs.expected_collection, profile),
        current_balance(inputs.income_month, inputs.spending_month, inputs.month),
    )


def _number(value: Decimal) -> str:
    """A profile number as written: Decimal("6") → "6", Decimal("2.5") → "2.5"."""
    return format(value.normalize(), "f")
