"""The year's settlement as a signed A4 form (年度清算表): rendered from the settlement the
head finalised (`settlement_run.final`), signed like every other form (`forms.sign_form`:
the head, the office key, the stamp in the seal box); a draft is rendered for a look but
cannot be signed. The form is Chinese whatever the interface language: the settlement is
computed inside `i18n.official()`, so its working-step labels are Chinese too."""

from __future__ import annotations

from pathlib import Path

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _, official
from mibdesk.core.reports.layout import Signatories, Signer
from mibdesk.core.repos import users
from mibdesk.core.security.roles import Actor
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.city.overview import sent_day
from mibdesk.core.services.city.settlement import SETTLEMENT_CHANGES
from mibdesk.core.services.city.settlement_run import compute, record_pdf
from mibdesk.core.services.forms import FormFile, sign_form
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store


def settlement_pdf(store: Store, profile: Profile, year: int, target: Path) -> FormFile:
    """The settlement as a form at `target`; signable once the year is final."""
    from mibdesk.core.reports.engine import render_form
    from mibdesk.core.reports.settlement_form import settlement_layout

    with official():
        settled = compute(store, profile, year)
    sheet = settled.sheet
    info = office_info(store)
    with store.read() as session:
        preparer = users.by_username(session, sheet.saved_by) if sheet.saved_by else None
        head = users.by_username(session, sheet.finalised_by) if sheet.finalised_by else None
    names = Signatories(
        head=Signer(head.display_name if head else "", _chinese_day(sheet.finalised_at)),
        preparer=Signer(preparer.display_name if preparer else "", _chinese_day(sheet.saved_at)),
    )
    layout = settlement_layout(
        info.name,
        info.code,
        settled.result,
        {scheme.code: scheme.name for scheme in profile.schemes},
        settled.input_sha256,
        names,
        profile.form_codes.settlement,
    )
    rendered = render_form(layout, target)
    return FormFile(
        target, rendered.fingerprint, settled.final, rendered.seal_page, rendered.seal_box
    )


def sign_settlement(
    store: Store,
    actor: Actor,
    year: int,
    form: FormFile,
    target: Path,
    key_password: str,
) -> Outcome[Path]:
    """The head signs the rendered settlement form; its fingerprint is kept with the year."""
    if not form.approved:
        raise ValidationError(
            _("Finalise the {year} settlement before signing its form.").format(year=year)
        )
    signed = sign_form(store, actor, form, target, key_password)
    record_pdf(store, year, form.fingerprint)
    return Outcome(signed, SETTLEMENT_CHANGES)


def _chinese_day(text: str) -> str:
    day = sent_day(text)
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
