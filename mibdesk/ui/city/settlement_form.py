"""The 正式报表 button of the year-end settlement screen: the official forms' menu (preview and
print, the system viewer, save, sign) for the year's 年度清算表.

The same `FormButton` the other screens use, with a controller that writes this form through
the screen's `SettlementController` (what was typed is saved first) and whose signature is
`settlement_form.sign_settlement` (only a finalised year is signed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.services.forms import FormFile
from mibdesk.ui.city.settlement_controller import SettlementController
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormController, FormRequest

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

FORM_TITLE = "年度清算表"


def settlement_request(year: int) -> FormRequest:
    """The form of the settlement of `year` (a year's form, as the execution form is)."""
    return FormRequest("execution", year=year)


class SettlementFormController(FormController):
    """Writes and signs the settlement form of the year the screen shows."""

    def __init__(self, ctx: UiContext, screen: SettlementController) -> None:
        super().__init__(ctx)
        self._ctx = ctx
        self._screen = screen

    def suggested_name(self, request: FormRequest, signed: bool = False) -> str:
        """e.g. 330600-2025-年度清算表-签章.pdf"""
        suffix = "-签章" if signed else ""
        return f"{self._ctx.office.code}-{request.year}-{FORM_TITLE}{suffix}.pdf"

    def render(self, request: FormRequest, target: Path) -> FormFile:
        """Save what was typed, then write the year's form to `target`. Worker thread."""
        return self._screen.render(target)

    def check_signable(self, form: FormFile) -> None:
        """Only the head signs, and only the form of a finalised year."""
        if not form.approved:
            raise ValidationError(
                _("Finalise the {year} settlement before signing its form.").format(
                    year=self._screen.year
                )
            )
        super().check_signable(form)

    def sign(self, form: FormFile, target: Path, password: str) -> Path:
        """The head's signature; the fingerprint is kept with the year. Worker thread."""
        return self._screen.sign(form, target, password)


class SettlementFormButton(FormButton):
    """The forms menu of the settlement of the year `year()` names."""

    def __init__(
        self,
        ctx: UiContext,
        screen: SettlementController,
        year: Callable[[], int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, lambda: settlement_request(year()), parent)
        self.controller = SettlementFormController(ctx, screen)
