"""The workbench: what is due this month for this office, with working days left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.repos import plans, reports
from mibdesk.core.rules.deadlines import Deadline, monthly_report_due, working_days_left
from mibdesk.core.services.calendar import work_calendar
from mibdesk.core.services.store import Store

if TYPE_CHECKING:
    from mibdesk.core.catalog import Profile
    from mibdesk.core.services.plan_flow import StepStatus

REPORT_DONE = {"approved"}
PLAN_DONE = {"submitted", "approved", "returned", "disbursed"}
CALENDAR_WARNING_FROM_MONTH = 11  # from 1 November, next year's calendar should be there


class State(StrEnum):
    DONE = "done"
    OPEN = "open"
    DUE_SOON = "due_soon"
    LATE = "late"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DueItem:
    title: str
    deadline: Deadline
    state: State
    workdays_left: int | None
    status_text: str
    follow_up: tuple[StepStatus, ...] = field(default_factory=tuple)  # the plan's later steps


@dataclass(frozen=True)
class Workbench:
    today: date
    items: tuple[DueItem, ...]
    warnings: tuple[str, ...]


def _state(done: bool, due: date | None, left: int | None) -> State:
    if done:
        return State.DONE
    if due is None or left is None:
        return State.UNKNOWN
    if left < 0:
        return State.LATE
    return State.DUE_SOON if left <= 3 else State.OPEN


def build_workbench(store: Store, profile: Profile, today: date) -> Workbench:
    """Monthly reports for last month and plans for next month, scheme by scheme."""
    calendar = work_calendar(store)
    this_month = Month.of(today)
    report_month, plan_month = this_month.prev(), this_month.next()
    with store.read() as session:
        report_state = reports.report_statuses(session, report_month.to_int())
        plan_rows = plans.latest_of_period(session, plan_month.to_int())
    from mibdesk.core.services.plan_flow import chain_status, done_dates  # loads the rules

    report_deadline = monthly_report_due(profile.timetable, report_month, calendar)
    items: list[DueItem] = []
    for scheme in profile.schemes:
        plan = plan_rows.get(scheme.code)
        dates = done_dates(plan.submitted_at, plan.decided_on, plan.disbursed_on) if plan else {}
        chain = chain_status(profile, calendar, plan_month, dates, today)
        for title, deadline, status, done_set, follow in (
            (
                _("{month} monthly report · {scheme}").format(
                    month=report_month.label, scheme=scheme.name
                ),
                report_deadline,
                report_state.get(scheme.code),
                REPORT_DONE,
                (),
            ),
            (
                _("{month} fund-use plan · {scheme}").format(
                    month=plan_month.label, scheme=scheme.name
                ),
                chain[0].deadline,
                plan.status if plan else None,
                PLAN_DONE,
                tuple(chain[1:]),
            ),
        ):
            left = (
                working_days_left(calendar, today, deadline.due)
                if deadline.due is not None
                else None
            )
            items.append(
                DueItem(
                    title,
                    deadline,
                    _state(status in done_set, deadline.due, left),
                    left,
                    _status_text(status),
                    follow,
                )
            )
    warnings = []
    next_year = today.year + 1
    if today.month >= CALENDAR_WARNING_FROM_MONTH and not calendar.has_year(next_year):
        warnings.append(
            _(
                "There is no working-day calendar for {year} yet: deadlines in {year} cannot be "
                "computed. Import the calendar in Settings (or wait for the city's)."
            ).format(year=next_year)
        )
    return Workbench(today, tuple(items), tuple(warnings))


def _status_text(status: str | None) -> str:
    names = {
        None: _("not started"),
        "draft": _("draft"),
        "prepared": _("prepared"),
        "reviewed": _("reviewed"),
        "signed": _("signed"),
        "approved": _("approved"),
        "submitted": _("submitted"),
        "returned": _("returned by the city"),
        "disbursed": _("disbursed"),
    }
    return names.get(status, status or "")
