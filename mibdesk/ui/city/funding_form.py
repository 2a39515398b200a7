"""The 正式报表 button of the funding screen: the official forms' menu (preview and print, the
system viewer, save, sign) for the city's application to finance (全市基金当月使用计划).

The same `FormButton` the other screens use, with a controller that writes this form, and
whose signature is the head's application to finance (`application.sign_and_apply`): the
draft becomes "applied for" when the signed PDF is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.forms import FormFile
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormController, FormRequest

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

FORM_TITLE = "全市基金当月使用计划"


@dataclass(frozen=True)
class ApplicationRequest(FormRequest):
    """The form of application `number` for the scheme and month."""

    number: int = 0


class ApplicationFormController(FormController):
    """Writes the application's form; signing it applies to finance."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self._ctx = ctx
        self._signed = Changes.of(Area.AUDIT)
        self._written: ApplicationRequest | None = None  # the form last written

    def suggested_name(self, request: FormRequest, signed: bool = False) -> str:
        """e.g. 330600-EMP-2026-12-全市基金当月使用计划-第1次-签章.pdf"""
        number = request.number if isinstance(request, ApplicationRequest) else 0
        parts = [self._ctx.office.code, request.scheme, str(request.month), FORM_TITLE]
        suffix = "-签章" if signed else ""
        return "-".join(parts) + f"-第{number}次{suffix}.pdf"

    def render(self, request: FormRequest, target: Path) -> FormFile:
        """Write application `number`'s form to `target`. Worker thread."""
        from mibdesk.core.services.city.application_form import application_pdf

        assert isinstance(request, ApplicationRequest) and request.month is not None
        ctx = self._ctx
        self._written = request  # the button signs the form it has just written
        return application_pdf(
            ctx.store, ctx.profile, request.scheme, request.month, target, request.number or None
        )

    def check_signable(self, form: FormFile) -> None:
        """Only the head signs, and only a draft: an application already sent is not again."""
        from mibdesk.core.services.city.application import current

        super().check_signable(form)
        scheme, month = self._shown()
        app = current(self._ctx.store, self._ctx.profile, scheme, month)
        if app.status != "draft":
            raise ValidationError(
                _("Application {n} for {month} was already applied for on {date}.").format(
                    n=app.number, month=month.label, date=app.applied_on or ""
                )
            )

    def _shown(self) -> tuple[str, Month]:
        written = self._written
        assert written is not None and written.month is not None
        return written.scheme, written.month

    def sign(self, form: FormFile, target: Path, password: str) -> Path:
        """The head signs the form and the application goes to finance today. Worker thread."""
        from mibdesk.core.services.city.application import sign_and_apply

        ctx = self._ctx
        scheme, month = self._shown()
        outcome = sign_and_apply(
            ctx.store,
            ctx.actor,
            ctx.profile,
            scheme,
            month,
            form,
            target,
            password,
            ctx.store.clock().date(),
        )
        self._signed = outcome.changes | Changes.of(Area.AUDIT)
        return target

    def audit_changed(self) -> None:
        """Tell the screens what the signature changed (the application, the audit log)."""
        self._ctx.hub.publish(self._signed)


class ApplicationFormButton(FormButton):
    """The forms menu for the application `request()` names; its sign entry applies."""

    def __init__(
        self,
        ctx: UiContext,
        request: Callable[[], ApplicationRequest],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, request, parent)
        self.controller = ApplicationFormController(ctx)
        self.setText(_("Application form"))
        self.sign_action.setText(_("Sign and apply to finance…"))
