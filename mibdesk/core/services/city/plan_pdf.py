"""The signed PDF a county sent with its fund-use plan, as it came in its package.

The reviewer reads the plan as data on the screen; the PDF is the county's signed form of
the same figures. It is taken from the package the office kept when it received the plan,
whose signature and member hashes are checked again with the key that signed it (even if
the county has since rotated it, or the city revoked it: the package was accepted while
the key was good). The PDF's own signature is checked by the forms' verify step.
"""

from __future__ import annotations

from pathlib import Path

from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import keys
from mibdesk.core.exchange.package import OpenedPackage, PinnedKey, open_package
from mibdesk.core.exchange.refusals import PackageRefused
from mibdesk.core.i18n import _
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.city.plans import CountyPlanView
from mibdesk.core.services.exchange.package_files import received_file
from mibdesk.core.services.store import Store
from mibdesk.core.signing._files import write_atomically


def save_county_pdf(store: Store, plan: CountyPlanView, target: Path) -> Path:
    """Write the county's signed PDF of `plan` to `target`; ValidationError (in Chinese)
    when the plan came without one or its package can no longer be read."""
    if not plan.pdf_file:
        raise ValidationError(
            _("{county} sent this plan without a signed PDF.").format(county=plan.name)
        )
    pdf = _received(store, plan).members.get(plan.pdf_file)
    if pdf is None:
        raise ValidationError(_("The plan's PDF is not in the package."))
    write_atomically(target, lambda temp: temp.write_bytes(pdf))
    return target


def _received(store: Store, plan: CountyPlanView) -> OpenedPackage:
    with store.read() as session:
        rows = [
            (row.id, row.package_sha256, row.file_name)
            for row in ledger.inbox_by_package(session, plan.package_id)
            if row.status == "applied"
        ]
        signers = {
            row.key_id: PinnedKey(row.office, keys.decode_public(row.public_key, where=row.office))
            for row in ledger.peers(session, ("active", "retired", "revoked"))
        }
    data = received_file(store, *rows[0]) if rows else None
    if data is None:
        raise ValidationError(
            _("The package this plan came in ({id}) is no longer kept by this office.").format(
                id=plan.package_id[:12]
            )
        )
    try:
        return open_package(data, signers.get)
    except PackageRefused as refusal:
        raise ValidationError(
            _("The package this plan came in does not check out: {reason}").format(
                reason=refusal.message
            )
        ) from None
