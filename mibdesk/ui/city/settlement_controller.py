"""What the year-end settlement screen (年终清算) does, without widgets: the year's worksheet
and its pending edits, saving them, computing, finalising, the workbook, the signed form and
the notices to the counties.

The work methods touch the store or the disk and are run through the `TaskRunner` by the
screen; they raise `UserError` with the message to show when they refuse (nothing changed).
Each service's `Changes` is published on the hub.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Permission
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.tables.settlement_table import Edits, PooledTable, WorksheetTable
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.services.city.settlement import Worksheet
    from mibdesk.core.services.city.settlement_run import Settlement
    from mibdesk.core.services.exchange.sending import Sending
    from mibdesk.core.services.forms import FormFile

YEARS_BACK = 5


class SettlementController:
    """The chosen year's worksheet (`sheet`), its grids, and the last computation."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.is_head = ctx.actor.can(Permission.APPROVE)
        this_year = ctx.store.clock().date().year
        self.years = list(range(this_year - YEARS_BACK, this_year + 1))
        self.year = this_year - 1  # the year settled by next March
        self.edits: Edits = {}
        self.sheet: Worksheet | None = None
        self.settled: Settlement | None = None

    def load(self, year: int) -> None:
        """Read the year's worksheet; forgets unsaved edits and the last computation."""
        from mibdesk.core.services.city.settlement import worksheet

        self.year, self.edits, self.settled = year, {}, None
        self.sheet = worksheet(self._ctx.store, self._ctx.profile, year)

    def tables(self) -> tuple[WorksheetTable, PooledTable]:
        assert self.sheet is not None
        profile = self._ctx.profile
        return (
            WorksheetTable(profile, self.sheet, self.edits),
            PooledTable(profile, self.sheet, self.edits),
        )

    def status_text(self) -> str:
        sheet = self.sheet
        if sheet is None:
            return ""
        if sheet.status == "final":
            return _("Final since {at} (input SHA-256 {digest}…)").format(
                at=sheet.finalised_at[:16].replace("T", " "), digest=sheet.input_sha256[:16]
            )
        if sheet.status == "draft":
            return _("Draft, saved {at} by {who}").format(
                at=sheet.saved_at[:16].replace("T", " "), who=sheet.saved_by
            )
        return _("Nothing entered yet: figures from {n} counties' reports").format(
            n=len(sheet.counties)
        )

    @property
    def final(self) -> bool:
        return self.sheet is not None and self.sheet.status == "final"

    # -- work (through the TaskRunner) ------------------------------------------------------

    def save(self) -> None:
        """Store the pending edits (all or none)."""
        from mibdesk.core.services.city.settlement import save

        ctx = self._ctx
        if not self.edits:
            return
        outcome = save(ctx.store, ctx.actor, ctx.profile, self.year, dict(self.edits))
        self.sheet, self.edits = outcome.value, {}
        ctx.hub.publish(outcome.changes)

    def compute(self) -> Settlement:
        """Save what was typed, then settle the year (refused with what is missing)."""
        from mibdesk.core.services.city.settlement_run import compute

        self.save()
        self.settled = compute(self._ctx.store, self._ctx.profile, self.year)
        return self.settled

    def finalise(self) -> Settlement:
        from mibdesk.core.services.city.settlement_run import finalise

        self.save()
        ctx = self._ctx
        outcome = finalise(ctx.store, ctx.actor, ctx.profile, self.year)
        self.settled, self.sheet = outcome.value, outcome.value.sheet
        ctx.hub.publish(outcome.changes)
        return outcome.value

    def reopen(self, reason: str) -> None:
        """The head reopens the final year (UserError when refused; nothing changed)."""
        from mibdesk.core.services.city.settlement_run import reopen

        ctx = self._ctx
        outcome = reopen(ctx.store, ctx.actor, ctx.profile, self.year, reason)
        self.sheet, self.settled, self.edits = outcome.value, None, {}
        ctx.hub.publish(outcome.changes)

    def export_workbook(self, target: Path) -> Path:
        from mibdesk.core.excel.settlement_workbook import write_settlement_workbook

        settled = self.compute()
        write_settlement_workbook(target, settled.result, self._ctx.profile.name)
        return target

    def suggested_name(self, what: str) -> str:
        return f"{self._ctx.office.code}-{self.year}-{what}"

    def render(self, target: Path) -> FormFile:
        from mibdesk.core.services.city.settlement_form import settlement_pdf

        self.save()
        return settlement_pdf(self._ctx.store, self._ctx.profile, self.year, target)

    def sign(self, form: FormFile, target: Path, password: str) -> Path:
        from mibdesk.core.services.city.settlement_form import sign_settlement

        ctx = self._ctx
        outcome = sign_settlement(ctx.store, ctx.actor, self.year, form, target, password)
        ctx.hub.publish(outcome.changes)
        return outcome.value

    def send_notices(self) -> list[Sending]:
        from mibdesk.core.services.exchange.sending_settlement import send_notices

        ctx = self._ctx
        outcome = send_notices(ctx.store, ctx.actor, ctx.profile, self.year)
        ctx.hub.publish(outcome.changes)
        return outcome.value

    @staticmethod
    def cares(changes: Changes) -> bool:
        return changes.touches(Area.SETTLEMENT, Area.FIGURES, Area.OFFICE)
