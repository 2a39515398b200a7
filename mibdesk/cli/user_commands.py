"""Account commands: users list, add, lock, unlock (the acting head authenticates)."""

from __future__ import annotations

import argparse
from typing import Any

from mibdesk.cli.common import add_common, authenticate, emit, opened_office, read_password
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Role, role_label
from mibdesk.core.services import accounts
from mibdesk.core.services.accounts import NewUser

NEW_PASSWORD_ENV = "MIBDESK_NEW_PASSWORD"


def register(commands: Any) -> None:
    users = commands.add_parser("users", help=_("user accounts"))
    sub = users.add_subparsers(dest="users_command", required=True)

    listing = sub.add_parser("list", help=_("list the accounts"))
    add_common(listing)
    listing.set_defaults(handler=run_list)

    add = sub.add_parser("add", help=_("add an account (password from MIBDESK_NEW_PASSWORD)"))
    add_common(add)
    add.add_argument("username")
    add.add_argument("--name", required=True, help=_("full name"))
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--as", dest="acting", required=True, help=_("the head doing this"))
    add.set_defaults(handler=run_add)

    lock = sub.add_parser("lock", help=_("lock an account until a head unlocks it"))
    add_common(lock)
    lock.add_argument("username")
    lock.add_argument("--reason", required=True)
    lock.add_argument("--as", dest="acting", required=True, help=_("the head doing this"))
    lock.set_defaults(handler=run_lock)

    unlock = sub.add_parser("unlock", help=_("unlock an account"))
    add_common(unlock)
    unlock.add_argument("username")
    unlock.add_argument("--as", dest="acting", required=True, help=_("the head doing this"))
    unlock.set_defaults(handler=run_unlock)


def run_list(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        rows = accounts.list_users(store)
    lines = [
        f"{u.username:<16} {u.display_name:<10} {role_label(u.role):<6} "
        + (_("locked") if u.locked else _("active") if u.active else _("disabled"))
        for u in rows
    ]
    emit(args, rows, "\n".join(lines))
    return 0


def run_add(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        password = read_password(
            _("Password for the new account {user}: ").format(user=args.username), NEW_PASSWORD_ENV
        )
        info = accounts.add_user(
            store, actor, NewUser(args.username, args.name, Role(args.role), password)
        ).value
    emit(args, info, _("Account {user} added.").format(user=info.username))
    return 0


def run_lock(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        info = accounts.lock_user(store, actor, args.username, args.reason).value
    emit(args, info, _("Account {user} locked.").format(user=info.username))
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        info = accounts.unlock_user(store, actor, args.username).value
    emit(args, info, _("Account {user} unlocked.").format(user=info.username))
    return 0
