"""Submitting a month: 经办人 prepares, 审核人 reviews, 负责人 approves — then it is locked.

Hard problems block preparing; each soft problem needs a written explanation. Whoever
prepared a month may neither review nor approve it. A change after approval is an amendment
with a reason; every changed cell keeps its history, so the original stays beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mibdesk.core.catalog import Profile
from mibdesk.core.db.models import MonthlyReport, ReportAmendment
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell, ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit, figures
from mibdesk.core.security.roles import Actor, Permission, require, require_not_own
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.figures import FIGURE_CHANGES, MonthForm, _form
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class CellChange:
    at: str
    actor: str
    old: int | None
    new: int | None
    source: str
    amendment: int | None  # the amendment's number, None for the original entry


def _report(session: Session, scheme: str, month: Month) -> MonthlyReport:
    row = figures.report(session, scheme, month.to_int())
    if row is None:
        raise ValidationError(
            _("Nothing has been entered for {month} yet.").format(month=month.label)
        )
    return row


def _expect(row: MonthlyReport, month: Month, *statuses: ReportStatus) -> None:
    if row.status not in statuses:
        raise ValidationError(
            _("{month} is not at this step (it is: {status}).").format(
                month=month.label, status=status_label(ReportStatus(row.status))
            )
        )


def status_label(status: ReportStatus) -> str:
    return {
        ReportStatus.DRAFT: _("draft"),
        ReportStatus.PREPARED: _("prepared, awaiting review"),
        ReportStatus.REVIEWED: _("reviewed, awaiting approval"),
        ReportStatus.APPROVED: _("approved and submitted"),
    }[status]


def _step(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    action: str,
    change: Callable[[Session, MonthlyReport, str], None],
    reason: str = "",
) -> Outcome[MonthForm]:
    """Run `change(session, row, at)` on the month's report, audit it, return the form."""
    at = stamp(store.clock())
    with store.write() as session:
        row = _report(session, scheme, month)
        before = row.status
        change(session, row, at)
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action=action,
            entity="monthly_report",
            entity_key=f"{scheme}/{month.to_int()}",
            before={"status": before},
            after={"status": row.status},
            reason=reason,
        )
        form = _form(session, profile, scheme, month)
    return Outcome(form, FIGURE_CHANGES)


def prepare(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    explanations: Mapping[str, str] | None = None,
) -> Outcome[MonthForm]:
    """经办人 hands the month to review: no hard problem, every soft one explained."""
    require(actor, Permission.ENTER)
    given = {key: text.strip() for key, text in (explanations or {}).items() if text.strip()}

    def change(session: Session, row: MonthlyReport, at: str) -> None:
        _expect(row, month, ReportStatus.DRAFT)
        form = _form(session, profile, scheme, month)
        hard = [p for p in form.problems if p.severity == "hard"]
        if hard:
            raise ValidationError(
                _("{count} problem(s) must be corrected first. The first: {message}").format(
                    count=len(hard), message=hard[0].message
                )
            )
        known = {**form.explanations, **given}
        missing = [p for p in form.problems if p.severity == "soft" and not known.get(p.key)]
        if missing:
            raise ValidationError(
                _("{count} warning(s) need a written explanation. The first: {message}").format(
                    count=len(missing), message=missing[0].message
                )
            )
        for key, text in given.items():
            figures.put_explanation(session, row.id, key, text, actor.username, at)
        row.status = ReportStatus.PREPARED
        row.prepared_by = actor.user_id
        row.returned_reason = ""

    return _step(store, actor, profile, scheme, month, "report.prepare", change)


def review(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[MonthForm]:
    """审核人 passes the month to the head; never the one who prepared it."""
    require(actor, Permission.REVIEW)

    def change(session: Session, row: MonthlyReport, at: str) -> None:
        _expect(row, month, ReportStatus.PREPARED)
        require_not_own(actor, row.prepared_by)
        row.status = ReportStatus.REVIEWED
        row.reviewed_by = actor.user_id

    return _step(store, actor, profile, scheme, month, "report.review", change)


def approve(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[MonthForm]:
    """负责人 approves: the month is submitted and locked (an open amendment is closed)."""
    require(actor, Permission.APPROVE)

    def change(session: Session, row: MonthlyReport, at: str) -> None:
        _expect(row, month, ReportStatus.REVIEWED)
        require_not_own(actor, row.prepared_by)
        row.status = ReportStatus.APPROVED
        row.approved_by = actor.user_id
        row.submitted_at = at
        for amendment in figures.amendments(session, row.id):
            if amendment.approved_at is None:
                amendment.approved_at = at

    return _step(store, actor, profile, scheme, month, "report.approve", change)


def send_back(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month, reason: str
) -> Outcome[MonthForm]:
    """The reviewer or the head returns the month to its preparer, saying why."""
    require(actor, Permission.REVIEW)
    if not reason.strip():
        raise ValidationError(_("Say why the month is sent back."), where=_("Reason"))

    def change(session: Session, row: MonthlyReport, at: str) -> None:
        _expect(row, month, ReportStatus.PREPARED, ReportStatus.REVIEWED)
        row.status = ReportStatus.DRAFT
        row.returned_reason = reason.strip()

    return _step(store, actor, profile, scheme, month, "report.send_back", change, reason.strip())


def open_amendment(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month, reason: str
) -> Outcome[MonthForm]:
    """Reopen an approved month for an amendment; the figures so far stay in the history."""
    require(actor, Permission.ENTER)
    if not reason.strip():
        raise ValidationError(_("An amendment needs its reason."), where=_("Reason"))

    def change(session: Session, row: MonthlyReport, at: str) -> None:
        _expect(row, month, ReportStatus.APPROVED)
        number = len(figures.amendments(session, row.id)) + 1
        figures.add_amendment(
            session,
            ReportAmendment(
                report_id=row.id,
                number=number,
                reason=reason.strip(),
                opened_by=actor.user_id,
                opened_at=at,
                approved_at=None,
            ),
        )
        row.status = ReportStatus.DRAFT
        row.reviewed_by = None
        row.approved_by = None

    return _step(store, actor, profile, scheme, month, "report.amend", change, reason.strip())


def cell_history(store: Store, scheme: str, month: Month, cell: Cell) -> list[CellChange]:
    """Every value the cell had, oldest first, with who, when, from where, which amendment."""
    with store.read() as session:
        row = figures.report(session, scheme, month.to_int())
        if row is None:
            return []
        numbers = {a.id: a.number for a in figures.amendments(session, row.id)}
        return [
            CellChange(
                c.at,
                c.actor,
                c.old_value,
                c.new_value,
                c.source,
                numbers.get(c.amendment_id) if c.amendment_id else None,
            )
            for c in figures.changes_of_cell(session, row.id, cell)
        ]


def amendment_diff(
    store: Store, scheme: str, month: Month, number: int
) -> dict[Cell, tuple[int | None, int | None]]:
    """Per changed cell, (value before the amendment, value after it)."""
    with store.read() as session:
        row = _report(session, scheme, month)
        amendment = next(
            (a for a in figures.amendments(session, row.id) if a.number == number), None
        )
        if amendment is None:
            raise ValidationError(_("There is no amendment {number}.").format(number=number))
        diff: dict[Cell, tuple[int | None, int | None]] = {}
        for change in figures.changes_of_amendment(session, amendment.id):
            cell = Cell(change.line, change.unit)
            first = diff[cell][0] if cell in diff else change.old_value
            diff[cell] = (first, change.new_value)
        return {cell: pair for cell, pair in diff.items() if pair[0] != pair[1]}


def explain(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month, key: str, text: str
) -> Outcome[MonthForm]:
    """File the written explanation of a warning (a soft problem) of a month being drafted."""
    require(actor, Permission.ENTER)
    if not text.strip():
        raise ValidationError(_("Write the explanation first."), where=_("Explanation"))

    def change(session: Session, row: MonthlyReport, at: str) -> None:
        _expect(row, month, ReportStatus.DRAFT)
        figures.put_explanation(session, row.id, key, text.strip(), actor.username, at)

    return _step(store, actor, profile, scheme, month, "report.explain", change, key)
