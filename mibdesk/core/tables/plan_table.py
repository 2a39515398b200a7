"""The monthly fund-use plan (用款计划) as a grid, with what the screen shows beside it: the
quota, the deadline chain's states and the city's decision as entered.

`PlanTable` has one row per expenditure line of the plan and a 合计 row. Columns: 项目,
年度定额, 本年已拨付, 本年已支出, 上月计划, 上月实际 (the titles name the month compared),
建议额, 申请额, 理由说明, 批复额, 核减理由. Only 申请额 and 理由说明 of a draft can be changed
(by a user who may enter figures); every other cell is read-only and shaded. A typed cell is
saved through the `save` callback (`plans.set_requests`): at once, or, with `deferred`, in
one call for a pasted block (the same batching as `figure_edits.EditBuffer`). A 理由说明
that the service asks for (a request well above the suggestion) is marked with its prompt;
a plan that no longer fits the quota has its requested total marked with the refusal.

The suggestion shown is the one stored when the plan was drafted; a plan drafted without one
(brought in from elsewhere) shows the suggestion for today's figures, from `plans.suggestion`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from mibdesk.core.errors import UserError, ValidationError
from mibdesk.core.i18n import N_, _
from mibdesk.core.periods import Month
from mibdesk.core.rules.deadlines import who_label
from mibdesk.core.rules.plan_suggest import SuggestMethod, justification_prompt
from mibdesk.core.rules.quota import plan_fits
from mibdesk.core.services.plan_flow import StepState, StepStatus
from mibdesk.core.services.plans import PENDING, PlanLineView, PlanView, status_label
from mibdesk.core.table import Cell, Column, Issue, format_value, parse_value

NAME, QUOTA, RECEIVED, SPENT, LAST_PLAN, LAST_ACTUAL = range(6)
SUGGESTED, REQUESTED, JUSTIFICATION, APPROVED, REASON = range(6, 11)
EDITABLE = frozenset({REQUESTED, JUSTIFICATION})
DECISION_COLUMNS = frozenset({APPROVED, REASON})
MONEY_WIDTH = 8
"""Money columns are this many Chinese characters wide: room for 999,999,999.99 (a county's
yearly spending on one line is in the hundreds of millions of yuan)."""

SaveRequests = Callable[[Mapping[str, tuple[int, str]]], PlanView]
"""Store {line: (requested fen, justification)} and return the plan as it is now; raise
`UserError` to refuse them all (nothing stored)."""

METHOD_NAMES: Mapping[str, str] = {
    "seasonal": N_("Same month last year × trend"),
    "trailing_average": N_("Average of the last months"),
    "none": N_("No history"),
}


def plan_status_label(status: str | None) -> str:
    """A plan's status in words (None: the month has no plan yet)."""
    return status_label(status) if status else _("not drafted yet")


def method_label(method: SuggestMethod | str) -> str:
    return _(METHOD_NAMES[method]) if method in METHOD_NAMES else method


def plan_columns(compared: Month | None) -> tuple[Column, ...]:
    """The plan grid's columns; `compared` is the month of 上月计划 / 上月实际."""
    if compared is None:
        last_plan, last_actual = _("Last month's plan"), _("Last month's actual")
    else:  # the month as forms write it in a title: 10月
        last_plan = _("Last month's plan ({month})").format(month=f"{compared.month}月")
        last_actual = _("Last month's actual ({month})").format(month=f"{compared.month}月")
    return (
        Column("name", _("Item"), "text", width_hint=10),
        Column("quota", _("Annual quota"), "fen", width_hint=MONEY_WIDTH),
        Column("received", _("Received this year"), "fen", width_hint=MONEY_WIDTH),
        Column("spent", _("Spent this year"), "fen", width_hint=MONEY_WIDTH),
        Column("last_plan", last_plan, "fen", width_hint=MONEY_WIDTH),
        Column("last_actual", last_actual, "fen", width_hint=MONEY_WIDTH),
        Column("suggested", _("Suggested (?)"), "fen", width_hint=MONEY_WIDTH),
        Column("requested", _("Requested"), "fen", editable=True, width_hint=MONEY_WIDTH),
        Column("justification", _("Justification"), "text", editable=True, width_hint=8),
        Column("approved", _("Approved"), "fen", width_hint=MONEY_WIDTH),
        Column("decision_reason", _("Reason for reduction"), "text", width_hint=10),
    )


def quota_refusal(view: PlanView) -> str | None:
    """Why a plan still on its way no longer fits the quota (the quota was cut, another plan
    was approved meanwhile), with the numbers; None when it fits or was decided already."""
    if view.status not in PENDING:
        return None
    position = view.position
    return plan_fits(view.requested_total, position.approved_plans, position.available)


@dataclass(frozen=True)
class QuotaSummary:
    """The scheme's quota beside the plan: what is available, approved on earlier plans, left
    for plans, asked by this plan and left after it (None once the plan is decided)."""

    available: int
    approved_plans: int
    remaining_for_plans: int
    requested: int
    left_after: int | None
    refusal: str | None


def quota_summary(view: PlanView) -> QuotaSummary:
    position = view.position
    pending = view.status in PENDING
    return QuotaSummary(
        available=position.available,
        approved_plans=position.approved_plans,
        remaining_for_plans=position.remaining_for_plans,
        requested=view.requested_total,
        left_after=position.remaining_for_plans - view.requested_total if pending else None,
        refusal=quota_refusal(view),
    )


def step_state_text(step: StepStatus) -> str:
    """How a step of the plan's way stands: done (on time or late), open, late, unknown."""
    who = who_label(step.deadline.who)
    if step.state == "unknown":
        return step.deadline.problem or _("date unknown")
    if step.state == "late":
        late = _("{who} {days} working days late").format(who=who, days=step.late_days)
        return _("Done, {late}").format(late=late) if step.done_on else late
    if step.state == "done":
        return _("Done on time")
    return _("Not due yet")


def chain_states(
    steps: Sequence[StepStatus], returned: bool = False
) -> list[tuple[str, StepState]]:
    """Each step's state as text with its colour key. A step not done while an earlier one is
    still open waits for that one: nobody is late for work that has not reached them. After
    the city returned the plan, the steps left wait for the county's next version."""
    found: list[tuple[str, StepState]] = []
    waiting: StepStatus | None = None
    for step in steps:
        if step.done_on is None and returned:
            found.append((_("Returned: waiting for the county's next version"), "open"))
            continue
        if step.done_on is None and waiting is not None:
            who = who_label(waiting.deadline.who)
            found.append((_("Waiting for {who}").format(who=who), "open"))
            continue
        found.append((step_state_text(step), step.state))
        if step.done_on is None:
            waiting = step
    return found


@dataclass(frozen=True)
class ReductionRow:
    """One line of the city's decision as entered: approved amount and reason for a cut."""

    line: str
    name: str
    requested: int
    approved: int | None
    reason: str = ""


def reduction_columns() -> tuple[Column, ...]:
    return (
        Column("name", _("Item"), "text", width_hint=11),
        Column("requested", _("Requested"), "fen", width_hint=MONEY_WIDTH),
        Column("approved", _("Approved"), "fen", editable=True, width_hint=MONEY_WIDTH),
        Column("reason", _("Reason for reduction"), "text", editable=True, width_hint=14),
    )


def reduction_rows(view: PlanView) -> list[ReductionRow]:
    """Every line of the plan, approved as requested until the user types a cut."""
    return [ReductionRow(i.line, i.name, i.requested, i.requested) for i in view.lines]


def reductions(rows: Sequence[ReductionRow]) -> dict[str, tuple[int, str]]:
    """The lines the city cut, as `plan_flow.record_decision(reduced=…)` takes them; a line
    left blank is refused (the decision must name every amount)."""
    cuts = {}
    for row in rows:
        if row.approved is None:
            raise ValidationError(_("Enter the approved amount."), where=row.name)
        if row.approved != row.requested or row.reason.strip():
            cuts[row.line] = (row.approved, row.reason)
    return cuts


class PlanTable:
    """A `TableModel` over a `PlanView` (no rows while the month has no plan); see the module
    docstring. `live` maps a line to today's suggestion, shown where none was stored."""

    def __init__(
        self,
        view: PlanView | None,
        save: SaveRequests,
        *,
        live: Mapping[str, int] | None = None,
        can_enter: bool = True,
        deferred: Callable[[], None] | None = None,
    ) -> None:
        self._save = save
        self._can_enter = can_enter
        self._deferred = deferred
        self._amounts: dict[str, int] = {}
        self._reasons: dict[str, str] = {}
        self._view: PlanView | None = None
        self._live: Mapping[str, int] = {}
        self._columns = plan_columns(None)
        self.wants_reason: str | None = None
        """The line whose request was last refused for want of a justification."""
        self.set_view(view, live)

    @property
    def view(self) -> PlanView | None:
        return self._view

    @property
    def pending(self) -> bool:
        """Whether edits are waiting for `flush`."""
        return bool(self._amounts or self._reasons)

    def set_view(self, view: PlanView | None, live: Mapping[str, int] | None = None) -> None:
        """Show `view` (after a save or a reload); edits not yet saved are dropped. `live`
        replaces today's suggestions when given."""
        self._amounts.clear()
        self._reasons.clear()
        self._view = view
        if live is not None:
            self._live = dict(live)
        self._columns = plan_columns(view.compared_month if view else None)

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    def hidden_columns(self) -> frozenset[int]:
        """Columns with nothing to show: 年度定额 where the city sets no quota per line, the
        decision's columns before the city decided."""
        view = self._view
        if view is None:
            return frozenset()
        hidden = set()
        if all(line.annual_quota is None for line in view.lines):
            hidden.add(QUOTA)
        if view.approved_total is None and all(line.approved is None for line in view.lines):
            hidden |= DECISION_COLUMNS
        else:
            hidden.add(SUGGESTED)  # it served the drafting; its working stays a click away
        return frozenset(hidden)

    def row_count(self) -> int:
        lines = self._view.lines if self._view else ()
        return len(lines) + 1 if lines else 0

    def line(self, row: int) -> PlanLineView | None:
        """The plan line of `row`; None for the totals row."""
        lines = self._view.lines if self._view else ()
        return lines[row] if row < len(lines) else None

    def row_of(self, line: str) -> int | None:
        lines = self._view.lines if self._view else ()
        return next((i for i, item in enumerate(lines) if item.line == line), None)

    def suggested(self, item: PlanLineView) -> int | None:
        """The suggestion shown for a line: stored with the plan, else today's."""
        return item.suggested if item.suggested is not None else self._live.get(item.line)

    def requested(self, item: PlanLineView) -> int:
        """The request shown: the edit waiting to be saved, else the stored one."""
        return self._amounts.get(item.line, item.requested)

    def justification(self, item: PlanLineView) -> str:
        return self._reasons.get(item.line, item.justification)

    def is_editable(self, row: int, col: int) -> bool:
        view = self._view
        return (
            col in EDITABLE
            and self._can_enter
            and view is not None
            and view.editable
            and self.line(row) is not None
        )

    def cell(self, row: int, col: int) -> Cell:
        item = self.line(row)
        value = self._value(item, col) if item else self._total(col)
        kind = self._columns[col].kind
        issue = self._issue(item, col)
        computed = item is None or col not in EDITABLE
        display = format_value(kind, value)
        if issue is None:
            return Cell(value, display, computed)
        return Cell(value, display, computed, issue[0], issue[1])

    def set_text(self, row: int, col: int, text: str) -> str | None:
        item = self.line(row)
        if not self.is_editable(row, col) or item is None:
            view = self._view
            if view is not None and not view.editable and col in EDITABLE:
                return _("The plan cannot be changed now: it is {status}.").format(
                    status=plan_status_label(view.status)
                )
            return _("This cell cannot be changed")
        first = not self.pending
        if col == JUSTIFICATION:
            self._reasons[item.line] = text.strip()
        else:
            try:
                amount = parse_value("fen", text)
            except UserError as error:
                return error.message
            self._amounts[item.line] = amount if isinstance(amount, int) else 0
        if self._deferred is None:
            return self.flush()
        if first:
            self._deferred()
        return None

    def flush(self) -> str | None:
        """Save the edits waiting since the last flush, as one save; the refusal, or None."""
        view = self._view
        if view is None or not self.pending:
            return None
        edits = {
            item.line: (self.requested(item), self.justification(item))
            for item in view.lines
            if item.line in self._amounts or item.line in self._reasons
        }
        self.wants_reason = next(
            (
                item.line
                for item in view.lines
                if item.line in edits
                and item.suggested is not None
                and not edits[item.line][1]
                and justification_prompt(edits[item.line][0], item.suggested)
            ),
            None,
        )
        self._amounts.clear()
        self._reasons.clear()
        try:
            result = self._save(edits)
        except UserError as error:
            return str(error)
        self.wants_reason = None
        self.set_view(result)
        return None

    def _value(self, item: PlanLineView, col: int) -> object:
        if col == NAME:
            return item.name
        if col == REQUESTED:
            return self.requested(item)
        if col == JUSTIFICATION:
            return self.justification(item)
        if col == SUGGESTED:
            return self.suggested(item)
        return {
            QUOTA: item.annual_quota,
            RECEIVED: item.received,
            SPENT: item.spent,
            LAST_PLAN: item.last_plan,
            LAST_ACTUAL: item.last_actual,
            APPROVED: item.approved,
            REASON: item.decision_reason,
        }[col]

    def _total(self, col: int) -> object:
        if col == NAME:
            return _("Total")
        if col in (JUSTIFICATION, REASON) or self._view is None:
            return ""
        values = [self._value(item, col) for item in self._view.lines]
        numbers = [v for v in values if isinstance(v, int)]
        return sum(numbers) if numbers else None

    def _issue(self, item: PlanLineView | None, col: int) -> Issue | None:
        view = self._view
        if view is None or not view.editable:
            return None
        if item is None:
            refusal = quota_refusal(view)
            return (refusal, "hard") if refusal and col == REQUESTED else None
        if col == JUSTIFICATION and item.justification_needed and not self.justification(item):
            return item.justification_needed, "hard"
        return None
