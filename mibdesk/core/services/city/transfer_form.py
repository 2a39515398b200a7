"""The balance transfer as a signed A4 form (基金累计结余上划清单): rendered from the version in
force as it was issued (`transfer_issue.issued`), signed like every other form
(`forms.sign_form`: the head, the office key, the stamp in the seal box). Before the transfer
is issued, a draft is rendered from the inputs given for a look, but cannot be signed. The
form is Chinese whatever the interface language (the issued working is kept in Chinese)."""

from __future__ import annotations

from pathlib import Path

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _, official
from mibdesk.core.reports.layout import FormLayout, Signatories, Signer, fingerprint
from mibdesk.core.reports.transfer_form import TransferDocument, transfer_layout
from mibdesk.core.rules.settlement.transfers import TransferResult
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.city.transfer_issue import (
    TRANSFER_CHANGES,
    IssuedTransfer,
    inputs_sha256,
    issued,
    record_pdf,
)
from mibdesk.core.services.city.transfers import TransferInputs, compute_transfers, saved_inputs
from mibdesk.core.services.forms import FormFile, sign_form
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store


def _layout(
    store: Store,
    profile: Profile,
    result: TransferResult,
    inputs: TransferInputs,
    document: TransferDocument,
    names: Signatories,
) -> FormLayout:
    info = office_info(store)
    demand = {code: pair[1] for code, pair in inputs.balances.items()}
    scheme_name = profile.scheme(result.scheme).name
    return transfer_layout(info.name, info.code, scheme_name, result, demand, document, names)


def issued_layout(store: Store, profile: Profile, found: IssuedTransfer) -> FormLayout:
    """The form of an issued version, exactly as it is written and signed."""
    day = found.doc_date
    document = TransferDocument(
        found.doc_no,
        f"{day.year}年{day.month}月{day.day}日",
        found.version,
        found.reason,
        found.profile_id,
        found.profile_version,
        found.inputs_sha256,
    )
    names = Signatories(head=Signer(found.issued_by_name, document.doc_date))
    return _layout(store, profile, found.result, found.inputs, document, names)


def transfer_pdf(
    store: Store,
    profile: Profile,
    year: int,
    scheme: str,
    target: Path,
    draft: TransferInputs | None = None,
) -> FormFile:
    """The transfer's form at `target`: the issued version in force (signable), or, while
    nothing is issued, a draft computed from `draft` (the saved inputs when None).

    ValidationError from `compute_transfers` when a draft's inputs are incomplete."""
    from mibdesk.core.reports.engine import render_form

    found = issued(store, year, scheme)
    if found is not None:
        layout = issued_layout(store, profile, found)
    else:
        inputs = draft if draft is not None else saved_inputs(store, year, scheme)
        with official():
            result = compute_transfers(store, profile, year, scheme, inputs)
        document = TransferDocument(
            "", "", 0, "", profile.id, profile.version, inputs_sha256(inputs)
        )
        layout = _layout(store, profile, result, inputs, document, Signatories())
    rendered = render_form(layout, target)
    return FormFile(
        target, rendered.fingerprint, found is not None, rendered.seal_page, rendered.seal_box
    )


def sign_transfer(
    store: Store,
    actor: Actor,
    profile: Profile,
    year: int,
    scheme: str,
    form: FormFile,
    target: Path,
    key_password: str,
) -> Outcome[Path]:
    """The head signs the form of the version in force; its fingerprint is kept with it.

    Refused, nothing signed: not the head; nothing issued; a form that is not the version in
    force (a draft, or written before a new version was issued)."""
    require(actor, Permission.APPROVE)
    found = issued(store, year, scheme)
    if found is None or not form.approved:
        raise ValidationError(
            _("Issue the {year} transfer before signing its form.").format(year=year)
        )
    if form.fingerprint != fingerprint(issued_layout(store, profile, found)):
        raise ValidationError(
            _(
                "This form is not version {version} of the {year} transfer, the one in force: "
                "write the form again and sign that one."
            ).format(version=found.version, year=year)
        )
    signed = sign_form(store, actor, form, target, key_password)
    record_pdf(store, year, scheme, found.version, form.fingerprint)
    return Outcome(signed, TRANSFER_CHANGES)
