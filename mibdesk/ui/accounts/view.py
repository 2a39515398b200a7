"""The accounts screen: the office's accounts, and what a head can do with the selected one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.accounts import UserInfo
from mibdesk.core.services.changes import Area, Changes
from mibdesk.ui.accounts.controller import AccountsController
from mibdesk.ui.accounts.dialogs import (
    AddUserDialog,
    FormDialog,
    LockDialog,
    PasswordDialog,
    RoleDialog,
)
from mibdesk.ui.accounts.listing import message_label, row_list, selected_row, show_message
from mibdesk.ui.context import UiContext


class AccountsScreen(QWidget):
    """A read-only list of accounts and the head's actions on the selected account.

    Dialog actions (add, lock, change role, reset password) show a refusal inside the dialog;
    unlock and disable/enable show it under the list. Refreshes on `Area.USERS`.
    """

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.controller = AccountsController(ctx)

        title = QLabel(_("Accounts"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.add_button = QPushButton(_("Add account…"))
        self.lock_button = QPushButton(_("Lock…"))
        self.unlock_button = QPushButton(_("Unlock"))
        self.active_button = QPushButton(_("Disable"))
        self.role_button = QPushButton(_("Change role…"))
        self.password_button = QPushButton(_("Reset password…"))
        self.add_button.clicked.connect(self._add)
        self.lock_button.clicked.connect(self._lock)
        self.unlock_button.clicked.connect(self._unlock)
        self.active_button.clicked.connect(self._toggle_active)
        self.role_button.clicked.connect(self._change_role)
        self.password_button.clicked.connect(self._reset_password)

        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addStretch(1)
        for button in (
            self.add_button,
            self.lock_button,
            self.unlock_button,
            self.active_button,
            self.role_button,
            self.password_button,
        ):
            bar.addWidget(button)

        self.grid = row_list(self)
        self.grid.set_table(self.controller.table)
        self.grid.selectionModel().selectionChanged.connect(self._selection_changed)
        self.grid.doubleClicked.connect(self._change_role)
        self.message = message_label("accountsMessage")
        hint = message_label("accountsHint")
        show_message(
            hint,
            _(
                "Locked accounts cannot log in until unlocked; disabled accounts stay in the "
                "records but can no longer be used. The office always keeps one usable head."
            )
            if self.controller.can_admin
            else _("Only a head can change accounts."),
            "note",
        )

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.message)
        layout.addWidget(hint)
        self._update_actions()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(Area.USERS):
            self.refresh()

    def refresh(self) -> None:
        self.controller.reload()
        self.grid.refresh()
        self._update_actions()

    def selected_user(self) -> UserInfo | None:
        return self.controller.user_at(selected_row(self.grid))

    def select(self, username: str) -> None:
        row = self.controller.row_of(username)
        if row is not None:
            self.grid.go_to(row, 0)

    def _selection_changed(self) -> None:
        show_message(self.message, "")
        self._update_actions()

    def _update_actions(self) -> None:
        user = self.selected_user()
        can = self.controller.actions_for(user)
        self.add_button.setEnabled(can.add)
        self.lock_button.setEnabled(can.lock)
        self.unlock_button.setEnabled(can.unlock)
        self.active_button.setEnabled(can.toggle_active)
        self.active_button.setText(_("Enable") if user and not user.active else _("Disable"))
        self.role_button.setEnabled(can.change_role)
        self.password_button.setEnabled(can.reset_password)

    def _open(self, dialog: FormDialog) -> bool:
        show_message(self.message, "")
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _add(self) -> None:
        dialog = AddUserDialog(self.controller, self)
        if self._open(dialog) and dialog.added is not None:
            self.select(dialog.added.username)

    def _lock(self) -> None:
        self._with_selected(lambda user: self._open(LockDialog(self.controller, user, self)))

    def _change_role(self) -> None:
        if self.controller.actions_for(self.selected_user()).change_role:
            self._with_selected(lambda user: self._open(RoleDialog(self.controller, user, self)))

    def _reset_password(self) -> None:
        self._with_selected(lambda user: self._open(PasswordDialog(self.controller, user, self)))

    def _unlock(self) -> None:
        self._with_selected(
            lambda user: self._inline(lambda: self.controller.unlock(user.username))
        )

    def _toggle_active(self) -> None:
        self._with_selected(
            lambda user: self._inline(
                lambda: self.controller.set_active(user.username, not user.active)
            )
        )

    def _with_selected(self, action: Callable[[UserInfo], object]) -> None:
        user = self.selected_user()
        if user is not None:
            action(user)

    def _inline(self, action: Callable[[], object]) -> None:
        """Run an action without a dialog; a refusal is shown under the list."""
        show_message(self.message, "")
        try:
            action()
        except UserError as error:
            show_message(self.message, str(error))
