"""Office commands: init, demo, backup, restore, audit verify."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mibdesk.cli.common import (
    CommandFailed,
    add_common,
    data_dir,
    emit,
    opened_office,
    read_password,
)
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Role
from mibdesk.core.services import audit_log, backup
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.demo import create_demo_office
from mibdesk.core.services.setup import OfficeLevel, SetupRequest, set_up_office


def register(commands: Any) -> None:
    init = commands.add_parser("init", help=_("set up an office without the wizard"))
    add_common(init)
    init.add_argument("--level", default="county", choices=[lv.value for lv in OfficeLevel])
    init.add_argument("--profile", required=True, help=_("policy profile id, e.g. shaoxing"))
    init.add_argument("--code", required=True, help=_("6-digit administrative division code"))
    init.add_argument("--name", required=True, help=_("office name"))
    init.add_argument("--drop-folder", default="")
    init.add_argument(
        "--head",
        required=True,
        metavar="USERNAME:NAME",
        help=_("the first head account; its password comes from MIBDESK_PASSWORD"),
    )
    init.add_argument("--language", default="zh_CN", choices=["zh_CN", "en"])
    init.set_defaults(handler=run_init)

    demo = commands.add_parser("demo", help=_("create a demo office in a folder"))
    add_common(demo)
    demo.set_defaults(handler=run_demo)

    take = commands.add_parser("backup", help=_("take a verified backup now"))
    add_common(take)
    take.set_defaults(handler=run_backup)

    back = commands.add_parser("restore", help=_("restore a backup (a head, with password)"))
    add_common(back)
    back.add_argument("backup", type=Path, help=_("the backup file"))
    back.add_argument("--as", dest="username", required=True, help=_("the head's username"))
    back.set_defaults(handler=run_restore)

    audit = commands.add_parser("audit", help=_("the audit log"))
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser("verify", help=_("check the hash chain"))
    add_common(verify)
    verify.set_defaults(handler=run_audit_verify)


def _parse_account(text: str) -> tuple[str, str]:
    username, _sep, name = text.partition(":")
    if not username or not name:
        raise CommandFailed(_("Give the account as USERNAME:NAME, e.g. wangfang:王芳."))
    return username, name


def run_init(args: argparse.Namespace) -> int:
    username, name = _parse_account(args.head)
    password = read_password(_("Password for {user}: ").format(user=username))
    request = SetupRequest(
        level=OfficeLevel(args.level),
        profile_id=args.profile,
        code=args.code,
        name=args.name,
        drop_folder=args.drop_folder,
        users=(NewUser(username, name, Role.HEAD, password),),
        language=args.language,
    )
    store = set_up_office(data_dir(args), request)
    store.close()
    emit(
        args,
        {"data_dir": data_dir(args), "code": args.code, "name": args.name},
        _("Office {name} ({code}) set up in {path}.").format(
            name=args.name, code=args.code, path=data_dir(args)
        ),
    )
    return 0


def run_demo(args: argparse.Namespace) -> int:
    summary = create_demo_office(data_dir(args))
    emit(
        args,
        summary,
        _(
            "Demo office {name} created in {path}; log in as {users} with password {password}."
        ).format(
            name=summary.office_name,
            path=summary.data_dir,
            users=", ".join(summary.usernames),
            password=summary.password,
        ),
    )
    return 0


def run_backup(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        info = backup.create_backup(store, "manual")
    emit(args, info, _("Backup written and verified: {path}").format(path=info.path))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    password = read_password(_("Password for {user}: ").format(user=args.username))
    moved = backup.restore(data_dir(args), args.backup, args.username, password)
    emit(
        args,
        {"restored": args.backup, "previous_moved_to": moved},
        _("Restored {name}. The previous database was kept as {moved}.").format(
            name=args.backup.name, moved=moved or "-"
        ),
    )
    return 0


def run_audit_verify(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        verdict = audit_log.verify_chain(store)
    if verdict.ok:
        emit(args, verdict, _("Audit chain intact: {n} entries.").format(n=verdict.entries))
        return 0
    emit(
        args,
        verdict,
        _("Audit chain BROKEN at entry {id} ({at}).").format(
            id=verdict.first_broken_id, at=verdict.first_broken_at
        ),
    )
    return 1
