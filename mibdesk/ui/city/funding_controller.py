"""What the funding screen (用款申请与拨付) does, without widgets: the month's applications to
finance for a scheme, the counties in and out of them, each step against its deadline, and
the work — assemble, record finance's payment, forward the money to the counties.

The work methods (`assemble`, `record_funding`, `forward`, `forward_all`) call the services,
which check everything and raise `UserError` (nothing changed) when they refuse; they return
the service's `Outcome` and are meant to run on the task runner; the screen publishes the
`Changes` on the hub when they are done. The services load lazily.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Permission
from mibdesk.ui.city.overview_controller import STATE_COLOURS, step_text
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.rules.city_deadlines import Timing
    from mibdesk.core.services.changes import Outcome
    from mibdesk.core.services.city.application import Application
    from mibdesk.core.services.city.application_counties import CountyStanding

STANDING_COLOURS = {
    "missing": "#b00020",
    "undecided": "#c77700",
    "returned": "#c77700",
    "waiting": "#1f5fa8",
    "included": "",
    "forwarded": "#1b7f3b",
}


@dataclass(frozen=True)
class Cell:
    text: str
    colour: str = ""
    tip: str = ""


def standing_text(row: CountyStanding) -> str:
    if row.standing == "missing":
        return _("no plan received")
    if row.standing == "undecided":
        return _("waiting for the city's decision")
    if row.standing == "returned":
        return _("returned to the county")
    if row.standing == "waiting":
        return _("approved, not yet in an application")
    if row.standing == "included":
        return _("in application {n}").format(n=row.number)
    return _("forwarded")


def county_columns() -> tuple[str, ...]:
    return (
        _("County"),
        _("Plan"),
        _("Version"),
        _("Requested (yuan)"),
        _("Approved (yuan)"),
        _("Forwarded (yuan)"),
        _("Forwarded on"),
    )


def county_cells(row: CountyStanding) -> tuple[Cell, ...]:
    def money(value: int | None) -> str:
        return "" if value is None else format_fen(value)

    return (
        Cell(f"{row.name}（{row.county}）"),
        Cell(standing_text(row), STANDING_COLOURS[row.standing]),
        Cell("" if row.version is None else str(row.version)),
        Cell(money(row.requested)),
        Cell(money(row.approved)),
        Cell(money(row.forwarded_amount)),
        Cell(row.forwarded_on or ""),
    )


def line_columns() -> tuple[str, ...]:
    return (_("Line"), _("Requested (yuan)"), _("Approved (yuan)"), _("Reduced by (yuan)"))


def step_columns() -> tuple[str, ...]:
    return (_("Step"), _("Due date"), _("Done on"), _("State"))


def step_cells(steps: Sequence[Timing]) -> list[tuple[Cell, ...]]:
    """Each step of the chain: due date, done on, on time or how late."""
    rows: list[tuple[Cell, ...]] = []
    for step in steps:
        deadline = step.deadline
        tip = "\n".join(t for t in (deadline.working, step.working, deadline.source) if t)
        rows.append(
            (
                Cell(deadline.name, tip=tip),
                Cell(deadline.due.isoformat() if deadline.due else "—", tip=tip),
                Cell(step.done_on.isoformat() if step.done_on else "—"),
                Cell(step_text(step), STATE_COLOURS[step.state], tip),
            )
        )
    return rows


class FundingController:
    """The applications for one scheme and plan month; `load` reads them."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.can_enter = ctx.actor.can(Permission.ENTER)
        self.can_pay = ctx.actor.can(Permission.APPROVE)
        self.current = Month.of(ctx.store.clock().date()).next()
        months = [self.current]
        for _step in range(11):
            months.insert(0, months[0].prev())
        self.months = [*months, self.current.next()]
        self.schemes = [(s.code, s.name) for s in ctx.profile.schemes]
        self.month = self.current
        self.applications: list[Application] = []
        self.counties: list[CountyStanding] = []

    def today(self) -> date:
        return self._ctx.store.clock().date()

    def load(self, scheme: str, month: Month) -> None:
        from mibdesk.core.services.city.application import applications
        from mibdesk.core.services.city.application_counties import application_counties

        ctx = self._ctx
        self.month = month
        self.applications = applications(ctx.store, ctx.profile, scheme, month)
        self.counties = application_counties(
            ctx.store, ctx.profile, scheme, month, self.applications
        )

    def steps(self, app: Application | None) -> list[tuple[Cell, ...]]:
        """The application's steps; before there is one, the month's due dates."""
        from mibdesk.core.services.city.application import month_chain

        if app is not None:
            return step_cells(app.steps)
        return step_cells(month_chain(self._ctx.store, self._ctx.profile, self.month))

    def chosen(self, number: int | None) -> Application | None:
        """The application numbered `number`, else the latest; None when there is none."""
        found = [a for a in self.applications if a.number == number]
        return found[0] if found else (self.applications[-1] if self.applications else None)

    def summary(self) -> tuple[str, str]:
        """Which counties are in, which are not ready, and the tone (ok or note or error)."""
        count = {s: 0 for s in STANDING_COLOURS}
        for row in self.counties:
            count[row.standing] += 1
        text = _(
            "{included} counties in an application, {waiting} approved and waiting to be "
            "assembled, {undecided} undecided, {missing} without a plan."
        ).format(
            included=count["included"] + count["forwarded"],
            waiting=count["waiting"],
            undecided=count["undecided"] + count["returned"],
            missing=count["missing"],
        )
        open_ones = count["undecided"] + count["returned"] + count["missing"]
        return text, "note" if open_ones else "ok"

    def status_text(self, app: Application) -> str:
        """Number, status and total: "Application 1: applied for, 75,000.00 yuan"."""
        from mibdesk.core.services.city.application import STATUS_NAMES

        return _("Application {n}: {status}, {total} yuan").format(
            n=app.number, status=_(STATUS_NAMES[app.status]), total=format_fen(app.total)
        )

    def progress_text(self, app: Application) -> str:
        """Who did what when: sent to finance, finance's payment, forwarded so far."""
        parts = []
        if app.applied_on:
            parts.append(_("sent to finance on {date}").format(date=app.applied_on))
        if app.funded_on and app.funded_amount is not None:
            parts.append(
                _("finance paid {amount} yuan on {date} {doc}")
                .format(
                    amount=format_fen(app.funded_amount), date=app.funded_on, doc=app.funded_doc
                )
                .strip()
            )
            parts.append(_("forwarded {amount} yuan").format(amount=format_fen(app.forwarded)))
        return " · ".join(parts)

    def line_cells(self, app: Application) -> list[tuple[Cell, ...]]:
        rows: list[tuple[Cell, ...]] = [
            (
                Cell(line.name),
                Cell(format_fen(line.requested)),
                Cell(format_fen(line.approved)),
                Cell(format_fen(line.requested - line.approved)),
            )
            for line in app.lines
        ]
        requested = sum(line.requested for line in app.lines)
        approved = sum(line.approved for line in app.lines)
        rows.append(
            (
                Cell(_("Total")),
                Cell(format_fen(requested)),
                Cell(format_fen(approved)),
                Cell(format_fen(requested - approved)),
            )
        )
        return rows

    def unpaid(self, app: Application) -> list[tuple[str, str, int]]:
        """(county, name, approved) of the application's counties not yet paid."""
        return [(i.county, i.name, i.amount) for i in app.items if not i.forwarded_on]

    # -- work (worker thread; UserError when refused, nothing changed then) ----------------

    def assemble(self, scheme: str, month: Month) -> Outcome[Application]:
        from mibdesk.core.services.city.application import assemble

        ctx = self._ctx
        return assemble(ctx.store, ctx.actor, ctx.profile, scheme, month)

    def record_funding(
        self, app: Application, amount: int, paid_on: date, doc_no: str
    ) -> Outcome[Application]:
        from mibdesk.core.services.city.application import record_funding

        ctx = self._ctx
        return record_funding(
            ctx.store,
            ctx.actor,
            ctx.profile,
            app.scheme,
            app.month,
            amount,
            paid_on,
            doc_no,
            app.number,
        )

    def forward(
        self, app: Application, county: str, amount: int, paid_on: date
    ) -> Outcome[Application]:
        from mibdesk.core.services.city.forwarding import forward

        ctx = self._ctx
        return forward(
            ctx.store, ctx.actor, ctx.profile, county, app.scheme, app.month, amount, paid_on
        )

    def forward_all(self, app: Application, paid_on: date) -> Outcome[Application]:
        from mibdesk.core.services.city.forwarding import forward_all

        ctx = self._ctx
        return forward_all(
            ctx.store, ctx.actor, ctx.profile, app.scheme, app.month, paid_on, app.number
        )
