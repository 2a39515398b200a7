"""Roles, what each may do, and separation of duties.

经办人 (preparer) enters and prepares; 审核人 (reviewer) checks and passes; 负责人 (head)
approves, signs what leaves the office and administers accounts. Nobody approves their own
entry (domain.md "Who uses it").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mibdesk.core.errors import AuthError
from mibdesk.core.i18n import N_, _


class Role(StrEnum):
    PREPARER = "preparer"
    REVIEWER = "reviewer"
    HEAD = "head"


ROLE_NAMES = {Role.PREPARER: N_("Preparer"), Role.REVIEWER: N_("Reviewer"), Role.HEAD: N_("Head")}


class Permission(StrEnum):
    ENTER = "enter"
    REVIEW = "review"
    APPROVE = "approve"
    ADMIN_USERS = "admin_users"
    RESTORE = "restore"
    CHANGE_SETTINGS = "change_settings"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.PREPARER: frozenset({Permission.ENTER}),
    Role.REVIEWER: frozenset({Permission.ENTER, Permission.REVIEW}),
    Role.HEAD: frozenset(Permission),
}


def role_label(role: str) -> str:
    return _(ROLE_NAMES[Role(role)])


@dataclass(frozen=True)
class Actor:
    """Who is doing something: the logged-in user, or the system itself (id 0)."""

    user_id: int
    username: str
    display_name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in _GRANTS[self.role]


SYSTEM = Actor(0, "system", "mibdesk", Role.HEAD)


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise AuthError(
            _("{role} {name} may not do this; ask a colleague with the right role.").format(
                role=role_label(actor.role), name=actor.display_name
            )
        )


def require_not_own(actor: Actor, entered_by: int | None) -> None:
    """Separation of duties: whoever entered or prepared something may not approve it."""
    if entered_by is not None and actor.user_id == entered_by:
        raise AuthError(_("You prepared this yourself; another person must review or approve it."))
