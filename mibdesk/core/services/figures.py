"""Monthly figures: the month's form with its computed columns and problems, and saving cells.

The form shows, per report line, the county's own entry, the townships' sum, the month's
figure, the year to date, the same month last year and the change. Saving writes only the
cells that changed, each change kept in the history with who, when and from where; the
month is re-validated and returned.

A township office's form holds only the lines a township fills (`township_view_lines`) and
their problems; it may save nothing else. The profile itself is never narrowed: the rules
and `SchemeProfile.total` see the whole scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from mibdesk.core.catalog import Profile, SchemeProfile
from mibdesk.core.db.models import MonthlyReport
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import MAX_COUNT, MAX_FEN
from mibdesk.core.monthly import COUNTY, Cell, Problem, ReportStatus, is_flow, with_computed
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit, figures, office
from mibdesk.core.rules.figure_checks import MonthInput, check_month
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store
from mibdesk.core.township_lines import township_view_lines

HISTORY_MONTHS = 37  # three years and a month: enough for the seasonal checks
FIGURE_CHANGES = Changes.of(Area.FIGURES, Area.AUDIT)


@dataclass(frozen=True)
class FormRow:
    line: str
    name: str
    section: str
    unit_kind: str  # persons | fen
    computed: bool
    township: bool
    own: int | None  # what the county entered itself
    townships: int | None  # the townships' sum (township lines)
    value: int | None  # the county's figure for the month
    ytd: int | None  # year to date (flows); None for stocks
    last_year: int | None  # the same month last year
    change: int | None  # value − last_year


@dataclass(frozen=True)
class AmendmentInfo:
    number: int
    reason: str
    opened_at: str
    approved_at: str | None


@dataclass(frozen=True)
class MonthForm:
    scheme: str
    month: Month
    status: ReportStatus
    editable: bool
    rows: tuple[FormRow, ...]
    cells: Mapping[Cell, int]
    problems: tuple[Problem, ...]
    explanations: Mapping[str, str] = field(default_factory=dict)
    amendments: tuple[AmendmentInfo, ...] = ()
    returned_reason: str = ""
    prepared_by: int | None = None  # user id: that person may not review or approve
    township_office: bool = False  # the form of a township office: its own lines only

    @property
    def open_amendment(self) -> AmendmentInfo | None:
        last = self.amendments[-1] if self.amendments else None
        return last if last is not None and last.approved_at is None else None

    def row(self, line: str) -> FormRow:
        return next(r for r in self.rows if r.line == line)


def _history(session: Session, scheme: str, month: Month) -> dict[Month, dict[str, int]]:
    first = month.plus(-HISTORY_MONTHS)
    found = figures.county_totals_between(session, scheme, first.to_int(), month.to_int())
    return {Month.from_int(period): values for period, values in found.items()}


def _rows(
    scheme: SchemeProfile,
    month: Month,
    cells: Mapping[Cell, int],
    history: Mapping[Month, Mapping[str, int]],
) -> tuple[FormRow, ...]:
    own = {c.line: v for c, v in cells.items() if c.unit == COUNTY}
    township_sum: dict[str, int] = {}
    for cell, amount in cells.items():
        if cell.unit != COUNTY:
            township_sum[cell.line] = township_sum.get(cell.line, 0) + amount
    totals = {
        line: own.get(line, 0) + township_sum.get(line, 0)
        for line in own.keys() | township_sum.keys()
    }
    current = with_computed(scheme, totals)
    last_year = with_computed(scheme, history.get(month.plus(-12), {}))
    earlier = [
        with_computed(scheme, history.get(Month(month.year, m), {})) for m in range(1, month.month)
    ]
    rows = []
    for line in scheme.lines:
        value = current.get(line.code)
        ytd: int | None = None
        if is_flow(line) and value is not None:
            ytd = value + sum(month_values.get(line.code, 0) for month_values in earlier)
        before = last_year.get(line.code)
        rows.append(
            FormRow(
                line=line.code,
                name=line.name,
                section=line.section,
                unit_kind=line.unit,
                computed=line.computed,
                township=line.township,
                own=None if line.computed else own.get(line.code),
                townships=township_sum.get(line.code) if line.township else None,
                value=value,
                ytd=ytd,
                last_year=before,
                change=None if value is None or before is None else value - before,
            )
        )
    return tuple(rows)


def is_township_office(session: Session) -> bool:
    """Whether this database is a township office's."""
    row = office.get_office(session)
    return row is not None and row.level == "township"


def _form(session: Session, profile: Profile, scheme_code: str, month: Month) -> MonthForm:
    scheme = profile.scheme(scheme_code)
    row = figures.report(session, scheme_code, month.to_int())
    cells = figures.cells(session, row.id) if row else {}
    history = _history(session, scheme_code, month)
    history.pop(month, None)
    problems = check_month(MonthInput(scheme, month, cells, history), profile)
    rows = _rows(scheme, month, cells, history)
    township = is_township_office(session)
    if township:
        shown = township_view_lines(scheme)
        rows = tuple(r for r in rows if r.line in shown)
        problems = [p for p in problems if p.line in shown]
    status = ReportStatus(row.status) if row else ReportStatus.DRAFT
    amendments = tuple(
        AmendmentInfo(a.number, a.reason, a.opened_at, a.approved_at)
        for a in (figures.amendments(session, row.id) if row else [])
    )
    return MonthForm(
        scheme=scheme_code,
        month=month,
        status=status,
        editable=status == ReportStatus.DRAFT,
        rows=rows,
        cells=cells,
        problems=tuple(problems),
        explanations=figures.explanations(session, row.id) if row else {},
        amendments=amendments,
        returned_reason=row.returned_reason if row else "",
        prepared_by=row.prepared_by if row else None,
        township_office=township,
    )


def month_form(store: Store, profile: Profile, scheme: str, month: Month) -> MonthForm:
    """The month's form as it is stored now (a blank draft when nothing was entered)."""
    with store.read() as session:
        return _form(session, profile, scheme, month)


def check_edits(
    store: Store, profile: Profile, scheme_code: str, edits: Mapping[Cell, int | None]
) -> None:
    """Refuse a cell that is not an input of this scheme, a unit that cannot report it, or a
    value out of range — before anything is written. A township office enters only the
    township lines, as its own figures."""
    scheme = profile.scheme(scheme_code)
    with store.read() as session:
        active = {t.code for t in figures.townships(session)}
        township = is_township_office(session)
    for cell, value in edits.items():
        line = next((ln for ln in scheme.lines if ln.code == cell.line), None)
        if line is None or line.computed:
            raise ValidationError(
                _("{line} is not a line to enter in this scheme.").format(line=cell.line)
            )
        if township and not line.township:
            raise ValidationError(
                _("A township office does not report this line; the county enters it."),
                where=line.name,
            )
        where = line.name if cell.unit == COUNTY else f"{line.name} · {cell.unit}"
        if cell.unit != COUNTY and (not line.township or cell.unit not in active):
            raise ValidationError(_("This figure is not reported per township."), where=where)
        if value is None:
            continue
        if line.unit == "persons" and not 0 <= value < MAX_COUNT:
            raise ValidationError(
                _("A head count is a whole number of persons, 0 or more."), where=where
            )
        if abs(value) >= MAX_FEN:
            raise ValidationError(_("The amount must be below 10¹² yuan."), where=where)


def editable_report(session: Session, scheme: str, month: Month) -> MonthlyReport:
    """The month's report, created as a draft if needed; refused unless it is a draft."""
    row = figures.report(session, scheme, month.to_int()) or figures.add_report(
        session, scheme, month.to_int()
    )
    if row.status == ReportStatus.APPROVED:
        raise ValidationError(
            _(
                "{month} has been submitted and is locked: open an amendment, with its reason, "
                "to change it."
            ).format(month=month.label)
        )
    if row.status != ReportStatus.DRAFT:
        raise ValidationError(
            _(
                "{month} is with the reviewer or the head; it must be sent back before it can be "
                "changed."
            ).format(month=month.label)
        )
    return row


def save_cells(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    edits: Mapping[Cell, int | None],
    source: str = "typed",
) -> Outcome[MonthForm]:
    """Write the changed cells (None = blank) with their history and audit; the new form."""
    require(actor, Permission.ENTER)
    check_edits(store, profile, scheme, edits)
    at = stamp(store.clock())
    with store.write() as session:
        row = editable_report(session, scheme, month)
        before = figures.cells(session, row.id)
        changed = {c: v for c, v in edits.items() if before.get(c) != v}
        if changed:
            record_changes(session, row, before, changed, actor.username, at, source)
        form = _form(session, profile, scheme, month)
    return Outcome(form, FIGURE_CHANGES if changed else Changes())


def record_changes(
    session: Session,
    row: MonthlyReport,
    before: Mapping[Cell, int],
    changed: Mapping[Cell, int | None],
    actor: str,
    at: str,
    source: str,
) -> None:
    """Write `changed` cells of one report, one history row each, and one audit entry."""
    figures.apply_cell_changes(
        session,
        [(row.id, cell, before.get(cell), value) for cell, value in sorted(changed.items())],
        figures.open_amendments(session, [row.id]),
        at,
        actor,
        source,
    )
    audit.append(
        session,
        at=at,
        actor=actor,
        action="figures.save",
        entity="monthly_report",
        entity_key=f"{row.scheme}/{row.period}",
        before={str(c): before.get(c) for c in sorted(changed)},
        after={str(c): v for c, v in sorted(changed.items())},
        reason=source,
    )
