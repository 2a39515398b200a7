"""What the city overview shows, as plain rows and text (no widgets): every county's monthly
reports and plans against their deadlines, the consolidated figures, a county's drill-down.

The city services load lazily (on the first `load`), so the main window does not import them
at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_count, format_fen
from mibdesk.core.periods import Month
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.rules.city_deadlines import Timing
    from mibdesk.core.services.city.overview import CityOverview, Submission

STATE_COLOURS = {
    "on_time": "#1b7f3b",
    "late": "#c77700",
    "overdue": "#b00020",
    "open": "#5f6b7a",
    "waiting": "#5f6b7a",
    "unknown": "#5f6b7a",
}


def timing_text(timing: Timing) -> str:
    """On time / submitted N working days late / not submitted and N working days overdue /
    not yet due: a late submission and a missing one never read alike."""
    n = timing.late_days or 0
    if timing.state == "on_time":
        return _("on time")
    if timing.state == "late":
        return _("submitted {n} working days late").format(n=n)
    if timing.state == "overdue":
        return _("not submitted, {n} working days overdue").format(n=n)
    if timing.state == "open":
        return _("not yet due")
    if timing.state == "waiting":
        return _("waiting")
    return _("deadline unknown")


def step_text(timing: Timing) -> str:
    """Like `timing_text`, for a step the city itself does (pay, forward): "done N working
    days late" rather than "submitted"."""
    n = timing.late_days or 0
    if timing.state == "late":
        return _("done {n} working days late").format(n=n)
    if timing.state == "overdue":
        return _("not done, {n} working days overdue").format(n=n)
    return timing_text(timing)


def report_text(item: Submission) -> str:
    if item.latest < 0:
        return timing_text(item.timing)
    sent = _("amended") if item.latest else _("received")
    return f"{sent} · {timing_text(item.timing)}"


def plan_text(item: Submission) -> str:
    from mibdesk.core.services.city.plans import STATUS_NAMES

    if item.latest < 0:
        return timing_text(item.timing)
    status = _(STATUS_NAMES.get(item.status, item.status))
    return f"{status} · {timing_text(item.timing)}"


@dataclass(frozen=True)
class StatusCell:
    text: str
    state: str  # a Timing state, for the colour
    tip: str  # the working: due date, sent, received


@dataclass(frozen=True)
class CountyRow:
    code: str
    name: str
    cells: tuple[StatusCell, ...]  # per scheme: report, then plan


@dataclass(frozen=True)
class FigureRow:
    name: str
    value: str
    counties: int
    computed: bool


@dataclass(frozen=True)
class SchemeFigures:
    scheme: str
    name: str
    summary: str  # which counties are in the sums, which are missing
    rows: tuple[FigureRow, ...]


def _value(unit: str, value: int | None) -> str:
    if value is None:
        return ""
    return format_count(value) if unit == "persons" else format_fen(value)


class CityOverviewController:
    """The overview of one report month (plans: for the month after next, as the city sees
    them on a day of the month in between)."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        today = ctx.store.clock().date()
        self.current = Month.of(today).prev()
        months = [self.current]  # the last twelve report months, and this month
        for _step in range(11):
            months.insert(0, months[0].prev())
        self.months = [*months, self.current.next()]
        self.overview: CityOverview | None = None
        self.columns: list[str] = []
        self.rows: list[CountyRow] = []
        self.figures: list[SchemeFigures] = []

    @staticmethod
    def plan_month(report_month: Month) -> Month:
        return report_month.next().next()

    def load(self, report_month: Month) -> None:
        from mibdesk.core.services.city.overview import overview

        ctx = self._ctx
        profile = ctx.profile
        found = overview(ctx.store, profile, report_month, self.plan_month(report_month))
        self.overview = found
        self.columns = [_("County")]
        for scheme in profile.schemes:
            self.columns.append(_("{scheme}: monthly report").format(scheme=scheme.name))
            self.columns.append(_("{scheme}: plan").format(scheme=scheme.name))
        self.rows = []
        for county in found.counties:
            cells: list[StatusCell] = []
            for code in profile.scheme_codes:
                report, plan = county.reports[code], county.plans[code]
                cells.append(StatusCell(report_text(report), report.timing.state, _tip(report)))
                cells.append(StatusCell(plan_text(plan), plan.timing.state, _tip(plan)))
            name = (
                county.name
                if county.registered
                else _("{name} (not registered)").format(name=county.name)
            )
            self.rows.append(CountyRow(county.code, name, tuple(cells)))
        self.figures = []
        for block in found.consolidated:
            summary = _("{n} counties in the sums").format(n=len(block.included))
            if block.missing:
                summary += _("; no report yet from: {codes}").format(
                    codes="、".join(self._name(code) for code in block.missing)
                )
            rows = tuple(
                FigureRow(line.name, _value(line.unit, line.value), line.counties, line.computed)
                for line in block.lines
            )
            self.figures.append(SchemeFigures(block.scheme, block.name, summary, rows))

    def _name(self, code: str) -> str:
        if self.overview is not None:
            for county in self.overview.counties:
                if county.code == code:
                    return county.name
        return code

    def heading(self, report_month: Month) -> str:
        return _("Monthly reports of {report}, fund-use plans for {plan}").format(
            report=report_month.label, plan=self.plan_month(report_month).label
        )

    def drilldown(self, row: int, report_month: Month) -> list[tuple[str, str, list[FigureRow]]]:
        """For the county on `row`, per scheme: (tab title, what was received, its lines)."""
        from mibdesk.core.services.city.drilldown import county_report
        from mibdesk.core.services.city.plans import STATUS_NAMES, county_plan

        ctx, county = self._ctx, self.rows[row]
        found = []
        for scheme in ctx.profile.schemes:
            parts: list[str] = []
            lines: list[FigureRow] = []
            try:
                view = county_report(ctx.store, ctx.profile, county.code, scheme.code, report_month)
            except UserError as error:
                parts.append(str(error))
            else:
                shown = view.shown
                parts.append(
                    _("Report revision {n}, package {package}, sent {sent}").format(
                        n=shown.revision,
                        package=shown.package_id,
                        sent=shown.sent_at[:16].replace("T", " "),
                    )
                )
                lines = [
                    FigureRow(ln.name, _value(ln.unit, ln.value), len(ln.units), ln.computed)
                    for ln in view.lines
                ]
            try:
                plan = county_plan(
                    ctx.store, ctx.profile, county.code, scheme.code, self.plan_month(report_month)
                )
            except UserError as error:
                parts.append(str(error))
            else:
                parts.append(
                    _("Plan version {v}: {status}, requested {amount}").format(
                        v=plan.version,
                        status=_(STATUS_NAMES.get(plan.status, plan.status)),
                        amount=format_fen(plan.requested),
                    )
                )
            found.append((scheme.name, "\n".join(parts), lines))
        return found


def _tip(item: Submission) -> str:
    parts = [item.timing.working]
    if item.sent_at:
        parts.append(_("sent {at}").format(at=item.sent_at[:16].replace("T", " ")))
    if item.received_at:
        parts.append(_("received {at}").format(at=item.received_at[:16].replace("T", " ")))
    if item.package_id:
        parts.append(_("package {id}").format(id=item.package_id))
    return "\n".join(parts)
