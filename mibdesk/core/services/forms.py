"""Official forms as PDFs: the monthly report, the fund-use plan, quota execution; and the
head's signature on them (refused while the data is not approved).

Layouts come from `core/reports/forms.py`, rendering from the one engine in
`core/reports/engine.py`, signatures from `core/signing`. The office's signing key lives in
`<data folder>/keys/office.p12`, protected by a password only the head knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.reports.layout import FormLayout, Signatories, Signer
from mibdesk.core.repos import audit, figures, users
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.execution import execution
from mibdesk.core.services.figures import month_form
from mibdesk.core.services.plans import _latest, plan_view
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.core.services.township_figures import township_breakdown

SIGNABLE_PLAN = ("signed", "submitted", "approved", "disbursed")
KEY_PASSWORD_MIN = 8


@dataclass(frozen=True)
class FormFile:
    """A rendered form: its fingerprint, whether its data may be signed, where its seal box is."""

    path: Path
    fingerprint: str
    approved: bool
    seal_page: int
    seal_box: tuple[float, float, float, float]


def key_path(store: Store) -> Path:
    return store.paths.root / "keys" / "office.p12"


def create_key(store: Store, actor: Actor, password: str, repeat: str) -> str:
    """The head creates the office's signing key and self-signed certificate (RSA 2048, in a
    PKCS#12 file protected by `password`); returns the certificate's fingerprint to read
    out to whoever must trust it. Refused: not a head, an office that already has a key, a
    password too short or typed differently twice."""
    from mibdesk.core.signing.keys import create_office_key
    from mibdesk.core.signing.keys import fingerprint as certificate_fingerprint

    require(actor, Permission.APPROVE)
    path = key_path(store)
    if path.exists():
        raise ValidationError(_("The office already has a signing key: {path}").format(path=path))
    if password != repeat:
        raise ValidationError(_("The two passwords differ; type the same password twice."))
    if len(password) < KEY_PASSWORD_MIN:
        raise ValidationError(
            _("The key password needs at least {count} characters.").format(count=KEY_PASSWORD_MIN)
        )
    info = office_info(store)
    certificate = create_office_key(path, password, office_name=info.name, office_code=info.code)
    mark = certificate_fingerprint(certificate)
    with store.write() as session:
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="keys.create",
            entity="key",
            entity_key=mark[:19],
        )
    return mark


def _day(text: str | None) -> str:
    if not text:
        return ""
    day = date.fromisoformat(text[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def _name(store: Store, user_id: int | None) -> str:
    if user_id is None:
        return ""
    with store.read() as session:
        user = users.by_id(session, user_id)
        return user.display_name if user else ""


def _written(layout: FormLayout, target: Path, approved: bool) -> FormFile:
    from mibdesk.core.reports.engine import render_form

    rendered = render_form(layout, target)
    return FormFile(target, rendered.fingerprint, approved, rendered.seal_page, rendered.seal_box)


def monthly_report_pdf(
    store: Store, profile: Profile, scheme: str, month: Month, target: Path
) -> FormFile:
    """The month's 月报表 (signable once the month is approved)."""
    from mibdesk.core.reports.forms import monthly_report_layout

    form = month_form(store, profile, scheme, month)
    with store.read() as session:
        row = figures.report(session, scheme, month.to_int())
        ids = (row.approved_by, row.reviewed_by, row.prepared_by) if row else (None,) * 3
        submitted = row.submitted_at if row else None
    names = Signatories(
        Signer(_name(store, ids[0]), _day(submitted)),
        Signer(_name(store, ids[1])),
        Signer(_name(store, ids[2])),
    )
    breakdown = (
        township_breakdown(store, profile, scheme, month)
        if profile.scheme(scheme).township_lines
        else None
    )
    layout = monthly_report_layout(office_info(store), profile, form, breakdown, names)
    return _written(layout, target, form.status == ReportStatus.APPROVED)


def plan_pdf(store: Store, profile: Profile, scheme: str, month: Month, target: Path) -> FormFile:
    """The month's 用款计划申请表 (signable once the head has signed the plan off)."""
    from mibdesk.core.reports.forms import fund_plan_layout

    view = plan_view(store, profile, scheme, month)
    if view is None:
        raise ValidationError(_("No plan has been drafted for {month}.").format(month=month.label))
    with store.read() as session:
        row = _latest(session, scheme, month)
        reviewer, head = (row.reviewed_by, row.signed_by) if row else (None, None)
    names = Signatories(
        head=Signer(_name(store, head)),
        reviewer=Signer(_name(store, reviewer)),
        preparer=Signer(_name(store, view.prepared_by), _day(view.submitted_at)),
    )
    layout = fund_plan_layout(office_info(store), profile, view, names)
    return _written(layout, target, view.status in SIGNABLE_PLAN)


def execution_pdf(store: Store, profile: Profile, year: int, target: Path) -> FormFile:
    """The year's 预算执行情况表 to date (figures already reported: always signable)."""
    from mibdesk.core.reports.forms import execution_layout

    layout = execution_layout(
        office_info(store), profile.form_codes, execution(store, profile, year), year
    )
    return _written(layout, target, True)


def check_signable(actor: Actor, form: FormFile) -> None:
    """Refuse (AuthError, ValidationError) unless `actor` may sign `form` now: only a
    head signs, and only a form whose data is approved."""
    require(actor, Permission.APPROVE)
    if not form.approved:
        raise ValidationError(
            _("Only approved figures are signed: take the form through review and approval first.")
        )


def sign_form(store: Store, actor: Actor, form: FormFile, target: Path, key_password: str) -> Path:
    """The head signs a rendered form (PAdES), the visible stamp in its seal box (盖章处),
    with the office's own key (a key issued to another office is refused)."""
    from mibdesk.core.signing.sign import sign_pdf

    check_signable(actor, form)
    sign_pdf(
        form.path,
        target,
        key_path(store),
        key_password,
        signer_name=actor.display_name,
        box=form.seal_box,
        page=form.seal_page - 1,
        office_code=office_info(store).code,
    )
    with store.write() as session:
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="pdf.sign",
            entity="pdf",
            entity_key=target.name,
        )
    return target
