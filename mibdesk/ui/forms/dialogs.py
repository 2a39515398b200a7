"""The dialogs of the official forms: the key's password to sign, a new signing key, and what
a signature check found.

Signing and creating a key take a moment (key derivation, RSA): they run on the task runner
while the dialog waits; a refusal (a wrong password, …) is shown under the fields and the
dialog stays open, nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.forms import KEY_PASSWORD_MIN, FormFile
from mibdesk.ui.accounts.dialogs import FormDialog
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.forms.controller import FormController, verdict_lines, verdict_summary
from mibdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from mibdesk.core.signing.verify import PdfVerdict


def _password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class WorkDialog(FormDialog):
    """A `FormDialog` whose OK runs the work `job()` returns on the task runner: the buttons
    wait meanwhile and the dialog cannot be cancelled (the work would go on unseen); it
    closes when the work is done (`outcome` holds its result) and shows a refusal under the
    fields otherwise."""

    def __init__(self, title: str, ok_text: str, tasks: TaskRunner, parent: QWidget | None):
        super().__init__(title, ok_text, parent)
        self._tasks = tasks
        self._working = False
        self.outcome: Any = None

    def job(self) -> Callable[[], Any]:
        """Read the fields (GUI thread) and return the work to run; raise `UserError` to
        refuse at once (subclasses override)."""
        raise NotImplementedError

    def try_accept(self) -> None:
        try:
            work = self.job()
        except UserError as error:
            show_message(self.error, str(error))
            return
        self._busy(True)
        self._tasks.run(lambda progress: work(), self._worked, self._refused, self.windowTitle())

    def reject(self) -> None:
        if not self._working:
            super().reject()

    def _busy(self, busy: bool) -> None:
        self._working = busy
        for button in self.findChildren(QDialogButtonBox):
            button.setEnabled(not busy)
        if busy:
            show_message(self.error, _("Please wait…"), "note")

    def _worked(self, result: Any) -> None:
        self.outcome = result
        self._busy(False)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._busy(False)
        show_message(self.error, "")
        if not isinstance(error, UserError):
            self._tasks.show_error(error, self.windowTitle())
            return
        show_message(self.error, error.message)  # the key file's path would only distract


class SignDialog(WorkDialog):
    """The head types the key's password; OK signs `form` into `target` (`outcome`: the
    signed file)."""

    def __init__(
        self,
        controller: FormController,
        tasks: TaskRunner,
        form: FormFile,
        target: Path,
        signer: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Sign the form"), _("Sign the PDF"), tasks, parent)
        self._controller, self._form, self._target = controller, form, target
        self.add_intro(
            _(
                "{name} signs this form with the office's key; the signed PDF is saved as "
                "{file}. Data fingerprint: {mark}."
            ).format(name=signer, file=target.name, mark=form.fingerprint)
        )
        self.password = _password_field()
        self.form.addRow(_("Key password"), self.password)
        self.password.setFocus()
        tasks.run(lambda progress: controller.prepare_signing(), lambda _ready: None)

    def job(self) -> Callable[[], Path]:
        password = self.password.text()
        if not password:
            raise UserError(_("Type the password of the signing key."))
        self.password.clear()  # not kept in the widget while signing, nor after a refusal
        controller, form, target = self._controller, self._form, self._target
        return lambda: controller.sign(form, target, password)


class CreateKeyDialog(WorkDialog):
    """The head creates the office's signing key (`outcome`: the certificate fingerprint)."""

    def __init__(
        self, controller: FormController, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Create the signing key"), _("Create key"), tasks, parent)
        self._controller = controller
        self.add_intro(
            _(
                "The office has no signing key yet. The key and its certificate are kept in "
                "the office's data folder, locked by a password that only the head should "
                "know. Without that password nothing can be signed and no one can recover "
                "it: keep it safe."
            )
        )
        hint = _("at least {count} characters").format(count=KEY_PASSWORD_MIN)
        self.password = _password_field(hint)
        self.repeat = _password_field()
        self.form.addRow(_("Key password"), self.password)
        self.form.addRow(_("Repeat password"), self.repeat)

    def job(self) -> Callable[[], str]:
        controller, password, repeat = self._controller, self.password.text(), self.repeat.text()
        return lambda: controller.create_key(password, repeat)


class VerifyDialog(QDialog):
    """What the signature check of one PDF found: a sentence, then each fact and problem."""

    def __init__(self, path: Path, verdict: PdfVerdict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Signature check — {name}").format(name=path.name))
        self.setMinimumWidth(560)
        self.summary = message_label("verdictSummary")
        show_message(self.summary, verdict_summary(verdict), "ok" if verdict.ok else "error")
        self.summary.setStyleSheet(self.summary.styleSheet() + " font-size: 15px;")
        facts = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in verdict_lines(verdict):
            shown = QLabel(value)
            shown.setWordWrap(True)
            facts.addRow(label, shown)
            self.values[label] = shown
        self.problems = message_label("verdictProblems")
        show_message(self.problems, "\n".join(f"· {p}" for p in verdict.problems))
        self.problems.setVisible(bool(verdict.problems))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(_("File: {path}").format(path=path)))
        layout.addLayout(facts)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
