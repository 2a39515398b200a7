"""Log in, and unlock the window after the idle lock."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import AuthError
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts
from mibdesk.core.services.store import Store


class LoginDialog(QDialog):
    """Asks for username and password; `actor` is set when the login succeeds."""

    def __init__(
        self,
        store: Store,
        office_name: str,
        parent: QWidget | None = None,
        *,
        username: str = "",
        locked_for: Actor | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._locked_for = locked_for
        self.actor: Actor | None = None
        self.setWindowTitle(_("Window locked") if locked_for else _("Log in to mibdesk"))
        self.setMinimumWidth(380)

        heading = QLabel(office_name)
        heading.setObjectName("loginOffice")
        heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.username = QLineEdit(locked_for.username if locked_for else username)
        self.username.setReadOnly(locked_for is not None)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")

        form = QFormLayout()
        form.addRow(_("Username"), self.username)
        form.addRow(_("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Unlock") if locked_for else _("Log in"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Switch user") if locked_for else _("Quit"))
        buttons.accepted.connect(self._try_login)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if locked_for:
            layout.addWidget(
                QLabel(
                    _(
                        "The window locked itself after a period without use. "
                        "Enter your password to continue."
                    )
                )
            )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password if locked_for or username else self.username).setFocus()

    def _try_login(self) -> None:
        try:
            self.actor = accounts.login(
                self._store, self.username.text(), self.password.text()
            ).value
        except AuthError as error:
            self.message.setText(error.message)
            self.password.clear()
            self.password.setFocus()
            return
        if self._locked_for and self.actor.user_id != self._locked_for.user_id:
            self.message.setText(_("Only the user who locked the window can unlock it."))
            self.actor = None
            return
        self.accept()
