"""The dialogs of the accounts screen: add an account, lock one, change a role, reset a password.

Each dialog's OK button calls the controller; when the service refuses, its message is shown
under the fields, the dialog stays open and nothing has changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Role, role_label
from mibdesk.core.services.accounts import UserInfo
from mibdesk.ui.accounts.controller import AccountsController
from mibdesk.ui.accounts.listing import message_label, show_message


class FormDialog(QDialog):
    """A form with an error line and OK/Cancel; OK runs `submit` and closes only if it worked."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.error = message_label("dialogError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(self.form)
        self._layout.addWidget(self.error)
        self._layout.addWidget(buttons)

    def add_intro(self, text: str) -> None:
        """A sentence above the fields saying what the dialog will do."""
        intro = QLabel(text)
        intro.setWordWrap(True)
        self._layout.insertWidget(0, intro)

    def submit(self) -> None:
        """Do the dialog's work; raise `UserError` to refuse (subclasses override)."""
        raise NotImplementedError

    def try_accept(self) -> None:
        try:
            self.submit()
        except UserError as error:
            show_message(self.error, str(error))
            return
        self.accept()


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _role_combo(current: Role) -> QComboBox:
    combo = QComboBox()
    for role in (Role.PREPARER, Role.REVIEWER, Role.HEAD):
        combo.addItem(role_label(role), role.value)
    combo.setCurrentIndex(combo.findData(current.value))
    return combo


def _chosen_role(combo: QComboBox) -> Role:
    return Role(combo.currentData())


def _who(user: UserInfo) -> str:
    return f"{user.display_name}（{user.username}）"


class AddUserDialog(FormDialog):
    """A new account: username, full name, role and a first password typed twice."""

    def __init__(self, controller: AccountsController, parent: QWidget | None = None) -> None:
        super().__init__(_("Add an account"), _("Add account"), parent)
        self._controller = controller
        self.added: UserInfo | None = None
        self.username = QLineEdit()
        self.username.setPlaceholderText(_("lower-case letters and digits, e.g. lisi"))
        self.display_name = QLineEdit()
        self.role = _role_combo(Role.PREPARER)
        self.password = _password_field()
        self.repeat = _password_field()
        self.form.addRow(_("Username"), self.username)
        self.form.addRow(_("Full name"), self.display_name)
        self.form.addRow(_("Role"), self.role)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("Repeat password"), self.repeat)

    def submit(self) -> None:
        self.added = self._controller.add(
            self.username.text(),
            self.display_name.text(),
            _chosen_role(self.role),
            self.password.text(),
            self.repeat.text(),
        )


class LockDialog(FormDialog):
    """Lock an account until a head unlocks it, saying why (the reason goes into the audit)."""

    def __init__(
        self, controller: AccountsController, user: UserInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Lock an account"), _("Lock"), parent)
        self._controller, self._user = controller, user
        self.add_intro(
            _("{who} will not be able to log in until a head unlocks the account.").format(
                who=_who(user)
            )
        )
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("e.g. left the office, password may be known"))
        self.form.addRow(_("Reason"), self.reason)

    def submit(self) -> None:
        self._controller.lock(self._user.username, self.reason.text())


class RoleDialog(FormDialog):
    """Give an account another role."""

    def __init__(
        self, controller: AccountsController, user: UserInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Change role"), _("Change role"), parent)
        self._controller, self._user = controller, user
        self.add_intro(_("New role for {who}:").format(who=_who(user)))
        self.role = _role_combo(user.role)
        self.form.addRow(_("Role"), self.role)

    def submit(self) -> None:
        role = _chosen_role(self.role)
        if role != self._user.role:  # the same role again changes nothing: just close
            self._controller.set_role(self._user.username, role)


class PasswordDialog(FormDialog):
    """Set a new password for someone who forgot theirs; tell it to them in person."""

    def __init__(
        self, controller: AccountsController, user: UserInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Reset password"), _("Reset password"), parent)
        self._controller, self._user = controller, user
        self.add_intro(
            _("Set a new password for {who} and give it to them in person.").format(who=_who(user))
        )
        self.password = _password_field()
        self.repeat = _password_field()
        self.form.addRow(_("New password"), self.password)
        self.form.addRow(_("Repeat password"), self.repeat)

    def submit(self) -> None:
        self._controller.reset_password(
            self._user.username, self.password.text(), self.repeat.text()
        )
