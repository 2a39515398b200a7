"""Suggested amounts for next month's fund-use plan (用款计划), line by line, from history.

domain.md "Monthly fund-use plan": the county asks each month for next month's money, line
by line, inside its remaining quota (004 §4.4). Method (docs/decisions.md "Quotas, execution
and plan suggestions"):

* **seasonal** — the same month last year × trend, where trend = Σ of the last 12 months ÷
  Σ of the same months a year earlier (months reported in both, at least 3 of them). This is
  the expectation the monthly outlier check uses (`outliers.forecast`), so a month that comes
  in as planned is never flagged as odd;
* **trailing_average** — otherwise, the average of the last 3 months reported;
* **none** — no history: 0, and the preparer enters the amount.

The estimate is rounded *up* to whole hundreds of yuan (a plan short of the need leaves
claims unpaid; one hundred yuan is noise at a county's scale). The suggestions are then
capped: each line at its own remaining quota where the quota is set per line, and their sum
at the scheme's remaining quota for plans, split across the lines in proportion to their
suggestions, exact in fen, with the odd fen going to the largest line.

A request above the suggestion by more than `justification_threshold` (10 %) needs a
written justification.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.rules.outliers import forecast
from mibdesk.core.rules.quota import ACCOUNTS_SOURCE, CEILING_SOURCE
from mibdesk.core.rules.working import Step, percent, ratio, yuan

SuggestMethod = Literal["seasonal", "trailing_average", "none"]

SUGGEST_SOURCE = (
    "mibdesk 默认（用款计划建议额 = 上年同月 × 近12个月同比趋势；无上年同月数据的按近3个月平均）"
)
ROUNDING_SOURCE = "mibdesk 默认（建议额向上取整到百元）"
JUSTIFICATION_SOURCE = "mibdesk 默认（申请额超过建议额10%以上须说明理由）"


@dataclass(frozen=True)
class SuggestParams:
    """The suggestion's parameters (mibdesk defaults, not policy)."""

    round_up_to: int = 10_000
    """Fen: suggestions are rounded up to whole hundreds of yuan."""
    trailing_months: int = 3
    justification_threshold: Fraction = Fraction(1, 10)


DEFAULT_SUGGEST = SuggestParams()


@dataclass(frozen=True)
class Suggestion:
    """One line's suggested amount for `month`, with how it was found.

    `expected` is the exact estimate; `rounded` the estimate rounded up (before any cap);
    `amount` what is suggested. `basis` lists the monthly figures the estimate rests on.
    """

    line: str
    month: Month
    amount: int
    method: SuggestMethod
    expected: Fraction | None
    rounded: int
    basis: tuple[tuple[Month, int], ...]
    trend: Fraction | None
    trend_pairs: int
    capped: bool
    working: tuple[Step, ...] = field(default=())


@dataclass(frozen=True)
class PlanSuggestion:
    """Every line's suggestion; `total` ≤ `remaining_for_plans` (when a quota is known)."""

    month: Month
    lines: tuple[Suggestion, ...]
    total: int
    uncapped_total: int
    remaining_for_plans: int | None
    capped: bool


def suggest_line(
    line: str, history: Mapping[Month, int], month: Month, params: SuggestParams = DEFAULT_SUGGEST
) -> Suggestion:
    """The uncapped suggestion for `line` in `month` from its monthly history (fen); months
    of `history` at or after `month` are ignored."""
    seasonal = forecast(history, month)
    steps: list[Step] = []
    if seasonal is not None and seasonal.method == "seasonal":
        assert seasonal.same_month_last_year is not None and seasonal.trend is not None
        last_year = month.plus(-12)
        method: SuggestMethod = "seasonal"
        expected: Fraction = seasonal.expected
        basis: tuple[tuple[Month, int], ...] = ((last_year, seasonal.same_month_last_year),)
        trend, pairs = seasonal.trend, seasonal.trend_pairs
        steps += [
            Step(
                _("Same month last year ({month})").format(month=last_year.label),
                seasonal.same_month_last_year,
                _("expenditure of the line"),
                ACCOUNTS_SOURCE,
            ),
            Step(
                _("Trend {trend}: last {count} months ÷ the same months a year earlier").format(
                    trend=ratio(trend), count=pairs
                ),
                None,
                _("growth of the line over the last 12 months"),
                SUGGEST_SOURCE,
            ),
        ]
    else:
        recent = [month.plus(-back) for back in range(params.trailing_months, 0, -1)]
        basis = tuple((m, history[m]) for m in recent if m in history)
        trend, pairs = None, 0
        if not basis:
            steps.append(
                Step(
                    _("No history for the line: enter the amount"),
                    0,
                    _("no figure in the last {count} months").format(count=len(recent)),
                    SUGGEST_SOURCE,
                )
            )
            return Suggestion(line, month, 0, "none", None, 0, (), None, 0, False, tuple(steps))
        method, expected = "trailing_average", Fraction(sum(v for _m, v in basis), len(basis))
        steps.append(
            Step(
                _("Total of the last {count} months reported").format(count=len(basis)),
                sum(v for _m, v in basis),
                _("no same month last year to follow the season"),
                ACCOUNTS_SOURCE,
            )
        )
    estimate = math.ceil(expected)  # whole fen, never below the estimate
    if trend is None:
        label, rule = _("Estimate: average month"), _("total ÷ months reported")
    else:
        label = _("Estimate = {last} × {trend}").format(last=yuan(basis[0][1]), trend=ratio(trend))
        rule = _("same month last year × trend")
    steps.append(Step(label, estimate, rule, SUGGEST_SOURCE))
    rounded = _round_up(max(estimate, 0), params.round_up_to)
    steps.append(
        Step(
            _("Rounded up to a multiple of {unit}").format(unit=yuan(params.round_up_to)),
            rounded,
            _("a plan short of the need leaves claims unpaid"),
            ROUNDING_SOURCE,
        )
    )
    return Suggestion(
        line, month, rounded, method, expected, rounded, basis, trend, pairs, False, tuple(steps)
    )


def suggest_plan(
    history: Mapping[str, Mapping[Month, int]],
    month: Month,
    remaining_for_plans: int | None,
    *,
    line_remaining: Mapping[str, int] | None = None,
    params: SuggestParams = DEFAULT_SUGGEST,
) -> PlanSuggestion:
    """Suggestions for every line of `history` (in its order) for `month`, capped by each
    line's remaining quota (`line_remaining`, where the quota is set per line) and by the
    scheme's `remaining_for_plans` (None: no quota recorded, no cap — the plan itself is
    then refused by `quota.plan_fits`). Pass input lines only, never a subtotal or total:
    the cap is split across the lines given."""
    raw = [suggest_line(line, series, month, params) for line, series in history.items()]
    wanted: dict[str, int] = {}
    for item in raw:
        limit = None if line_remaining is None else line_remaining.get(item.line)
        wanted[item.line] = item.rounded if limit is None else min(item.rounded, max(limit, 0))
    final = dict(wanted)
    if remaining_for_plans is not None:
        final = split_cap(wanted, max(remaining_for_plans, 0))
    lines = []
    for item in raw:
        amount = final[item.line]
        if amount == item.rounded:
            lines.append(item)
            continue
        why = (
            _("line quota left {left}").format(left=yuan(wanted[item.line]))
            if wanted[item.line] < item.rounded
            else ""
        )
        if final[item.line] < wanted[item.line]:
            share = _("share of the remaining quota {left}").format(
                left=yuan(max(remaining_for_plans or 0, 0))
            )
            why = f"{why}；{share}" if why else share
        step = Step(
            _("Capped to fit the remaining quota ({why})").format(why=why),
            amount,
            _("requested + approved may not exceed the available quota"),
            CEILING_SOURCE,
        )
        lines.append(replace(item, amount=amount, capped=True, working=(*item.working, step)))
    total = sum(final.values())
    uncapped = sum(item.rounded for item in raw)
    return PlanSuggestion(
        month, tuple(lines), total, uncapped, remaining_for_plans, total < uncapped
    )


def split_cap(amounts: Mapping[str, int], cap: int) -> dict[str, int]:
    """`amounts` scaled down to sum exactly to `cap` when they exceed it (unchanged otherwise).

    Each line gets ⌊amount × cap ÷ total⌋; the fen left over go to the largest line (the
    first of equals), or, should it have no room left below its own amount, to the next
    largest. No line ends above its amount; every result is ≥ 0.
    """
    if cap < 0:
        raise ValueError(f"cap cannot be negative: {cap}")
    if any(amount < 0 for amount in amounts.values()):
        raise ValueError("amounts cannot be negative")
    total = sum(amounts.values())
    if total <= cap:
        return dict(amounts)
    shares = {line: amount * cap // total for line, amount in amounts.items()}
    left = cap - sum(shares.values())
    for line in sorted(amounts, key=lambda code: -amounts[code]):  # stable: first of equals
        if left == 0:
            break
        extra = min(left, amounts[line] - shares[line])
        shares[line] += extra
        left -= extra
    return shares


def needs_justification(
    requested: int,
    suggested: int,
    threshold: Fraction | Decimal = DEFAULT_SUGGEST.justification_threshold,
) -> bool:
    """Whether a request is well above the suggestion: requested > suggested × (1 + threshold).

    With no suggestion (0), any positive request needs a justification.
    """
    return Fraction(requested) > Fraction(suggested) * (1 + Fraction(threshold))


def justification_prompt(
    requested: int,
    suggested: int,
    threshold: Fraction | Decimal = DEFAULT_SUGGEST.justification_threshold,
) -> str | None:
    """The sentence asking for a justification, or None when none is needed."""
    if not needs_justification(requested, suggested, threshold):
        return None
    if suggested <= 0:
        return _(
            "The request of {requested} has no suggestion to compare with: give the reason."
        ).format(requested=yuan(requested))
    return _(
        "The request of {requested} is {excess} above the suggested {suggested} (more than "
        "{threshold} above): give the reason ({source})."
    ).format(
        requested=yuan(requested),
        excess=percent(Fraction(requested, suggested) - 1),
        suggested=yuan(suggested),
        threshold=percent(Fraction(threshold)),
        source=JUSTIFICATION_SOURCE,
    )


def _round_up(fen: int, unit: int) -> int:
    """`fen` rounded up to a multiple of `unit`."""
    return -(-fen // unit) * unit
