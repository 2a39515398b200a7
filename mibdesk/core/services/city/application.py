"""The city's monthly application to finance (全市基金当月使用计划), assembled from the
counties' approved plans for one scheme and month: draft → applied (the PDF signed by the
head and handed to finance) → funded (finance paid the city). Forwarding the money to the
counties is in `forwarding`.

An application takes the approved plans not yet in an earlier one: a plan approved after the
first application went to finance goes into a supplementary one (number 2, 3 …). A draft is
re-assembled as plans are approved; once applied, it is fixed. Each step is judged against the
profile's timetable in working days (rules/city_deadlines.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import delete

from mibdesk.core.catalog import Profile
from mibdesk.core.db.models import CityApplication, CityApplicationItem
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import N_, _
from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit
from mibdesk.core.repos import city as repo
from mibdesk.core.rules.city_deadlines import Timing, city_chain
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.calendar import work_calendar
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.city.overview import sent_day
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.forms import FormFile, sign_form
from mibdesk.core.services.store import Store
from mibdesk.core.workdays import WorkCalendar

APPLICATION_CHANGES = Changes.of(Area.PLANS, Area.AUDIT)
STATUS_NAMES = {"draft": N_("draft"), "applied": N_("applied for"), "funded": N_("funded")}


@dataclass(frozen=True)
class ApplicationItem:
    plan_id: int
    county: str
    name: str
    version: int
    requested: int
    amount: int  # approved, as taken into the application
    decided_on: str
    submitted_on: date | None
    forwarded_amount: int | None
    forwarded_on: str | None


@dataclass(frozen=True)
class LineTotal:
    line: str
    name: str
    requested: int
    approved: int


@dataclass(frozen=True)
class Application:
    id: int
    scheme: str
    month: Month
    number: int
    status: str  # draft | applied | funded
    total: int
    created_by: str
    created_at: str
    applied_on: str | None
    applied_by: str
    pdf_fingerprint: str
    funded_amount: int | None
    funded_on: str | None
    funded_doc: str
    items: tuple[ApplicationItem, ...]
    lines: tuple[LineTotal, ...]
    steps: tuple[Timing, ...]  # county plans in, city applies, finance pays, city forwards

    @property
    def forwarded(self) -> int:
        return sum(item.forwarded_amount or 0 for item in self.items)


def applications(
    store: Store, profile: Profile, scheme: str, month: Month, today: date | None = None
) -> list[Application]:
    """The month's applications for the scheme, first to last, with items and steps."""
    today = today or store.clock().date()
    calendar = work_calendar(store)
    with store.read() as session:
        rows = repo.applications(session, scheme, month.to_int())
        items = repo.application_items(session, [r.id for r in rows])
        plans = {p.id: p for p in repo.plan_heads(session, [month.to_int()], scheme=scheme)}
        lines = repo.plan_lines(session, [plan_id for _a, plan_id, _amount in items])
        names = {code: name for code, name, _status in repo.counties(session)}
        found = []
        for row in rows:
            mine = [(p, amount) for a, p, amount in items if a == row.id]
            found.append(_application(row, mine, plans, lines, names, profile, month))
    return [_with_steps(app, profile, calendar, today) for app in found]


def _application(
    row: CityApplication,
    mine: list[tuple[int, int]],
    plans: dict[int, repo.PlanHead],
    lines: list[tuple[int, str, int, str, int | None, str]],
    names: dict[str, str],
    profile: Profile,
    month: Month,
) -> Application:
    items = tuple(
        ApplicationItem(
            plan_id,
            plans[plan_id].office,
            names.get(plans[plan_id].office, plans[plan_id].office),
            plans[plan_id].version,
            plans[plan_id].requested,
            amount,
            plans[plan_id].decided_on or "",
            sent_day(plans[plan_id].submitted_at),
            plans[plan_id].disbursed_amount,
            plans[plan_id].disbursed_on,
        )
        for plan_id, amount in mine
    )
    ids = {plan_id for plan_id, _amount in mine}
    requested: dict[str, int] = defaultdict(int)
    approved: dict[str, int] = defaultdict(int)
    for plan_id, code, asked, _why, given, _reason in lines:
        if plan_id in ids:
            requested[code] += asked
            approved[code] += given or 0
    scheme = profile.scheme(row.scheme)
    order = [line.code for line in scheme.lines] + sorted(
        set(requested) - {ln.code for ln in scheme.lines}
    )
    names_of = {line.code: line.name for line in scheme.lines}
    totals = tuple(
        LineTotal(code, names_of.get(code, code), requested[code], approved[code])
        for code in order
        if code in requested
    )
    return Application(
        row.id,
        row.scheme,
        month,
        row.number,
        row.status,
        row.total,
        row.created_by,
        row.created_at,
        row.applied_on,
        row.applied_by,
        row.pdf_fingerprint,
        row.funded_amount,
        row.funded_on,
        row.funded_doc,
        items,
        totals,
        (),
    )


def _with_steps(
    app: Application, profile: Profile, calendar: WorkCalendar, today: date
) -> Application:
    submitted = [item.submitted_on for item in app.items if item.submitted_on]
    forwarded = [item.forwarded_on or "" for item in app.items]
    done = {
        "county_plan": max(submitted) if submitted else None,
        "city_apply": sent_day(app.applied_on),
        "finance_disburse": sent_day(app.funded_on),
        # the city's forwarding is done when every county has its money
        "city_forward": sent_day(max(forwarded)) if forwarded and all(forwarded) else None,
    }
    return replace(
        app, steps=tuple(city_chain(profile.timetable, app.month, calendar, done, today))
    )


def month_chain(
    store: Store, profile: Profile, month: Month, today: date | None = None
) -> list[Timing]:
    """The month's steps before any application is assembled: each due date, nothing done."""
    today = today or store.clock().date()
    return city_chain(profile.timetable, month, work_calendar(store), {}, today)


def current(
    store: Store, profile: Profile, scheme: str, month: Month, number: int | None = None
) -> Application:
    """The month's latest application (or number `number`); ValidationError when none."""
    found = applications(store, profile, scheme, month)
    chosen = (
        found[-1]
        if found and number is None
        else next((a for a in found if a.number == number), None)
    )
    if chosen is None:
        raise ValidationError(
            _("There is no application to finance for {month} yet: assemble one first.").format(
                month=month.label
            )
        )
    return chosen


def assemble(
    store: Store, actor: Actor, profile: Profile, scheme: str, month: Month
) -> Outcome[Application]:
    """A draft application of every approved plan not yet applied for (a draft is refreshed)."""
    require(actor, Permission.ENTER)
    profile.scheme(scheme)
    at = stamp(store.clock())
    with store.write() as session:
        rows = repo.applications(session, scheme, month.to_int())
        draft = next((r for r in rows if r.status == "draft"), None)
        fixed = [r.id for r in rows if r.status != "draft"]
        taken = {plan_id for _a, plan_id, _amount in repo.application_items(session, fixed)}
        approved = [
            p
            for p in repo.plan_heads(
                session, [month.to_int()], scheme=scheme, statuses=("approved",)
            )
            if p.id not in taken and p.approved
        ]
        if not approved:
            raise ValidationError(
                _(
                    "No approved plan for {month} is waiting to be applied for: approve the "
                    "counties' plans first."
                ).format(month=month.label)
            )
        if draft is None:
            draft = CityApplication(
                scheme=scheme,
                period=month.to_int(),
                number=max((r.number for r in rows), default=0) + 1,
                status="draft",
                total=0,
                created_by=actor.username,
                created_at=at,
                applied_by="",
                pdf_fingerprint="",
                funded_doc="",
                funded_by="",
            )
            session.add(draft)
            session.flush()
        else:
            session.execute(
                delete(CityApplicationItem).where(CityApplicationItem.application_id == draft.id)
            )
        session.add_all(
            CityApplicationItem(application_id=draft.id, plan_id=p.id, amount=p.approved or 0)
            for p in approved
        )
        draft.total = sum(p.approved or 0 for p in approved)
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="city_application.assemble",
            entity="city_application",
            entity_key=f"{scheme}/{month.to_int()}/{draft.number}",
            after={"plans": len(approved), "total": draft.total},
        )
        number = draft.number
    return Outcome(current(store, profile, scheme, month, number), APPLICATION_CHANGES)


def sign_and_apply(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    form: FormFile,
    target: Path,
    key_password: str,
    applied_on: date,
) -> Outcome[Application]:
    """The head signs the application's PDF; it is then applied for (sent to finance).

    `form` must be the application as it stands (its data fingerprint): a form written before
    the draft was assembled again is refused, and nothing is signed."""
    require(actor, Permission.APPROVE)
    app = current(store, profile, scheme, month)
    if app.status != "draft":
        raise ValidationError(
            _("Application {n} for {month} was already applied for on {date}.").format(
                n=app.number, month=month.label, date=app.applied_on or ""
            )
        )
    from mibdesk.core.services.city.application_form import form_fingerprint

    if form.fingerprint != form_fingerprint(store, profile, app):
        raise ValidationError(
            _(
                "Application {n} for {month} changed after this form was written (it was "
                "assembled again): write the form again and sign that one."
            ).format(n=app.number, month=month.label)
        )
    sign_form(store, actor, form, target, key_password)
    with store.write() as session:
        row = session.get(CityApplication, app.id)
        assert row is not None
        row.status, row.applied_on, row.applied_by = (
            "applied",
            applied_on.isoformat(),
            actor.username,
        )
        row.pdf_fingerprint = form.fingerprint
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="city_application.apply",
            entity="city_application",
            entity_key=f"{scheme}/{month.to_int()}/{app.number}",
            after={
                "total": app.total,
                "applied_on": applied_on.isoformat(),
                "pdf": form.fingerprint,
            },
        )
    return Outcome(current(store, profile, scheme, month, app.number), APPLICATION_CHANGES)


def record_funding(
    store: Store,
    actor: Actor,
    profile: Profile,
    scheme: str,
    month: Month,
    amount: int,
    paid_on: date,
    doc_no: str = "",
    number: int | None = None,
) -> Outcome[Application]:
    """Finance paid the city for an application (at most what was applied for)."""
    require(actor, Permission.ENTER)
    app = current(store, profile, scheme, month, number)
    if app.status != "applied":
        raise ValidationError(
            _("Only an application sent to finance can be funded (this one is: {status}).").format(
                status=_(STATUS_NAMES[app.status])
            )
        )
    if not 0 < amount <= app.total:
        raise ValidationError(
            _("Finance's payment must be above 0 and at most the {total} applied for.").format(
                total=format_fen(app.total)
            ),
            where=_("Amount received"),
        )
    if app.applied_on and paid_on < date.fromisoformat(app.applied_on):
        raise ValidationError(
            _("Finance cannot pay before the city applied ({date}).").format(date=app.applied_on),
            where=_("Date received"),
        )
    with store.write() as session:
        row = session.get(CityApplication, app.id)
        assert row is not None
        row.status, row.funded_amount, row.funded_on = "funded", amount, paid_on.isoformat()
        row.funded_doc, row.funded_by = doc_no.strip()[:80], actor.username
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="city_application.funded",
            entity="city_application",
            entity_key=f"{scheme}/{month.to_int()}/{app.number}",
            after={"amount": amount, "paid_on": paid_on.isoformat(), "doc": doc_no.strip()},
        )
    return Outcome(current(store, profile, scheme, month, app.number), APPLICATION_CHANGES)
