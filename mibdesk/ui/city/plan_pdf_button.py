"""The 县局签章件 button of the plan review screen: the signed PDF the county sent with the
selected plan, as it came in its package — open it in the PDF viewer, save it, or check its
signature."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.button import PDF_FILTER, open_in_viewer
from mibdesk.ui.forms.verify import verify_file

if TYPE_CHECKING:
    from mibdesk.core.services.city.plans import CountyPlanView


def pdf_name(plan: CountyPlanView) -> str:
    """The name a saved copy is offered under: county, month, version."""
    return f"{plan.name}_{plan.month.year}年{plan.month.month:02d}月用款计划_第{plan.version}版.pdf"


class CountyPdfButton(QToolButton):
    """Acts on `plan()`, the plan selected when an action is chosen; `say` shows on the
    screen where the copy was saved, or why there is none (a plan sent without a PDF, a
    package no longer kept or altered)."""

    def __init__(
        self,
        ctx: UiContext,
        plan: Callable[[], CountyPlanView | None],
        say: Callable[[str, Literal["error", "ok"]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.plan, self.say = ctx, plan, say
        self._scratch: Path | None = None
        self.setObjectName("countyPdf")
        self.setText(_("County's signed PDF"))
        self.setToolTip(_("The signed PDF the county sent with this plan"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        menu.addAction(_("Open in the PDF viewer"), self.open_viewer)
        menu.addAction(_("Save as PDF…"), self.save_as)
        menu.addAction(_("Verify the signature…"), self.verify)
        self.setMenu(menu)

    def show_plan(self, plan: CountyPlanView | None) -> None:
        """Enabled for a plan that came with its PDF."""
        self.setEnabled(plan is not None and bool(plan.pdf_file))

    def write(self, target: Path | None = None) -> Path | None:
        """The selected plan's PDF written to `target` (a new temporary file if None); None,
        with the reason said, when it cannot be."""
        from mibdesk.core.services.city.plan_pdf import save_county_pdf

        plan = self.plan()
        if plan is None:
            return None
        if target is None:
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="mibdesk-plans-"))
            stem = pdf_name(plan).removesuffix(".pdf")
            target = self._scratch / f"{stem}-{datetime.now():%H%M%S%f}.pdf"
        try:
            return save_county_pdf(self.ctx.store, plan, target)
        except UserError as error:
            self.say(str(error), "error")
            return None

    def open_viewer(self) -> None:
        path = self.write()
        if path is not None:
            open_in_viewer(path, self.window())

    def save_as(self) -> None:
        plan = self.plan()
        if plan is None:
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self.window(), _("Save the county's signed PDF"), pdf_name(plan), PDF_FILTER
        )
        if chosen and self.write(Path(chosen)) is not None:
            self.say(_("Saved as {path}.").format(path=chosen), "ok")

    def verify(self) -> None:
        path = self.write()
        if path is not None:
            verify_file(self.window(), self.ctx, path)
