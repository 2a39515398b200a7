"""Quotas (支出总量定额) and budget adjustments (预算调整): one service for typed and filed ones.

A year's quota for a scheme (or one of its expenditure lines, where the profile splits it)
is recorded once, with the city's document number and date; it changes only by separate,
dated adjustments, never by an edit. Carry-over of last year's unused quota follows the
profile (004 §4.3). Quotas that arrive by file from the city (exchange, issue #6) go through
the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from mibdesk.core.catalog import Profile
from mibdesk.core.db.models import Quota, QuotaAdjustment
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import MAX_FEN
from mibdesk.core.monthly import with_computed
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit, figures, plans
from mibdesk.core.rules.quota import Adjustment, QuotaInputs, adjustment_fits, carry_over
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store

QUOTA_CHANGES = Changes.of(Area.QUOTAS, Area.AUDIT)
SCHEME = ""  # the line of a quota for the whole scheme


@dataclass(frozen=True)
class QuotaDocument:
    """A quota or an adjustment as recorded: amount, document, date, who, why."""

    kind: Literal["quota", "adjustment"]
    scheme: str
    year: int
    line: str
    amount: int
    doc_no: str
    doc_date: str
    reason: str
    recorded_by: str
    recorded_at: str


def _check_document(doc_no: str, doc_date: date, year: int) -> None:
    if not doc_no.strip() or len(doc_no.strip()) > 80:
        raise ValidationError(
            _("Give the city's document number (文号), at most 80 characters."),
            where=_("Document number"),
        )
    if not year - 1 <= doc_date.year <= year + 1:
        raise ValidationError(
            _("The document date {date} is far from the quota's year {year}.").format(
                date=doc_date.isoformat(), year=year
            ),
            where=_("Document date"),
        )


def _check_target(profile: Profile, scheme: str, line: str, year: int) -> None:
    scheme_profile = profile.scheme(scheme)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("{year} is not a budget year.").format(year=year))
    if line == SCHEME:
        return
    if not scheme_profile.quota_by_line.value:
        raise ValidationError(
            _("The city sets this scheme's quota as a whole, not per line ({source}).").format(
                source=scheme_profile.quota_by_line.source
            )
        )
    known = {ln.code for ln in scheme_profile.lines_in("expenditure") if not ln.computed}
    if line not in known:
        raise ValidationError(
            _("{line} is not an expenditure line of this scheme.").format(line=line)
        )


def record_quota(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    year: int,
    amount: int,
    doc_no: str,
    doc_date: date,
    line: str = SCHEME,
) -> Outcome[QuotaDocument]:
    """Record the year's quota as the city issued it; a second one is refused."""
    require(actor, Permission.ENTER)
    _check_target(profile, scheme, line, year)
    if not 0 < amount < MAX_FEN:
        raise ValidationError(_("A quota is a positive amount below 10¹² yuan."), where=_("Quota"))
    _check_document(doc_no, doc_date, year)
    at = stamp(store.clock())
    with store.write() as session:
        if plans.quota(session, scheme, year, line) is not None:
            raise ValidationError(
                _(
                    "The {year} quota is already recorded. A quota changes only by a budget "
                    "adjustment (预算调整) with its own document."
                ).format(year=year)
            )
        row = Quota(
            scheme=scheme,
            year=year,
            line=line,
            amount=amount,
            doc_no=doc_no.strip(),
            doc_date=doc_date.isoformat(),
            recorded_by=actor.username,
            recorded_at=at,
        )
        plans.add(session, row)
        document = QuotaDocument(
            "quota", scheme, year, line, amount, row.doc_no, row.doc_date, "", actor.username, at
        )
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="quota.record",
            entity="quota",
            entity_key=f"{scheme}/{year}/{line}",
            after=document.__dict__,
        )
    return Outcome(document, QUOTA_CHANGES)


def record_adjustment(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    year: int,
    amount: int,
    doc_no: str,
    doc_date: date,
    reason: str,
    line: str = SCHEME,
) -> Outcome[QuotaDocument]:
    """Record a budget adjustment; refused below what plans already approved (003)."""
    require(actor, Permission.ENTER)
    _check_target(profile, scheme, line, year)
    if amount == 0 or abs(amount) >= MAX_FEN:
        raise ValidationError(
            _("An adjustment is a non-zero amount below 10¹² yuan."), where=_("Adjustment")
        )
    _check_document(doc_no, doc_date, year)
    if not reason.strip():
        raise ValidationError(_("Say what the adjustment is for."), where=_("Reason"))
    at = stamp(store.clock())
    with store.write() as session:
        inputs = quota_inputs(session, profile, scheme, year, line)
        if inputs is None:
            raise ValidationError(
                _("Record the {year} quota before adjusting it.").format(year=year)
            )
        refusal = adjustment_fits(
            inputs.available + amount, approved_plans(session, scheme, year, line)
        )
        if refusal:
            raise ValidationError(refusal, where=_("Adjustment"))
        row = QuotaAdjustment(
            scheme=scheme,
            year=year,
            line=line,
            amount=amount,
            doc_no=doc_no.strip(),
            doc_date=doc_date.isoformat(),
            reason=reason.strip(),
            recorded_by=actor.username,
            recorded_at=at,
        )
        plans.add(session, row)
        document = QuotaDocument(
            "adjustment",
            scheme,
            year,
            line,
            amount,
            row.doc_no,
            row.doc_date,
            row.reason,
            actor.username,
            at,
        )
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="quota.adjust",
            entity="quota",
            entity_key=f"{scheme}/{year}/{line}",
            after=document.__dict__,
            reason=row.reason,
        )
    return Outcome(document, QUOTA_CHANGES)


def documents(store: Store, scheme: str, year: int) -> list[QuotaDocument]:
    """The year's quotas, then its adjustments in date order."""
    with store.read() as session:
        found = [
            QuotaDocument(
                "quota",
                q.scheme,
                q.year,
                q.line,
                q.amount,
                q.doc_no,
                q.doc_date,
                "",
                q.recorded_by,
                q.recorded_at,
            )
            for q in plans.quotas(session, scheme, year)
        ]
        found += [
            QuotaDocument(
                "adjustment",
                a.scheme,
                a.year,
                a.line,
                a.amount,
                a.doc_no,
                a.doc_date,
                a.reason,
                a.recorded_by,
                a.recorded_at,
            )
            for a in plans.adjustments(session, scheme, year)
        ]
    return found


def approved_plans(session: Session, scheme: str, year: int, line: str = SCHEME) -> int:
    """What the city approved on the year's plans (the whole scheme, or one line)."""
    total = 0
    chosen = plans.plans_of_year(session, scheme, year)
    approved = [p for p in chosen if p.status in plans.APPROVED_STATUSES]
    if line == SCHEME:
        return sum(p.approved_amount or 0 for p in approved)
    for plan_lines in plans.lines_of_plans(session, [p.id for p in approved]).values():
        total += sum(pl.approved or 0 for pl in plan_lines if pl.line == line)
    return total


def spent(
    session: Session, profile: Profile, scheme: str, first: Month, last: Month, line: str = SCHEME
) -> dict[Month, int]:
    """Spending per month (the expenditure total, or one line), from the monthly figures."""
    code = line or profile.scheme(scheme).total("expenditure").code
    return spent_by_line(session, profile, scheme, first, last, [code])[code]


def spent_by_line(
    session: Session,
    profile: Profile,
    scheme: str,
    first: Month,
    last: Month,
    codes: list[str],
) -> dict[str, dict[Month, int]]:
    """Per line code, spending per month, read with one query."""
    scheme_profile = profile.scheme(scheme)
    found = figures.county_totals_between(session, scheme, first.to_int(), last.to_int())
    result: dict[str, dict[Month, int]] = {code: {} for code in codes}
    for period, values in found.items():
        month = Month.from_int(period)
        complete = with_computed(scheme_profile, values)
        for code in codes:
            if code in complete:
                result[code][month] = complete[code]
    return result


def quota_inputs(
    session: Session,
    profile: Profile,
    scheme: str,
    year: int,
    line: str = SCHEME,
    depth: int = 0,
) -> QuotaInputs | None:
    """Base, adjustments and carry-over of `year` (None when no quota is recorded)."""
    row = plans.quota(session, scheme, year, line)
    if row is None:
        return None
    moves = [
        Adjustment(a.amount, a.doc_no, date.fromisoformat(a.doc_date))
        for a in plans.adjustments(session, scheme, year)
        if a.line == line
    ]
    carried = 0
    last_year = (
        quota_inputs(session, profile, scheme, year - 1, line, depth + 1) if (depth < 20) else None
    )
    if last_year is not None:
        used = sum(
            spent(session, profile, scheme, Month(year - 1, 1), Month(year - 1, 12), line).values()
        )
        carried = carry_over(last_year.available, used, profile).amount
    return QuotaInputs(row.amount, moves, carried, row.doc_no)
