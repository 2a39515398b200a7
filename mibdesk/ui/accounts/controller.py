"""What the accounts screen does, without widgets: the rows it shows, which actions fit the
selected account, and the calls to the accounts service.

Every write goes through `mibdesk.core.services.accounts`, which checks permissions and the
"one usable head" rule and raises `UserError` (nothing changed) when it refuses; on success
the controller publishes the service's `Changes` on the hub, and the screen refreshes from
there like every other screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Permission, Role, role_label
from mibdesk.core.services import accounts
from mibdesk.core.services.accounts import NewUser, UserInfo
from mibdesk.core.services.changes import Outcome
from mibdesk.core.table import Column, ListTableModel, format_value
from mibdesk.ui.context import UiContext


@dataclass(frozen=True)
class AccountRow:
    """One account as the grid shows it."""

    username: str
    display_name: str
    role: str
    failed_attempts: int
    state: str


def account_columns() -> tuple[Column, ...]:
    return (
        Column("username", _("Username"), "text", width_hint=8),
        Column("display_name", _("Full name"), "text", width_hint=6),
        Column("role", _("Role"), "text", width_hint=5),
        Column("failed_attempts", _("Failed logins"), "count", width_hint=6),
        Column("state", _("State"), "text", width_hint=16),
    )


def account_state(user: UserInfo, now: datetime) -> str:
    """Active, disabled, locked until a time (too many wrong passwords) or locked by a head."""
    if not user.active:
        return _("Disabled")
    if not user.locked:
        return _("Active")
    if user.locked_by_head:
        return _("Locked by a head")
    until = datetime.fromisoformat(user.locked_until or now.isoformat())
    return _("Locked until {time}").format(time=format_value("datetime", until))


def account_row(user: UserInfo, now: datetime) -> AccountRow:
    return AccountRow(
        username=user.username,
        display_name=user.display_name,
        role=role_label(user.role),
        failed_attempts=user.failed_attempts,
        state=account_state(user, now),
    )


@dataclass(frozen=True)
class AccountActions:
    """Which actions fit the selected account (all False for someone who may not administer)."""

    add: bool = False
    lock: bool = False
    unlock: bool = False
    toggle_active: bool = False
    change_role: bool = False
    reset_password: bool = False


class AccountsController:
    """The accounts of the office as a table model, and the account actions of the head."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.users: list[UserInfo] = []
        self.table: ListTableModel[AccountRow] = ListTableModel(account_columns(), [])
        self.reload()

    @property
    def can_admin(self) -> bool:
        return self._ctx.actor.can(Permission.ADMIN_USERS)

    def reload(self) -> None:
        """Read the accounts again (the grid's adapter must then be refreshed)."""
        self.users = accounts.list_users(self._ctx.store)
        now = self._ctx.store.clock()
        self.table.replace_rows(account_row(user, now) for user in self.users)

    def user_at(self, row: int | None) -> UserInfo | None:
        return None if row is None else self.users[row]

    def row_of(self, username: str) -> int | None:
        return next((i for i, u in enumerate(self.users) if u.username == username), None)

    def actions_for(self, user: UserInfo | None) -> AccountActions:
        if not self.can_admin:
            return AccountActions()
        if user is None:
            return AccountActions(add=True)
        return AccountActions(
            add=True,
            lock=not user.locked,
            unlock=user.locked,
            toggle_active=True,
            change_role=True,
            reset_password=True,
        )

    def add(
        self, username: str, display_name: str, role: Role, password: str, repeat: str
    ) -> UserInfo:
        _check_repeat(password, repeat)
        new = NewUser(username.strip(), display_name, role, password)
        return self._publish(accounts.add_user(self._ctx.store, self._ctx.actor, new))

    def lock(self, username: str, reason: str) -> UserInfo:
        return self._publish(
            accounts.lock_user(self._ctx.store, self._ctx.actor, username, reason.strip())
        )

    def unlock(self, username: str) -> UserInfo:
        return self._publish(accounts.unlock_user(self._ctx.store, self._ctx.actor, username))

    def set_active(self, username: str, active: bool) -> UserInfo:
        return self._publish(
            accounts.set_active(self._ctx.store, self._ctx.actor, username, active)
        )

    def set_role(self, username: str, role: Role) -> UserInfo:
        return self._publish(accounts.set_role(self._ctx.store, self._ctx.actor, username, role))

    def reset_password(self, username: str, password: str, repeat: str) -> UserInfo:
        _check_repeat(password, repeat)
        return self._publish(
            accounts.reset_password(self._ctx.store, self._ctx.actor, username, password)
        )

    def _publish(self, outcome: Outcome[UserInfo]) -> UserInfo:
        self._ctx.hub.publish(outcome.changes)
        return outcome.value


def _check_repeat(password: str, repeat: str) -> None:
    if password != repeat:
        raise ValidationError(
            _("The two passwords differ; type the same password twice."),
            where=_("Repeat password"),
        )
