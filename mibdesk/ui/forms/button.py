"""The 正式报表 button a screen puts beside its actions: the official form of what it shows,
to preview and print, open in the system's PDF viewer, save, or (the head) sign and save.

Rendering and signing run on the task runner; the dialogs that follow open when it is done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolButton, QWidget

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.forms import FormFile
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.controller import FormController, FormRequest
from mibdesk.ui.forms.dialogs import CreateKeyDialog, SignDialog
from mibdesk.ui.forms.printing import PreviewDialog

PDF_FILTER = "PDF (*.pdf)"


def open_in_viewer(path: Path, parent: QWidget | None) -> None:
    """Hand `path` to the system's PDF viewer; say so when there is none."""
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        QMessageBox.warning(
            parent,
            _("No PDF viewer"),
            _("No program to open PDF files was found. The form is saved as {path}.").format(
                path=path
            ),
        )


class FormButton(QToolButton):
    """A drop-down of the form actions for `request()`, the form of what the screen shows
    (called when an action is chosen, so it names the scheme and period shown then)."""

    def __init__(
        self, ctx: UiContext, request: Callable[[], FormRequest], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request = request
        self.controller = FormController(ctx)
        self.preview: PreviewDialog | None = None
        self.setText(_("Official form"))
        self.setToolTip(_("The official PDF form of what this screen shows"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.preview_action = menu.addAction(_("Preview and print…"), self.print_preview)
        self.view_action = menu.addAction(_("Open in the PDF viewer"), self.open_viewer)
        self.save_action = menu.addAction(_("Save as PDF…"), self.save_as)
        menu.addSeparator()
        self.sign_action = menu.addAction(_("Sign and save…"), self.sign)
        self.sign_action.setVisible(self.controller.can_sign)
        self.setMenu(menu)

    def _render(self, then: Callable[[FormFile], None], target: Path | None = None) -> None:
        """Render the form of what the screen shows to `target` (a new temporary file if
        None) on the task runner, then call `then` with it."""
        request = self.request()
        path = target or self.controller.scratch_path(request)
        self.ctx.tasks.run(
            lambda progress: self.controller.render(request, path),
            then,
            label=_("Writing the form"),
        )

    def print_preview(self) -> None:
        """Render the form, then show it in the print preview (printing from there)."""
        self._render(self._show_preview)

    def _show_preview(self, form: FormFile) -> None:
        try:
            self.preview = PreviewDialog(form.path, self.window())
        except UserError as error:
            QMessageBox.warning(self, _("Cannot print"), str(error))
            return
        self.preview.show()

    def open_viewer(self) -> None:
        """Render the form to a temporary file and open it in the system's PDF viewer."""
        self._render(lambda form: open_in_viewer(form.path, self))

    def _ask_target(self, signed: bool) -> Path | None:
        suggested = self.controller.suggested_name(self.request(), signed)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the form as PDF"), suggested, PDF_FILTER
        )
        if not chosen:
            return None
        return Path(chosen if chosen.lower().endswith(".pdf") else f"{chosen}.pdf")

    def save_as(self) -> None:
        target = self._ask_target(signed=False)
        if target is not None:
            self._render(self._saved, target)

    def _saved(self, form: FormFile) -> None:
        QMessageBox.information(
            self,
            _("Written"),
            _("Written: {path} (data fingerprint {mark})").format(
                path=form.path, mark=form.fingerprint
            ),
        )

    def sign(self) -> None:
        """The head signs: render, refuse unapproved data at once, make sure the office has a
        key (offer to create it), choose where to save, then the password and the signature."""
        self._render(self._sign_rendered)

    def _sign_rendered(self, form: FormFile) -> None:
        try:
            self.controller.check_signable(form)
        except UserError as error:
            QMessageBox.warning(self, _("Cannot sign"), str(error))
            return
        if not self.controller.key_exists() and not self._create_key():
            return
        target = self._ask_target(signed=True)
        if target is None:
            return
        dialog = SignDialog(
            self.controller, self.ctx.tasks, form, target, self.ctx.actor.display_name, self
        )
        if dialog.exec() == SignDialog.DialogCode.Accepted:
            self.controller.audit_changed()
            answer = QMessageBox.information(
                self,
                _("Signed"),
                _("The signed form is saved as {path}.").format(path=dialog.outcome),
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            )
            if answer == QMessageBox.StandardButton.Open:
                open_in_viewer(dialog.outcome, self)

    def _create_key(self) -> bool:
        """Offer the head to create the office's key; True once there is one."""
        asked = QMessageBox.question(
            self,
            _("No signing key"),
            _("The office has no signing key yet. Create it now?"),
        )
        if asked != QMessageBox.StandardButton.Yes:
            return False
        dialog = CreateKeyDialog(self.controller, self.ctx.tasks, self)
        if dialog.exec() != CreateKeyDialog.DialogCode.Accepted:
            return False
        self.controller.audit_changed()
        QMessageBox.information(
            self,
            _("Signing key created"),
            _(
                "The office's signing key is created. Certificate fingerprint:\n{mark}\n"
                "Give this fingerprint to the city so that it can trust your signatures."
            ).format(mark=dialog.outcome),
        )
        return True
