"""What the monthly report screen does, without widgets: the month shown, its grids, which
workflow steps fit the user and the month, and the calls to the figures services.

Every write goes through `mibdesk.core.services.figures` / `report_flow`, which check
permissions and the month's status and raise `UserError` (nothing changed) when they refuse.
Typed cells wait in the grids' edit buffers until `flush()`, so a pasted block is ONE save;
after a write the controller publishes the service's `Changes` on the hub (`publishing` is
True meanwhile, so the screen knows the change is its own and already shown).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mibdesk.core.catalog import Profile, SchemeProfile
from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell, Problem, ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Actor, Permission
from mibdesk.core.services import accounts, report_flow
from mibdesk.core.services.changes import Changes, Outcome
from mibdesk.core.services.figures import MonthForm, month_form, save_cells
from mibdesk.core.services.report_flow import CellChange, status_label
from mibdesk.core.services.setup import OfficeLevel
from mibdesk.core.services.store import Store
from mibdesk.core.services.township_figures import TownshipBreakdown, township_breakdown
from mibdesk.core.tables.figure_changes import DiffRow, diff_rows
from mibdesk.core.tables.month_table import MonthTable
from mibdesk.core.tables.township_table import TownshipTable
from mibdesk.core.township_lines import township_schemes
from mibdesk.ui.context import UiContext

YEARS_OFFERED = 3
"""The month list reaches back to January this many years ago."""


@dataclass(frozen=True)
class Action:
    visible: bool  # the user's role may take this step
    enabled: bool  # and the month is at that step


@dataclass(frozen=True)
class FlowActions:
    """The workflow steps of the month shown, as the user may take them now."""

    prepare: Action
    review: Action
    approve: Action
    send_back: Action
    amend: Action
    compare: Action


class FiguresController:
    """One scheme's month: its form and township breakdown as grids, and its workflow.

    `deferred()` is called when the first edit of a batch waits to be saved; the caller must
    then call `flush()` soon (the screen: on the next turn of the event loop).
    """

    def __init__(self, ctx: UiContext, deferred: Callable[[], None] | None = None) -> None:
        self._ctx = ctx
        self.publishing = False
        self._people: dict[str, str] = {}
        self._unpublished = Changes()
        today = Month.of(ctx.store.clock().date())
        first = Month(today.year - YEARS_OFFERED, 1)
        self.months = tuple(first.plus(i) for i in range(first.months_until(today) + 1))
        self.scheme_code: str = self.schemes[0].code
        self.month = today.prev()
        form = self._read_form()
        self.table = MonthTable(form, self._save, can_enter=self.can_enter, deferred=deferred)
        self.townships = TownshipTable(
            self._read_breakdown(),
            self.scheme,
            self._save_townships,
            editable=self._townships_editable(form),
            deferred=deferred,
        )

    @property
    def township_office(self) -> bool:
        """A township office: it fills its township lines and sends them to its county."""
        return self._ctx.office.level == OfficeLevel.TOWNSHIP

    @property
    def schemes(self) -> tuple[SchemeProfile, ...]:
        """The schemes offered: a township office only those it reports in."""
        profile = self._ctx.profile
        return township_schemes(profile) if self.township_office else tuple(profile.schemes)

    @property
    def can_enter(self) -> bool:
        return self._ctx.actor.can(Permission.ENTER)

    @property
    def scheme(self) -> SchemeProfile:
        return self._ctx.profile.scheme(self.scheme_code)

    @property
    def form(self) -> MonthForm:
        return self.table.form

    @property
    def has_townships(self) -> bool:
        """Whether the county's township breakdown applies (never at a township office)."""
        return bool(self.scheme.township_lines) and not self.township_office

    def load(self, scheme_code: str, month: Month) -> None:
        """Show another scheme or month (edits not yet saved are dropped)."""
        self.scheme_code, self.month = scheme_code, month
        self.reload()

    def current(self) -> tuple[str, Month]:
        """The scheme and month on screen."""
        return self.scheme_code, self.month

    def reload(self) -> None:
        """Read the month again from the store (after someone else changed it)."""
        self._show(self._read_form())

    def flush(self) -> str | None:
        """Save the typed cells waiting in either grid, as one save each; publish what changed.

        Returns the refusal's message (those edits are dropped, nothing is stored), or None.
        """
        error = self.table.flush() or self.townships.flush()
        self._publish(Changes())
        return error

    @property
    def pending(self) -> bool:
        """Whether typed cells wait for `flush`."""
        return self.table.pending or self.townships.pending

    def status_text(self) -> str:
        if self.township_office:
            return self._sent_text()
        form = self.form
        text = _("Status: {status}").format(status=status_label(form.status))
        amendment = form.open_amendment
        if amendment is not None:
            text += "　" + _("Amendment {number} open").format(number=amendment.number)
        elif form.amendments:
            text += "　" + _("Amended {count} time(s)").format(count=len(form.amendments))
        return text

    def _sent_text(self) -> str:
        """A township's month: when it last went to the county, and how far it got."""
        from mibdesk.core.services.exchange.overview import outbox_status_label, when
        from mibdesk.core.services.exchange.sending import township_sent

        sent = township_sent(self._ctx.store, self.scheme_code, self.month)
        if sent is None:
            return _("Not yet sent to the county")
        at, status = sent
        return _("Last sent to the county {when} · {status}").format(
            when=when(at), status=outbox_status_label(status)
        )

    def notice(self) -> str:
        """What the user should know about the month's state: why it came back, why it is
        locked, what its open amendment is for."""
        form = self.form
        if form.status == ReportStatus.DRAFT and form.returned_reason:
            return _("Sent back: {reason}").format(reason=form.returned_reason)
        if form.open_amendment is not None:
            return _("Amendment reason: {reason}").format(reason=form.open_amendment.reason)
        if form.status == ReportStatus.APPROVED:
            return _(
                "This month has been submitted and is locked. To change a figure, request an "
                "amendment and give its reason."
            )
        if not form.editable:
            return _("This month is being reviewed; it can be changed after it is sent back.")
        if self.township_office:
            return _("Enter this township's figures for the month, then send them to the county.")
        return ""

    def actions(self) -> FlowActions:
        if self.township_office:  # it sends its figures as they are: no review steps
            hidden = Action(False, False)
            return FlowActions(hidden, hidden, hidden, hidden, hidden, hidden)
        actor, status = self._ctx.actor, self.form.status
        enter, review = actor.can(Permission.ENTER), actor.can(Permission.REVIEW)
        approve = actor.can(Permission.APPROVE)
        not_own = self.form.prepared_by != actor.user_id  # nobody passes their own month
        return FlowActions(
            prepare=Action(enter, status == ReportStatus.DRAFT),
            review=Action(review, status == ReportStatus.PREPARED and not_own),
            approve=Action(approve, status == ReportStatus.REVIEWED and not_own),
            send_back=Action(review, status in (ReportStatus.PREPARED, ReportStatus.REVIEWED)),
            amend=Action(enter, status == ReportStatus.APPROVED),
            compare=Action(True, bool(self.form.amendments)),
        )

    def unexplained_warnings(self) -> list[Problem]:
        """The soft problems that still need a written explanation before preparing."""
        form = self.form
        return [
            p for p in form.problems if p.severity == "soft" and not form.explanations.get(p.key)
        ]

    def can_explain(self, problem: Problem) -> bool:
        return problem.severity == "soft" and self.can_enter and self.form.editable

    def prepare(self, explanations: Mapping[str, str] | None = None) -> None:
        self._step(report_flow.prepare(*self._flow_args(), explanations=explanations))

    def review(self) -> None:
        self._step(report_flow.review(*self._flow_args()))

    def approve(self) -> None:
        self._step(report_flow.approve(*self._flow_args()))

    def send_back(self, reason: str) -> None:
        self._step(report_flow.send_back(*self._flow_args(), reason))

    def open_amendment(self, reason: str) -> None:
        self._step(report_flow.open_amendment(*self._flow_args(), reason))

    def explain(self, problem: Problem, text: str) -> None:
        self._step(report_flow.explain(*self._flow_args(), problem.key, text))

    def cell_history(self, cell: Cell) -> list[CellChange]:
        return report_flow.cell_history(self._ctx.store, self.scheme_code, self.month, cell)

    def cell_title(self, cell: Cell) -> str:
        """The cell as the history dialog names it: month, line, who entered it."""
        line = self.scheme.line(cell.line)
        return f"{self.month.label} · {line.name} · {self.townships.unit_name(cell.unit)}"

    def person(self, username: str) -> str:
        """Who a username is, as the history shows it: 张丽（zhangli）."""
        if username not in self._people:
            self._people = {
                u.username: f"{u.display_name}（{u.username}）"
                for u in accounts.list_users(self._ctx.store)
            }
        return self._people.get(username, username)

    def unit_kind(self, cell: Cell) -> str:
        return self.scheme.line(cell.line).unit

    def amendment_rows(self) -> list[DiffRow]:
        """Every cell each amendment of the month changed, amendment by amendment."""
        store, scheme, month = self._ctx.store, self.scheme_code, self.month
        rows: list[DiffRow] = []
        for info in self.form.amendments:
            diff = report_flow.amendment_diff(store, scheme, month, info.number)
            rows += diff_rows(self.scheme, info.number, diff, self.townships.unit_name)
        return rows

    def _flow_args(self) -> tuple[Store, Actor, Profile, str, Month]:
        ctx = self._ctx
        return ctx.store, ctx.actor, ctx.profile, self.scheme_code, self.month

    def _step(self, outcome: Outcome[MonthForm]) -> None:
        self._show(outcome.value)
        self._publish(outcome.changes)

    def _show(self, form: MonthForm) -> None:
        self.table.set_form(form)
        self.townships.set_breakdown(
            self._read_breakdown(), self.scheme, self._townships_editable(form)
        )

    def _save(self, edits: Mapping[Cell, int | None]) -> MonthForm:
        form = self._write(edits)
        self.townships.set_breakdown(
            self._read_breakdown(), self.scheme, self._townships_editable(form)
        )
        return form

    def _save_townships(self, edits: Mapping[Cell, int | None]) -> TownshipBreakdown:
        self.table.set_form(self._write(edits))
        return self._read_breakdown()

    def _write(self, edits: Mapping[Cell, int | None]) -> MonthForm:
        ctx = self._ctx
        outcome = save_cells(ctx.store, ctx.actor, ctx.profile, self.scheme_code, self.month, edits)
        self._unpublished = self._unpublished | outcome.changes
        return outcome.value

    def _publish(self, changes: Changes) -> None:
        changes, self._unpublished = self._unpublished | changes, Changes()
        self.publishing = True
        try:
            self._ctx.hub.publish(changes)
        finally:
            self.publishing = False

    def _read_form(self) -> MonthForm:
        ctx = self._ctx
        return month_form(ctx.store, ctx.profile, self.scheme_code, self.month)

    def _read_breakdown(self) -> TownshipBreakdown:
        ctx = self._ctx
        return township_breakdown(ctx.store, ctx.profile, self.scheme_code, self.month)

    def _townships_editable(self, form: MonthForm) -> bool:
        return self.can_enter and form.editable
