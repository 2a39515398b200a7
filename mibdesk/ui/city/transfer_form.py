"""The 正式报表 button of the balance-transfer screen: the official forms' menu (preview and
print, the system viewer, save, sign) for the year's 基金累计结余上划清单.

The same `FormButton` the other screens use, with a controller that writes this form — the
version issued, or a draft of the figures on screen while nothing is issued — and whose
signature is `transfer_form.sign_transfer` (only the version in force is signed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.forms import FormFile
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormController, FormRequest

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from mibdesk.core.services.city.transfers import TransferInputs

FORM_TITLE = "余额上划清单"


@dataclass(frozen=True)
class TransferRequest(FormRequest):
    """The form of the scheme's transfer of `year`; `draft`: the figures on screen, used
    while nothing is issued (None: the saved figures)."""

    draft: TransferInputs | None = None


class TransferFormController(FormController):
    """Writes and signs the transfer form of the year and scheme the screen shows."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self._ctx = ctx
        self._signed = Changes.of(Area.AUDIT)
        self._written: TransferRequest | None = None  # the form last written

    def suggested_name(self, request: FormRequest, signed: bool = False) -> str:
        """e.g. 330600-EMP-2027-余额上划清单-签章.pdf"""
        suffix = "-签章" if signed else ""
        parts = (self._ctx.office.code, request.scheme, str(request.year), FORM_TITLE)
        return "-".join(parts) + f"{suffix}.pdf"

    def render(self, request: FormRequest, target: Path) -> FormFile:
        """Write the form to `target`. Worker thread."""
        from mibdesk.core.services.city.transfer_form import transfer_pdf

        assert isinstance(request, TransferRequest)
        ctx = self._ctx
        self._written = request  # the button signs the form it has just written
        return transfer_pdf(
            ctx.store, ctx.profile, request.year, request.scheme, target, request.draft
        )

    def check_signable(self, form: FormFile) -> None:
        """Only the head signs, and only the form of an issued transfer."""
        if not form.approved:
            year = self._written.year if self._written else ""
            raise ValidationError(
                _("Issue the {year} transfer before signing its form.").format(year=year)
            )
        super().check_signable(form)

    def sign(self, form: FormFile, target: Path, password: str) -> Path:
        """The head's signature; the fingerprint is kept with the version. Worker thread."""
        from mibdesk.core.services.city.transfer_form import sign_transfer

        written, ctx = self._written, self._ctx
        assert written is not None
        outcome = sign_transfer(
            ctx.store,
            ctx.actor,
            ctx.profile,
            written.year,
            written.scheme,
            form,
            target,
            password,
        )
        self._signed = outcome.changes | Changes.of(Area.AUDIT)
        return outcome.value

    def audit_changed(self) -> None:
        """Tell the screens what the signature changed (the transfer, the audit log)."""
        self._ctx.hub.publish(self._signed)


class TransferFormButton(FormButton):
    """The forms menu of the transfer `request()` names."""

    def __init__(
        self,
        ctx: UiContext,
        request: Callable[[], TransferRequest],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, request, parent)
        self.controller = TransferFormController(ctx)
