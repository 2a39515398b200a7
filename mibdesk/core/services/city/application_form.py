"""The city's application to finance as an A4 form (全市基金当月使用计划), ready for the head's
signature (`application.sign_and_apply`)."""

from __future__ import annotations

from pathlib import Path

from mibdesk.core.catalog import Profile
from mibdesk.core.periods import Month
from mibdesk.core.reports.layout import FormLayout, Signatories, Signer, fingerprint
from mibdesk.core.repos import users
from mibdesk.core.services.city.application import Application, current
from mibdesk.core.services.city.overview import sent_day
from mibdesk.core.services.forms import FormFile
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store


def application_pdf(
    store: Store,
    profile: Profile,
    scheme: str,
    month: Month,
    target: Path,
    number: int | None = None,
) -> FormFile:
    """The application as an A4 form (signable: the plans in it are approved)."""
    from mibdesk.core.reports.engine import render_form

    layout = application_layout_of(store, profile, current(store, profile, scheme, month, number))
    rendered = render_form(layout, target)
    return FormFile(target, rendered.fingerprint, True, rendered.seal_page, rendered.seal_box)


def application_layout_of(store: Store, profile: Profile, app: Application) -> FormLayout:
    """The form's content for `app` as it stands in the database now."""
    from mibdesk.core.reports.city_forms import (
        ApplicationCounty,
        ApplicationLine,
        application_layout,
    )

    info = office_info(store)
    with store.read() as session:
        preparer = users.by_username(session, app.created_by)
        head = users.by_username(session, app.applied_by) if app.applied_by else None
    names = Signatories(
        head=Signer(head.display_name if head else "", _chinese_day(app.applied_on)),
        preparer=Signer(preparer.display_name if preparer else "", _chinese_day(app.created_at)),
    )
    return application_layout(
        info.name,
        info.code,
        profile.scheme(app.scheme).name,
        app.month.label,
        app.number,
        [
            ApplicationCounty(i.name, i.county, i.version, i.requested, i.amount, i.decided_on)
            for i in app.items
        ],
        [ApplicationLine(ln.name, ln.requested, ln.approved) for ln in app.lines],
        names,
        profile.form_codes.city_application,
    )


def form_fingerprint(store: Store, profile: Profile, app: Application) -> str:
    """The data fingerprint a form of `app` written now would carry."""
    return fingerprint(application_layout_of(store, profile, app))


def _chinese_day(text: str | None) -> str:
    day = sent_day(text)
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
