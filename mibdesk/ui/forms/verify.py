"""验证PDF… in the main window: pick any PDF, check its signature against the offices this
office trusts, and show who signed it, when, whether it changed since and whether the signer
is trusted. A file that cannot be checked (not a PDF, encrypted, two signatures) is refused
with its reason."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from mibdesk.core.i18n import _
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.button import PDF_FILTER
from mibdesk.ui.forms.controller import FormController
from mibdesk.ui.forms.dialogs import VerifyDialog

if TYPE_CHECKING:
    from mibdesk.core.signing.verify import PdfVerdict


def choose_and_verify(parent: QWidget, ctx: UiContext) -> None:
    """Ask for a PDF, then check it (on the task runner) and show the verdict."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, _("Verify a PDF"), "", PDF_FILTER)
    if chosen:
        verify_file(parent, ctx, Path(chosen))


def verify_file(parent: QWidget, ctx: UiContext, path: Path) -> None:
    """Check the PDF at `path` on the task runner, then show the verdict (a refusal is shown
    as the task runner shows any `UserError`)."""
    controller = FormController(ctx)

    def show(verdict: PdfVerdict) -> None:
        VerifyDialog(path, verdict, parent).exec()

    ctx.tasks.run(lambda progress: controller.verify(path), show, label=_("Checking the signature"))
