"""What the quota execution screen does, without widgets: the year and scheme shown, the
tables of lines, documents and the year's close, and the calls that record quotas and budget
adjustments. How the figures read out is `readout`.

All figures come from `mibdesk.core.services.execution`. Writes go through
`mibdesk.core.services.quotas`, which refuses with a `UserError` (nothing changed); after a
write the controller reads the year again and publishes the service's `Changes`
(`publishing` is True meanwhile, so the screen knows the change is its own and already shown).
"""

from __future__ import annotations

from datetime import date

from mibdesk.core.catalog import SchemeProfile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import parse_yuan
from mibdesk.core.rules.working import Step
from mibdesk.core.security.roles import Permission
from mibdesk.core.services import accounts, quotas
from mibdesk.core.services.changes import Changes
from mibdesk.core.services.execution import SchemeExecution, execution
from mibdesk.core.services.settlement_notices import Notice, notices
from mibdesk.core.services.transfer_notices import TransferNotice, transfer_notices
from mibdesk.core.table import ListTableModel
from mibdesk.ui.context import UiContext
from mibdesk.ui.execution.readout import (
    DocumentRow,
    Figure,
    IndicatorLine,
    LineRow,
    document_columns,
    document_row,
    indicator_line,
    line_columns,
    line_rows,
    projection_readout,
    summary_figures,
    working_columns,
)

YEARS_BACK = 10
"""The year list reaches back this many years; it ends next year (quotas come early)."""
SCHEME_WIDE = ""


class ExecutionController:
    """One year's execution for every pooled scheme, one scheme shown at a time."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.publishing = False
        self._people: dict[str, str] = {}
        today = ctx.store.clock().date()
        self.today = today
        self.years = tuple(range(today.year - YEARS_BACK, today.year + 2))
        self.year = today.year
        self.scheme_code: str = ctx.profile.schemes[0].code
        self._data: dict[str, SchemeExecution] = {}
        self.notices: list[Notice] = []
        """The city's settlement notices for the year, newest first."""
        self.transfers: list[TransferNotice] = []
        """The city's balance transfer notices for the year, newest first."""
        self.lines_table: ListTableModel[LineRow] = ListTableModel(line_columns(), [])
        self.documents_table: ListTableModel[DocumentRow] = ListTableModel(document_columns(), [])
        self.closing_table: ListTableModel[Step] = ListTableModel(working_columns(), [])
        self.reload()

    # -- what is shown ------------------------------------------------------------------------

    @property
    def scheme(self) -> SchemeProfile:
        return self._ctx.profile.scheme(self.scheme_code)

    @property
    def current(self) -> SchemeExecution:
        return self._data[self.scheme_code]

    @property
    def by_line(self) -> bool:
        """Whether the city sets this scheme's quota per expenditure line."""
        return self.scheme.quota_by_line.value

    def load(self, year: int, scheme_code: str) -> None:
        """Show another year (read again) or scheme (already read with its year)."""
        self.scheme_code = scheme_code
        if year != self.year:
            self.year = year
            self.reload()
        else:
            self._fill_tables()

    def reload(self) -> None:
        """Read the year again from the store (after a change here or elsewhere)."""
        ctx = self._ctx
        self._data = {s.scheme: s for s in execution(ctx.store, ctx.profile, self.year)}
        self.notices = notices(ctx.store, self.year)
        self.transfers = transfer_notices(ctx.store, self.year)
        self._fill_tables()

    def through_text(self) -> str:
        through = self.current.through
        if through is None:
            return _("No monthly report for {year} yet.").format(year=self.year)
        return _("Figures to {month}").format(month=through.label)

    def missing_quota_text(self) -> str:
        """What to do while the year has no quota ("" once it has one)."""
        if self.current.position is not None:
            return ""
        text = _(
            "No expenditure quota (支出总量定额) is recorded for {scheme} in {year}. Record the "
            "quota the city issued, with its document number and date, to see the budget "
            "execution: quota, approved plans, spending and what is left."
        ).format(scheme=self.current.name, year=self.year)
        if not self.can_enter:
            text += " " + _("A preparer, reviewer or head records it.")
        return text

    def summary(self) -> list[Figure]:
        """The summary band (empty while no quota is recorded)."""
        return summary_figures(self.current)

    def indicator_lines(self) -> list[IndicatorLine]:
        return [indicator_line(indicator) for indicator in self.current.indicators]

    def projection_text(self) -> tuple[str, bool, str]:
        """(sentence, over the quota, working): the projection, or the year's close."""
        return projection_readout(self.current)

    def projection_working(self) -> tuple[Step, ...]:
        projection = self.current.projection
        return () if projection is None else projection.working

    def available_working(self) -> tuple[Step, ...]:
        position = self.current.position
        return () if position is None else position.working

    # -- what the user may do ----------------------------------------------------------------

    @property
    def can_enter(self) -> bool:
        return self._ctx.actor.can(Permission.ENTER)

    def can_record_quota(self) -> bool:
        """A quota may still be recorded: none for the scheme yet, or a line without one."""
        if self.current.position is None:
            return True
        return self.by_line and any(line.quota is None for line in self.current.lines)

    def can_adjust(self) -> bool:
        return self.current.position is not None

    def line_choices(self) -> list[tuple[str, str]]:
        """(code, name) of what a quota may be recorded for: the scheme, then its lines where
        the city splits the quota per line."""
        choices = [(SCHEME_WIDE, _("The whole scheme"))]
        if self.by_line:
            choices += [(line.line, line.name) for line in self.current.lines]
        return choices

    def record_quota(self, amount_text: str, doc_no: str, doc_date: date, line: str) -> None:
        """Record the year's quota for the scheme shown; `UserError` when refused."""
        amount = parse_yuan(amount_text, where=_("Quota"))
        ctx = self._ctx
        outcome = quotas.record_quota(
            ctx.store,
            ctx.actor,
            ctx.profile,
            self.scheme_code,
            self.year,
            amount,
            doc_no,
            doc_date,
            line,
        )
        self._after_write(outcome.changes)

    def adjustment_amount(self, increase: bool, amount_text: str) -> int:
        """The signed fen of an adjustment typed as a positive amount and a direction."""
        amount = parse_yuan(amount_text, where=_("Adjustment"))
        if amount < 0:
            raise ValidationError(
                _("Type the amount without a sign and choose increase or decrease."),
                where=_("Adjustment"),
            )
        return amount if increase else -amount

    def record_adjustment(
        self,
        increase: bool,
        amount_text: str,
        doc_no: str,
        doc_date: date,
        reason: str,
        line: str,
    ) -> None:
        """Record a budget adjustment for the scheme shown; `UserError` when refused."""
        amount = self.adjustment_amount(increase, amount_text)
        ctx = self._ctx
        outcome = quotas.record_adjustment(
            ctx.store,
            ctx.actor,
            ctx.profile,
            self.scheme_code,
            self.year,
            amount,
            doc_no,
            doc_date,
            reason,
            line,
        )
        self._after_write(outcome.changes)

    def _after_write(self, changes: Changes) -> None:
        self.reload()
        self.publishing = True
        try:
            self._ctx.hub.publish(changes)
        finally:
            self.publishing = False

    # -- tables -------------------------------------------------------------------------------

    def _fill_tables(self) -> None:
        current = self.current
        self.lines_table.replace_rows(line_rows(current, self.scheme.total("expenditure").name))
        self.documents_table.replace_rows(
            document_row(d, self.scheme, self.person) for d in current.documents
        )
        self.closing_table.replace_rows(current.closing.working if current.closing else ())

    def person(self, username: str) -> str:
        """Who recorded a document: 张丽（zhangli）; "" for one loaded without a user."""
        if not username:
            return ""
        if username not in self._people:
            self._people = {
                u.username: f"{u.display_name}（{u.username}）"
                for u in accounts.list_users(self._ctx.store)
            }
        return self._people.get(username, username)
