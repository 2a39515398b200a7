"""The workbench: what is due this month for this office, with working days left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from mibdesk.core.catalog import Profile
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.repos import reports
from mibdesk.core.rules.deadlines import Deadline, monthly_report_due, plan_chain, working_days_left
from mibdesk.core.services.calendar import work_calendar
from mibdesk.core.services.store import Store

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
    follow_up: tuple[Deadline, ...] = field(default_factory=tuple)


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
        plan_state = reports.plan_statuses(session, plan_month.to_int())
    report_deadline = monthly_report_due(profile.timetable, report_month, calendar)
    chain = plan_chain(profile.timetable, plan_month, calendar)
    county_step = next(d for d in chain if d.who == "county")
    items: list[DueItem] = []
    for scheme in profile.schemes:
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
                county_step,
                plan_state.get(scheme.code),
                PLAN_DONE,
                tuple(d for d in chain if d is not county_step),
            ),
        ):
            left = (
                working_days_left(calendar, today, deadline.due)
                if deadline.due is not None
                else None
            )
            done = status in done_set
            items.append(
                DueItem(
                    title,
                    deadline,
                    _state(done, deadline.due, left),
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
