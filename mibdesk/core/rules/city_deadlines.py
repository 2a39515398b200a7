"""On time or late: a county's submission against its due date, and the city's steps of the
monthly money chain (apply to finance, finance pays, forward to the counties).

Lateness is counted in working days (the statutory calendar with its moved workdays): a thing
done on the due date or before is on time; done later, it is late by the working days in
(due, done]; not done and past due, it is overdue by the working days in (due, today].

A step "N working days after" another counts from the day the earlier step was actually done
when it has been (市财政拨付后 N 个工作日内拨付县区: the city cannot forward money it has not
received), else from the earlier step's due date. So finance paying late does not make the
city late; the county's own screen, which cannot see when finance paid, counts from due dates
(rules/deadlines.plan_chain). A step whose earlier step is not done is waiting, not late.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Literal

from mibdesk.core.errors import CalendarUnknownError
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.rules.deadlines import Deadline, plan_chain
from mibdesk.core.workdays import WorkCalendar

if TYPE_CHECKING:
    from mibdesk.core.catalog.profile import PlanStep, Timetable

State = Literal["on_time", "late", "overdue", "open", "waiting", "unknown"]


@dataclass(frozen=True)
class Timing:
    """A deadline, when the thing was done, and the verdict with its working in words."""

    deadline: Deadline
    done_on: date | None
    state: State
    late_days: int | None  # working days after the due date (done late, or still overdue)
    working: str


def judge(deadline: Deadline, done_on: date | None, today: date, calendar: WorkCalendar) -> Timing:
    """On time, late (done after the due date), overdue (not done, past due) or open."""
    due = deadline.due
    if due is None:  # a year without calendar data: the date is not guessed
        return Timing(deadline, done_on, "unknown", None, deadline.problem)
    end = done_on or today
    try:
        late = calendar.workdays_between(due, end) if end > due else 0
    except CalendarUnknownError as error:
        return Timing(deadline, done_on, "unknown", None, error.message)
    if done_on is not None:
        if late > 0:
            working = _("done {done}, {n} working days after the due date {due}").format(
                done=done_on.isoformat(), n=late, due=due.isoformat()
            )
            return Timing(deadline, done_on, "late", late, working)
        working = _("done {done}, due {due}").format(done=done_on.isoformat(), due=due.isoformat())
        return Timing(deadline, done_on, "on_time", 0, working)
    if late > 0:
        working = _("not done; due {due}, {n} working days ago").format(due=due.isoformat(), n=late)
        return Timing(deadline, None, "overdue", late, working)
    return Timing(deadline, None, "open", 0, _("due {due}").format(due=due.isoformat()))


def city_chain(
    timetable: Timetable,
    plan_month: Month,
    calendar: WorkCalendar,
    done: Mapping[str, date | None],
    today: date,
) -> list[Timing]:
    """Every step of the plan for `plan_month` judged, "after" steps counted from the day
    the earlier step was done (see the module docstring)."""
    found: dict[str, Timing] = {}
    rules: dict[str, PlanStep] = {step.code: step for step in timetable.plan_steps}
    for deadline in plan_chain(timetable, plan_month, calendar):
        step = rules[deadline.code]
        earlier = found.get(step.after or "")
        if step.rule == "working_days_after" and earlier and earlier.done_on and step.days:
            deadline = _after_done(deadline, earlier, step.days, calendar)
        timing = judge(deadline, done.get(deadline.code), today, calendar)
        if timing.done_on is None and any(t.done_on is None for t in found.values()):
            timing = replace(timing, state="waiting", late_days=None, working="")
        found[deadline.code] = timing
    return list(found.values())


def _after_done(deadline: Deadline, earlier: Timing, days: int, calendar: WorkCalendar) -> Deadline:
    assert earlier.done_on is not None
    try:
        due = calendar.add_workdays(earlier.done_on, days)
    except CalendarUnknownError as error:
        return replace(deadline, nominal=None, due=None, working="", problem=error.message)
    working = _("{days} working days after {step} was done ({date})").format(
        days=days, step=earlier.deadline.name, date=earlier.done_on.isoformat()
    )
    return replace(deadline, nominal=due, due=due, working=working)
