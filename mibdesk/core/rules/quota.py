"""Quota arithmetic: the year's available expenditure quota, what is left of it, carry-over,
the ceilings a plan and an adjustment must respect, and the year-end closing summary.

The city sets each county's annual expenditure quota (支出总量定额) per scheme (004 §4.3);
it changes only by a formal budget adjustment (预算调整, 003 §3.3); the unused part at year
end may be carried into next year's quota where the profile allows it (004 §4.3); a
county's plans and spending for the year must stay inside the approved quota (004 §4.4).
The same arithmetic serves a scheme and, where `SchemeProfile.quota_by_line`, each of its
expenditure lines: the caller decides what the figures belong to.

All amounts are int fen. Every result carries its working (`Step`s with rule and source).
Functions raise `TypeError`/`ValueError` only for programming errors; user input is checked
by the services, which show the refusal texts returned here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from mibdesk.core.catalog.profile import Profile
from mibdesk.core.i18n import _
from mibdesk.core.rules.working import Step, yuan

QUOTA_SOURCE = "004 §4.3"
"""The city sets each county's annual expenditure quota per scheme; unused quota may be
carried into next year's."""
ADJUSTMENT_SOURCE = "003 §3.3"
"""A budget changes only by an adjustment made by the set procedure."""
CEILING_SOURCE = "004 §4.4"
"""Plans are made inside the quota; a year's spending may not exceed it."""
ACCOUNTS_SOURCE = "社会保险基金会计制度"
"""Spending is the expenditure total of the monthly reports (基金支出合计)."""


def _require_fen(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int fen, not {type(value).__name__}")


@dataclass(frozen=True)
class Adjustment:
    """A budget adjustment issued by the city: signed fen, document number (文号), date."""

    amount: int
    doc_no: str
    date: date

    def __post_init__(self) -> None:
        _require_fen("adjustment amount", self.amount)


@dataclass(frozen=True)
class QuotaInputs:
    """What makes a year's quota: the base quota, its adjustments, last year's carry-over.

    `doc_no` is the document the base quota was issued by (shown in the working).
    """

    base: int
    adjustments: Sequence[Adjustment] = ()
    carried_over: int = 0
    doc_no: str = ""

    def __post_init__(self) -> None:
        _require_fen("base quota", self.base)
        _require_fen("carried-over quota", self.carried_over)
        if self.base < 0:
            raise ValueError(f"base quota cannot be negative: {self.base}")
        if self.carried_over < 0:
            raise ValueError(f"carried-over quota cannot be negative: {self.carried_over}")
        object.__setattr__(self, "adjustments", tuple(self.adjustments))

    @property
    def adjustments_total(self) -> int:
        """The net of all adjustments (signed fen)."""
        return sum(adjustment.amount for adjustment in self.adjustments)

    @property
    def available(self) -> int:
        """Base + adjustments + carry-over."""
        return self.base + self.adjustments_total + self.carried_over


@dataclass(frozen=True)
class QuotaPosition:
    """Where a year's quota stands.

    `remaining_for_plans` = available − approved plans (what new plans may still ask for);
    `remaining_for_spending` = available − spent. Both may be negative (an overspend).
    """

    quota: int
    adjustments: int
    carried_over: int
    available: int
    approved_plans: int
    received: int
    spent: int
    remaining_for_plans: int
    remaining_for_spending: int
    working: tuple[Step, ...] = field(default=())


@dataclass(frozen=True)
class CarryOver:
    """Last year's unused quota carried into this year's: `amount` ≥ 0.

    `allowed` is the profile's flag; `unused` = last year's available − spent (negative when
    the quota was overspent).
    """

    amount: int
    allowed: bool
    unused: int
    working: tuple[Step, ...]


@dataclass(frozen=True)
class ClosingSummary:
    """A scheme's (or line's) year at its close: it feeds the settlement and next year's quota.

    `unused` = max(available − spent, 0); `overspent` = max(spent − available, 0);
    `carried_over` is what goes into next year's quota.
    """

    quota: int
    adjustments: int
    carried_in: int
    available: int
    spent: int
    unused: int
    overspent: int
    carried_over: int
    working: tuple[Step, ...]


def available_working(inputs: QuotaInputs) -> list[Step]:
    """The steps from the base quota to the available quota."""
    doc = f"（{inputs.doc_no}）" if inputs.doc_no else ""
    steps = [
        Step(
            _("Annual expenditure quota{doc}").format(doc=doc),
            inputs.base,
            _("The city sets each county's annual expenditure quota per scheme"),
            QUOTA_SOURCE,
        )
    ]
    for adjustment in inputs.adjustments:
        steps.append(
            Step(
                _("Budget adjustment {doc_no} of {date}").format(
                    doc_no=adjustment.doc_no, date=adjustment.date.isoformat()
                ),
                adjustment.amount,
                _("A quota changes only by a formal budget adjustment"),
                ADJUSTMENT_SOURCE,
            )
        )
    if inputs.carried_over:
        steps.append(
            Step(
                _("Unused quota carried over from last year"),
                inputs.carried_over,
                _("Unused quota at year end is carried into next year's quota"),
                QUOTA_SOURCE,
            )
        )
    steps.append(
        Step(
            _("Available quota"),
            inputs.available,
            _("quota + adjustments + carry-over"),
            QUOTA_SOURCE,
        )
    )
    return steps


def quota_position(
    inputs: QuotaInputs, *, approved_plans: int = 0, received: int = 0, spent: int = 0
) -> QuotaPosition:
    """The year's position: available quota, approved plans, funds received, spending, and
    what remains for plans and for spending, with the working."""
    for name, value in (("approved plans", approved_plans), ("received", received)):
        _require_fen(name, value)
    _require_fen("spent", spent)
    available = inputs.available
    steps = available_working(inputs)
    steps += [
        Step(
            _("Plans approved"),
            approved_plans,
            _("sum of the approved monthly plans"),
            CEILING_SOURCE,
        ),
        Step(
            _("Remaining for plans"),
            available - approved_plans,
            _("available quota − plans approved"),
            CEILING_SOURCE,
        ),
        Step(
            _("Funds received"),
            received,
            _("sum of the disbursements received"),
            CEILING_SOURCE,
        ),
        Step(_("Spent"), spent, _("expenditure total, year to date"), ACCOUNTS_SOURCE),
        Step(
            _("Remaining for spending"),
            available - spent,
            _("available quota − spent"),
            CEILING_SOURCE,
        ),
    ]
    return QuotaPosition(
        quota=inputs.base,
        adjustments=inputs.adjustments_total,
        carried_over=inputs.carried_over,
        available=available,
        approved_plans=approved_plans,
        received=received,
        spent=spent,
        remaining_for_plans=available - approved_plans,
        remaining_for_spending=available - spent,
        working=tuple(steps),
    )


def sum_positions(positions: Iterable[QuotaPosition]) -> QuotaPosition:
    """A scheme's position as the sum of its lines' positions (quota set per line)."""
    items = list(positions)

    def total(name: str) -> int:
        return sum(int(getattr(position, name)) for position in items)

    available = total("available")
    return QuotaPosition(
        quota=total("quota"),
        adjustments=total("adjustments"),
        carried_over=total("carried_over"),
        available=available,
        approved_plans=total("approved_plans"),
        received=total("received"),
        spent=total("spent"),
        remaining_for_plans=total("remaining_for_plans"),
        remaining_for_spending=total("remaining_for_spending"),
        working=(
            Step(
                _("Available quota, sum of {count} lines").format(count=len(items)),
                available,
                _("The quota is set per expenditure line; the scheme's is their sum"),
                QUOTA_SOURCE,
            ),
        ),
    )


def carry_over(last_year_available: int, last_year_spent: int, profile: Profile) -> CarryOver:
    """Last year's unused quota that goes into this year's, as the profile allows.

    Only unused quota is carried (004 §4.3: 当年总量定额结余的部分，可纳入次年总量): an
    overspend is not carried into next year as a cut, so the amount is never negative.
    """
    _require_fen("last year's available quota", last_year_available)
    _require_fen("last year's spending", last_year_spent)
    flag = profile.carry_over
    unused = last_year_available - last_year_spent
    steps = [
        Step(
            _("Last year's available quota"),
            last_year_available,
            _("quota + adjustments + carry-over"),
            QUOTA_SOURCE,
        ),
        Step(
            _("Last year's spending"),
            last_year_spent,
            _("expenditure total for the year"),
            ACCOUNTS_SOURCE,
        ),
        Step(
            _("Unused quota") if unused >= 0 else _("Overspent"),
            unused,
            _("available quota − spent"),
            QUOTA_SOURCE,
        ),
    ]
    if not flag.value:
        steps.append(
            Step(
                _("Not carried over: {city} does not carry unused quota into the next year").format(
                    city=profile.name
                ),
                0,
                _("The profile does not provide for carrying unused quota over"),
                flag.source,
            )
        )
        return CarryOver(0, False, unused, tuple(steps))
    if unused < 0:
        steps.append(
            Step(
                _(
                    "Not carried over: spending exceeded the quota by {over}; an overspend is "
                    "not carried into next year's quota as a cut"
                ).format(over=yuan(-unused)),
                0,
                _("Only the unused part of the quota is carried into next year's"),
                QUOTA_SOURCE,
            )
        )
        return CarryOver(0, True, unused, tuple(steps))
    steps.append(
        Step(
            _("Carried into next year's quota"),
            unused,
            _("Unused quota at year end is carried into next year's quota"),
            flag.source,
        )
    )
    return CarryOver(unused, True, unused, tuple(steps))


def plan_fits(requested_total: int, approved_so_far: int, available: int | None) -> str | None:
    """None when the requested plan fits the quota, else the refusal with the numbers.

    Requested + already approved ≤ available (004 §4.4; domain.md "Monthly fund-use plan").
    `available` None means no quota is recorded for the year: a plan is refused.
    """
    _require_fen("requested total", requested_total)
    _require_fen("approved so far", approved_so_far)
    if available is None:
        return _(
            "No expenditure quota is recorded for this year: record the city's quota "
            "before drafting a plan ({source})."
        ).format(source=CEILING_SOURCE)
    if requested_total < 0:
        return _("The requested amount cannot be negative: {requested}.").format(
            requested=yuan(requested_total)
        )
    total = requested_total + approved_so_far
    if total <= available:
        return None
    return _(
        "The plan asks for {requested}; with {approved} already approved that makes {total}, "
        "{over} more than the available quota of {available}. Reduce the request or ask the "
        "city for a budget adjustment ({source})."
    ).format(
        requested=yuan(requested_total),
        approved=yuan(approved_so_far),
        total=yuan(total),
        over=yuan(total - available),
        available=yuan(available),
        source=CEILING_SOURCE,
    )


def adjustment_fits(new_available: int, approved_so_far: int) -> str | None:
    """None when the quota after an adjustment still covers the plans already approved,
    else the refusal with the numbers (004 §4.4: plans stay inside the quota)."""
    _require_fen("new available quota", new_available)
    _require_fen("approved so far", approved_so_far)
    if new_available >= approved_so_far:
        return None
    return _(
        "After this adjustment the available quota would be {available}, {short} less than "
        "the {approved} already approved in plans. An adjustment may not take the quota "
        "below what is already approved ({source})."
    ).format(
        available=yuan(new_available),
        short=yuan(approved_so_far - new_available),
        approved=yuan(approved_so_far),
        source=CEILING_SOURCE,
    )


def closing_summary(inputs: QuotaInputs, spent: int, profile: Profile) -> ClosingSummary:
    """The year closed: quota, adjustments, carry-over in, available, spent, unused or
    overspent, and what is carried into next year's quota under the profile."""
    _require_fen("spent", spent)
    available = inputs.available
    carried = carry_over(available, spent, profile)
    steps = [*available_working(inputs), *carried.working[1:]]
    return ClosingSummary(
        quota=inputs.base,
        adjustments=inputs.adjustments_total,
        carried_in=inputs.carried_over,
        available=available,
        spent=spent,
        unused=max(available - spent, 0),
        overspent=max(spent - available, 0),
        carried_over=carried.amount,
        working=tuple(steps),
    )
