"""What every command shares: --data-dir, --json, output, and authenticating a user."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import Path

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _, set_language
from mibdesk.core.paths import default_data_dir
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts
from mibdesk.core.services.backup import create_backup
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.store import Store, open_store

PASSWORD_ENV = "MIBDESK_PASSWORD"


class CommandFailed(Exception):
    """A command that ran but whose answer is 'no' (e.g. a broken audit chain)."""


def add_common(parser: argparse.ArgumentParser, *, json_output: bool = True) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=_("the office's data folder (default: {path})").format(path=default_data_dir()),
    )
    if json_output:
        parser.add_argument("--json", action="store_true", help=_("print the result as JSON"))


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


@contextmanager
def opened_office(args: argparse.Namespace) -> Iterator[Store]:
    """The office, backed up before any migration, in the office's language; closed after."""
    store = open_store(
        data_dir(args), backup_before_migration=lambda s: create_backup(s, "pre-migration")
    )
    try:
        set_language(str(load_settings(store)["language"]))
        yield store
    finally:
        store.close()


def read_password(prompt: str, env: str = PASSWORD_ENV) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CommandFailed(
            _("Set {env} or run in a terminal to give the password.").format(env=env)
        )
    return getpass.getpass(prompt)


def authenticate(store: Store, username: str) -> Actor:
    password = read_password(_("Password for {user}: ").format(user=username))
    return accounts.login(store, username, password).value


def _plain(value: object) -> object:
    """JSON-ready: dataclasses as objects (or their own text, e.g. a month "2026-10")."""
    if is_dataclass(value) and not isinstance(value, type):
        if type(value).__str__ is not object.__str__:
            return str(value)
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Fraction | Decimal):
        return str(value)  # exact, never a float
    return value


def emit(args: argparse.Namespace, value: object, text: str) -> None:
    """Print `value` as JSON with --json, else the human `text`."""
    if getattr(args, "json", False):
        print(json.dumps(_plain(value), ensure_ascii=False, indent=2))
    else:
        print(text)


def print_error(message: str) -> None:
    print(_("Error: {message}").format(message=message), file=sys.stderr)


def parse_date(text: str) -> date:
    """A date given on the command line as YYYY-MM-DD; anything else is refused."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValidationError(_("Give the date as YYYY-MM-DD."), where=text) from error
