"""Accounts: login with lockout, and account administration by the head.

After `lockout_attempts` wrong passwords in a row an account is locked for `lockout_minutes`
(both office settings); every failure and every lock is audited. A head may also lock an
account until a head unlocks it. The last active head can be neither locked nor demoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mibdesk.core.db.models import User
from mibdesk.core.errors import AuthError, ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, users
from mibdesk.core.security.passwords import check_policy, hash_password, verify_password
from mibdesk.core.security.roles import Actor, Permission, Role, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.store import Store

_USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{2,39}$")
_ACCOUNT_CHANGES = Changes.of(Area.USERS, Area.AUDIT)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked: bool
    locked_until: str | None
    locked_by_head: bool
    failed_attempts: int


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role
    password: str


def _info(user: User, now: datetime) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        active=user.active,
        locked=_is_locked(user, now),
        locked_until=user.locked_until,
        locked_by_head=user.locked_by_head,
        failed_attempts=user.failed_attempts,
    )


def _is_locked(user: User, now: datetime) -> bool:
    if user.locked_by_head:
        return True
    return user.locked_until is not None and datetime.fromisoformat(user.locked_until) > now


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, Role(user.role))


def validate_new_user(new: NewUser) -> None:
    if not _USERNAME.match(new.username):
        raise ValidationError(
            _("Use 3 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter."),
            where=_("Username"),
        )
    name = new.display_name.strip()
    if not 2 <= len(name) <= 20:
        raise ValidationError(_("A name has 2 to 20 characters."), where=_("Full name"))
    check_policy(new.password)


def make_user(new: NewUser, created_at: str) -> User:
    return User(
        username=new.username,
        display_name=new.display_name.strip(),
        role=new.role.value,
        password_hash=hash_password(new.password),
        active=True,
        failed_attempts=0,
        locked_until=None,
        locked_by_head=False,
        created_at=created_at,
    )


def login(store: Store, username: str, password: str) -> Outcome[Actor]:
    """The logged-in actor, or AuthError (wrong password, locked, inactive) — always audited."""
    settings = load_settings(store)
    now = store.clock()
    wrong = AuthError(_("Wrong username or password."))
    with store.write() as session:
        user = users.by_username(session, username.strip())
        name = user.username if user else username[:40]

        def note(action: str, after: object = None, actor: str = name, reason: str = "") -> None:
            audit.append(
                session,
                at=stamp(now),
                actor=actor,
                action=action,
                entity="user",
                entity_key=name,
                after=after,
                reason=reason,
            )

        error: AuthError | None = None
        if user is None:
            note("login.unknown_user")
            error = wrong
        elif not user.active:
            note("login.inactive")
            error = AuthError(_("This account has been disabled; ask the head."))
        elif _is_locked(user, now):
            note("login.while_locked")
            error = AuthError(_("This account is locked; try again later or ask the head."))
        elif not verify_password(user.password_hash, password):
            user.failed_attempts += 1
            note("login.failed", {"failed_attempts": user.failed_attempts})
            error = wrong
            if user.failed_attempts >= int(settings["lockout_attempts"]):
                minutes = int(settings["lockout_minutes"])
                user.locked_until = stamp(now + timedelta(minutes=minutes))
                user.failed_attempts = 0
                note(
                    "user.locked",
                    {"locked_until": user.locked_until},
                    actor="system",
                    reason="repeated failed logins",
                )
                error = AuthError(
                    _(
                        "Too many wrong passwords: the account is locked for {minutes} minutes."
                    ).format(minutes=minutes)
                )
        else:
            user.failed_attempts = 0
            user.locked_until = None
            note("login.ok")
            actor = _actor(user)
    if error is not None:
        raise error
    return Outcome(actor, Changes.of(Area.AUDIT))


def demo_login(store: Store) -> Outcome[Actor]:
    """Open the demo office as its head without a password; refused for a real office."""
    if not load_settings(store)["demo_office"]:
        raise AuthError(_("Only the demo office opens without a password."))
    with store.write() as session:
        head = next(u for u in users.all_users(session) if u.role == Role.HEAD and u.active)
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=head.username,
            action="login.demo",
            entity="user",
            entity_key=head.username,
        )
        actor = _actor(head)
    return Outcome(actor, Changes.of(Area.AUDIT))


def list_users(store: Store) -> list[UserInfo]:
    now = store.clock()
    with store.read() as session:
        return [_info(user, now) for user in users.all_users(session)]


def add_user(store: Store, actor: Actor, new: NewUser) -> Outcome[UserInfo]:
    require(actor, Permission.ADMIN_USERS)
    validate_new_user(new)
    with store.write() as session:
        if users.by_username(session, new.username) is not None:
            raise ValidationError(
                _("The username {name} is taken.").format(name=new.username), where=_("Username")
            )
        user = users.add(session, make_user(new, stamp(store.clock())))
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="user.add",
            entity="user",
            entity_key=user.username,
            after={"display_name": user.display_name, "role": user.role},
        )
        info = _info(user, store.clock())
    return Outcome(info, _ACCOUNT_CHANGES)


def _update(
    store: Store,
    actor: Actor,
    username: str,
    action: str,
    change: Callable[[User], None],
    reason: str = "",
) -> Outcome[UserInfo]:
    """Apply `change` to one account, keep a usable head, audit before/after."""
    require(actor, Permission.ADMIN_USERS)
    with store.write() as session:
        user = users.by_username(session, username)
        if user is None:
            raise ValidationError(_("There is no user {name}.").format(name=username))
        before = _snapshot(user)
        change(user)
        if _snapshot(user) == before and action != "user.reset_password":
            return Outcome(_info(user, store.clock()))  # nothing changed, nothing to audit
        session.flush()
        if users.count_usable_heads(session) == 0:
            raise ValidationError(_("The office must keep at least one active, unlocked head."))
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action=action,
            entity="user",
            entity_key=username,
            before=before,
            after=_snapshot(user),
            reason=reason,
        )
        info = _info(user, store.clock())
    return Outcome(info, _ACCOUNT_CHANGES)


def lock_user(store: Store, actor: Actor, username: str, reason: str) -> Outcome[UserInfo]:
    """Lock an account until a head unlocks it; the reason is required and audited."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for locking the account."), where=_("Reason"))

    def change(user: User) -> None:
        user.locked_by_head = True

    return _update(store, actor, username, "user.lock", change, reason)


def unlock_user(store: Store, actor: Actor, username: str) -> Outcome[UserInfo]:
    def change(user: User) -> None:
        user.locked_by_head = False
        user.locked_until = None
        user.failed_attempts = 0

    return _update(store, actor, username, "user.unlock", change)


def set_active(store: Store, actor: Actor, username: str, active: bool) -> Outcome[UserInfo]:
    def change(user: User) -> None:
        user.active = active

    return _update(store, actor, username, "user.enable" if active else "user.disable", change)


def set_role(store: Store, actor: Actor, username: str, role: Role) -> Outcome[UserInfo]:
    def change(user: User) -> None:
        user.role = role.value

    return _update(store, actor, username, "user.role", change)


def reset_password(
    store: Store, actor: Actor, username: str, new_password: str
) -> Outcome[UserInfo]:
    """A head sets a new password for someone (the audit never holds the password)."""
    check_policy(new_password)
    new_hash = hash_password(new_password)

    def change(user: User) -> None:
        user.password_hash = new_hash
        user.failed_attempts = 0
        user.locked_until = None

    return _update(store, actor, username, "user.reset_password", change)


def change_own_password(store: Store, actor: Actor, old: str, new: str) -> Outcome[None]:
    check_policy(new)
    with store.write() as session:
        user = users.by_id(session, actor.user_id)
        if user is None or not verify_password(user.password_hash, old):
            raise AuthError(_("The current password is wrong."))
        user.password_hash = hash_password(new)
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="user.change_password",
            entity="user",
            entity_key=actor.username,
        )
    return Outcome(None, Changes.of(Area.AUDIT))


def _snapshot(user: User) -> dict[str, object]:
    return {
        "display_name": user.display_name,
        "role": user.role,
        "active": user.active,
        "locked_by_head": user.locked_by_head,
        "locked_until": user.locked_until,
    }
