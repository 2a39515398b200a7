"""The city's overview of a month: who has sent the monthly report and the plan, on time or
how late, and the figures consolidated across counties.

Reports are those *of* `report_month` (due the profile's `monthly_report_due`), plans those
*for* `plan_month` (due at the plan chain's first step). A submission is judged on the day
the county sent it (the time its package carries, signed), not on the day the city's sync
happened to pick it up; both times are shown. Amendments do not change the verdict: the
first submission counts, the latest revision is what is consolidated.

Consolidated figures: per scheme and line, the sum over the counties that reported (each
county's own figure plus its townships'), computed lines derived as in a county's report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from mibdesk.core.catalog import Profile, SchemeProfile
from mibdesk.core.monthly import Cell, county_totals, with_computed
from mibdesk.core.periods import Month
from mibdesk.core.repos import city as repo
from mibdesk.core.rules.city_deadlines import Timing, judge
from mibdesk.core.rules.deadlines import Deadline, monthly_report_due, plan_chain
from mibdesk.core.services.calendar import work_calendar
from mibdesk.core.services.store import Store
from mibdesk.core.workdays import WorkCalendar


@dataclass(frozen=True)
class Submission:
    """A county's report or plan for one scheme: when sent, and against its deadline."""

    timing: Timing
    sent_at: str | None  # the first submission, as the county stamped it
    received_at: str | None
    package_id: str  # of the latest revision (report) or version (plan)
    latest: int  # latest revision (report, 0 = original) or version (plan); -1 when none
    status: str  # report: received | amended; plan: submitted | approved | returned | disbursed
    requested: int | None = None  # plan: the latest version's requested total (fen)


@dataclass(frozen=True)
class CountyStatus:
    code: str
    name: str
    registered: bool  # False: sent before, its key no longer active
    reports: Mapping[str, Submission]  # scheme → submission
    plans: Mapping[str, Submission]


@dataclass(frozen=True)
class ConsolidatedLine:
    code: str
    name: str
    section: str
    unit: str  # persons | fen
    computed: bool
    value: int | None  # the sum over the counties that reported the line
    counties: int  # how many counties reported it


@dataclass(frozen=True)
class Consolidation:
    scheme: str
    name: str
    month: Month
    included: tuple[str, ...]  # counties whose report is in the sums
    missing: tuple[str, ...]  # registered counties without a report for the month
    lines: tuple[ConsolidatedLine, ...]


@dataclass(frozen=True)
class CityOverview:
    today: date
    report_month: Month
    plan_month: Month
    report_deadline: Deadline
    plan_deadline: Deadline
    counties: tuple[CountyStatus, ...]
    consolidated: tuple[Consolidation, ...]

    def late(self) -> list[tuple[str, str, str, Timing]]:
        """(county, "report" | "plan", scheme, timing) of everything late or overdue."""
        found = []
        for county in self.counties:
            for what, items in (("report", county.reports), ("plan", county.plans)):
                for scheme, item in items.items():
                    if item.timing.state in ("late", "overdue"):
                        found.append((county.code, what, scheme, item.timing))
        return found


def current_months(today: date) -> tuple[Month, Month]:
    """What a city looks at on `today`: last month's reports, next month's plans."""
    this_month = Month.of(today)
    return this_month.prev(), this_month.next()


def sent_day(text: str | None) -> date | None:
    """The calendar day of a stored timestamp (as the office that wrote it saw it)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def overview(
    store: Store,
    profile: Profile,
    report_month: Month,
    plan_month: Month,
    today: date | None = None,
) -> CityOverview:
    """Every county's reports and plans for the months, and the consolidated figures."""
    today = today or store.clock().date()
    calendar = work_calendar(store)
    with store.read() as session:
        registered = repo.counties(session)
        heads = repo.report_heads(session, [report_month.to_int()])
        plans = repo.plan_heads(session, [plan_month.to_int()])
        latest = _latest_reports(heads)
        sums = repo.line_sums(session, [h.id for h in latest.values()])
    names = {code: name for code, name, _status in registered}
    active = {code for code, _name, status in registered if status == "active"}
    codes = sorted(active | {h.office for h in heads} | {p.office for p in plans})
    report_deadline = monthly_report_due(profile.timetable, report_month, calendar)
    plan_deadline = plan_chain(profile.timetable, plan_month, calendar)[0]
    firsts = _first_sent(heads)
    judged = _Judge(today, calendar)
    plan_rows: dict[tuple[str, str], list[repo.PlanHead]] = defaultdict(list)
    for plan in plans:
        plan_rows[(plan.office, plan.scheme)].append(plan)
    counties = []
    for code in codes:
        reports, plan_items = {}, {}
        for scheme in profile.scheme_codes:
            head = latest.get((code, scheme))
            first = firsts.get((code, scheme))
            reports[scheme] = Submission(
                judged(report_deadline, first[0] if first else None),
                first[0] if first else None,
                first[1] if first else None,
                head.package_id if head else "",
                head.revision if head else -1,
                ("amended" if head.revision else "received") if head else "",
            )
            plan_items[scheme] = _plan_submission(plan_rows[(code, scheme)], plan_deadline, judged)
        counties.append(
            CountyStatus(code, names.get(code, code), code in active, reports, plan_items)
        )
    consolidated = _consolidate(profile, report_month, latest, sums, sorted(active))
    return CityOverview(
        today,
        report_month,
        plan_month,
        report_deadline,
        plan_deadline,
        tuple(counties),
        consolidated,
    )


class _Judge:
    """`judge` with the verdict remembered per (deadline, day): 100 counties share a few."""

    def __init__(self, today: date, calendar: WorkCalendar) -> None:
        self.today, self.calendar = today, calendar
        self._seen: dict[tuple[str, date | None, date | None], Timing] = {}

    def __call__(self, deadline: Deadline, sent_at: str | None) -> Timing:
        day = sent_day(sent_at)
        key = (deadline.code, deadline.due, day)
        if key not in self._seen:
            self._seen[key] = judge(deadline, day, self.today, self.calendar)
        return self._seen[key]


def _latest_reports(heads: list[repo.ReportHead]) -> dict[tuple[str, str], repo.ReportHead]:
    latest: dict[tuple[str, str], repo.ReportHead] = {}
    for head in heads:
        key = (head.office, head.scheme)
        if key not in latest or head.revision > latest[key].revision:
            latest[key] = head
    return latest


def _first_sent(heads: list[repo.ReportHead]) -> dict[tuple[str, str], tuple[str, str]]:
    """(sent_at, received_at) of each county's first revision (the submission itself)."""
    firsts: dict[tuple[str, str], repo.ReportHead] = {}
    for head in heads:
        key = (head.office, head.scheme)
        if key not in firsts or head.revision < firsts[key].revision:
            firsts[key] = head
    return {key: (head.sent_at, head.received_at) for key, head in firsts.items()}


def _plan_submission(
    versions: list[repo.PlanHead], deadline: Deadline, judged: _Judge
) -> Submission:
    if not versions:
        return Submission(judged(deadline, None), None, None, "", -1, "")
    first = min(versions, key=lambda p: p.version)
    last = max(versions, key=lambda p: p.version)
    return Submission(
        judged(deadline, first.submitted_at),
        first.submitted_at,
        first.received_at,
        last.package_id,
        last.version,
        last.status,
        last.requested,
    )


def _consolidate(
    profile: Profile,
    month: Month,
    latest: Mapping[tuple[str, str], repo.ReportHead],
    sums: list[tuple[int, str, int]],
    registered: list[str],
) -> tuple[Consolidation, ...]:
    scheme_of = {head.id: head.scheme for head in latest.values()}
    totals: dict[str, dict[str, int]] = defaultdict(dict)  # scheme → line → Σ counties
    reporting: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for report_id, line, total in sums:
        code = scheme_of[report_id]
        totals[code][line] = totals[code].get(line, 0) + total
        reporting[code][line].add(report_id)
    result = []
    for scheme in profile.schemes:
        heads = [h for (_office, s), h in sorted(latest.items()) if s == scheme.code]
        # a sum of sums: the citywide computed lines are derived once from the input lines
        values = county_figures(scheme, {Cell(k): v for k, v in totals[scheme.code].items()})
        counts = _reporting_counts(scheme, reporting[scheme.code])
        lines = tuple(
            ConsolidatedLine(
                line.code,
                line.name,
                line.section,
                line.unit,
                line.computed,
                values.get(line.code),
                counts.get(line.code, 0),
            )
            for line in scheme.lines
        )
        included = tuple(h.office for h in heads)
        sent = set(included)
        missing = tuple(code for code in registered if code not in sent)
        result.append(Consolidation(scheme.code, scheme.name, month, included, missing, lines))
    return tuple(result)


def county_figures(scheme: SchemeProfile, cells: Mapping[Cell, int]) -> dict[str, int]:
    """A county's figure per line (input lines summed over units, computed lines derived)."""
    return with_computed(scheme, county_totals(scheme, cells))


def _reporting_counts(scheme: SchemeProfile, reporting: Mapping[str, set[int]]) -> dict[str, int]:
    """How many counties reported each line (a computed line: any of its parts)."""
    parts = {line.code: line.sum_of for line in scheme.lines}
    found: dict[str, set[int]] = {}

    def of(code: str) -> set[int]:
        if code not in found:
            inner = parts.get(code, ())
            found[code] = (
                set().union(*(of(c) for c in inner)) if inner else set(reporting.get(code, ()))
            )
        return found[code]

    return {line.code: len(of(line.code)) for line in scheme.lines}
