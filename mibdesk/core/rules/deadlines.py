"""Due dates from a profile's timetable and the working-day calendar.

A fixed-day deadline ("the 25th") that falls on a non-working day moves as the profile's
`holiday_shift` says (顺延 to the next working day by default); a clamped day (the 30th in
February) becomes the month's last day. A step "N working days after" the previous one counts
N working days after that step's due date. When a year has no calendar data the date is not
guessed: the deadline carries the calendar problem instead (domain.md "Monthly fund-use plan";
Jining 004 §4.4, Shaoxing 000 附件 §2.3).
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from mibdesk.core.errors import CalendarUnknownError
from mibdesk.core.i18n import N_, _
from mibdesk.core.periods import Month
from mibdesk.core.workdays import WorkCalendar

if TYPE_CHECKING:  # the catalog (pydantic) loads only when a profile is used
    from mibdesk.core.catalog.profile import DueRule, PlanStep, Timetable


WHO_NAMES = {"county": N_("The county"), "city": N_("The city"), "finance": N_("Finance")}


def who_label(who: str) -> str:
    """Who must take a step of the plan's way: the county, the city or finance."""
    return _(WHO_NAMES[who]) if who in WHO_NAMES else who


@dataclass(frozen=True)
class Deadline:
    """One due date with its working; `due` is None when the calendar cannot tell."""

    code: str
    name: str
    who: str
    nominal: date | None  # the day the rule names, before any holiday shift
    due: date | None
    working: str  # how the date was found, in words
    source: str
    problem: str = ""  # why `due` is None (a year without calendar data)


def _day_in(month: Month, day: int) -> date:
    last = pycalendar.monthrange(month.year, month.month)[1]
    return date(month.year, month.month, min(day, last))


def _shift(day: date, how: str, calendar: WorkCalendar) -> date:
    if how == "next":
        return calendar.next_workday(day)
    if how == "previous":
        return calendar.previous_workday(day)
    return day


def _fixed_day(
    month: Month, day: int, timetable: Timetable, calendar: WorkCalendar
) -> tuple[date, date, str]:
    nominal = _day_in(month, day)
    due = _shift(nominal, timetable.holiday_shift.value, calendar)
    if due == nominal:
        working = _("day {day} of {month}").format(day=day, month=month.label)
    else:
        working = _("day {day} of {month} is not a working day; moved to {due}").format(
            day=day, month=month.label, due=due.isoformat()
        )
    return nominal, due, working


def monthly_report_due(
    timetable: Timetable, report_month: Month, calendar: WorkCalendar
) -> Deadline:
    """When the monthly report for `report_month` is due."""
    rule: DueRule = timetable.monthly_report_due
    month = report_month.plus(rule.month_offset)
    name = _("Monthly report for {month}").format(month=report_month.label)
    try:
        nominal, due, working = _fixed_day(month, rule.day, timetable, calendar)
    except CalendarUnknownError as error:
        return Deadline(
            "monthly_report",
            name,
            "county",
            _day_in(month, rule.day),
            None,
            "",
            rule.source,
            error.message,
        )
    return Deadline("monthly_report", name, "county", nominal, due, working, rule.source)


def plan_chain(timetable: Timetable, plan_month: Month, calendar: WorkCalendar) -> list[Deadline]:
    """Every step of the fund-use plan for `plan_month`, drafted in the month before."""
    drafted_in = plan_month.prev()
    found: dict[str, Deadline] = {}
    for step in timetable.plan_steps:
        found[step.code] = _step(step, drafted_in, timetable, calendar, found)
    return list(found.values())


def _step(
    step: PlanStep,
    drafted_in: Month,
    timetable: Timetable,
    calendar: WorkCalendar,
    earlier: dict[str, Deadline],
) -> Deadline:
    if step.rule == "day_of_month":
        assert step.day is not None
        month = drafted_in.plus(step.month_offset)
        try:
            nominal, due, working = _fixed_day(month, step.day, timetable, calendar)
        except CalendarUnknownError as error:
            return Deadline(
                step.code,
                step.name,
                step.who,
                _day_in(month, step.day),
                None,
                "",
                step.source,
                error.message,
            )
        return Deadline(step.code, step.name, step.who, nominal, due, working, step.source)
    assert step.after is not None and step.days is not None
    before = earlier[step.after]
    if before.due is None:
        return Deadline(step.code, step.name, step.who, None, None, "", step.source, before.problem)
    try:
        due = calendar.add_workdays(before.due, step.days)
    except CalendarUnknownError as error:
        return Deadline(step.code, step.name, step.who, None, None, "", step.source, error.message)
    working = _("{days} working days after {step} ({date})").format(
        days=step.days, step=before.name, date=before.due.isoformat()
    )
    return Deadline(step.code, step.name, step.who, due, due, working, step.source)


def working_days_left(calendar: WorkCalendar, today: date, due: date) -> int:
    """Working days from tomorrow up to and including `due` (0 on the day; negative if late)."""
    return calendar.workdays_between(today, due)
