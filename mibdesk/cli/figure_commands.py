"""Figures commands: figures show (and townships list/add)."""

from __future__ import annotations

import argparse
from typing import Any

from mibdesk.cli.common import add_common, authenticate, emit, opened_office
from mibdesk.core.catalog import load_profile
from mibdesk.core.i18n import _
from mibdesk.core.money import format_count, format_fen
from mibdesk.core.periods import Month
from mibdesk.core.services import figures, townships
from mibdesk.core.services.setup import office_info


def register(commands: Any) -> None:
    group = commands.add_parser("figures", help=_("monthly figures"))
    sub = group.add_subparsers(dest="figures_command", required=True)
    show = sub.add_parser("show", help=_("show a month's report with its problems"))
    add_common(show)
    show.add_argument("--scheme", required=True, help=_("scheme code, e.g. EMP or RES"))
    show.add_argument("--period", required=True, help=_("the month, e.g. 2026-10"))
    show.set_defaults(handler=run_show)

    towns = commands.add_parser("townships", help=_("the county's townships"))
    towns_sub = towns.add_subparsers(dest="townships_command", required=True)
    listing = towns_sub.add_parser("list", help=_("list the townships"))
    add_common(listing)
    listing.set_defaults(handler=run_townships_list)
    add = towns_sub.add_parser("add", help=_("add or rename a township"))
    add_common(add)
    add.add_argument("code", help=_("9-digit township code"))
    add.add_argument("name")
    add.add_argument("--as", dest="acting", required=True, help=_("the head doing this"))
    add.set_defaults(handler=run_townships_add)


def _amount(unit_kind: str, value: int | None) -> str:
    if value is None:
        return ""
    return format_count(value) if unit_kind == "persons" else format_fen(value)


def run_show(args: argparse.Namespace) -> int:
    month = Month.parse(args.period, where="--period")
    with opened_office(args) as store:
        profile = load_profile(office_info(store).profile_id)
        form = figures.month_form(store, profile, args.scheme.upper(), month)
    header = f"{'':<4}{_('Line'):<28}{_('This month'):>20}{_('Year to date'):>20}"
    lines = [f"{profile.scheme(form.scheme).name} {month.label} · {form.status.value}", header]
    for number, row in enumerate(form.rows, start=1):
        lines.append(
            f"{number:<4}{row.name:<28}{_amount(row.unit_kind, row.value):>20}"
            f"{_amount(row.unit_kind, row.ytd):>20}"
        )
    lines += [f"[{p.severity}] {p.message} ({p.source})" for p in form.problems]
    emit(args, form, "\n".join(lines))
    return 0


def run_townships_list(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        rows = townships.list_townships(store, active_only=False)
    emit(args, rows, "\n".join(f"{t.code}  {t.name}" for t in rows))
    return 0


def run_townships_add(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        info = townships.save_township(store, actor, args.code, args.name).value
    emit(args, info, _("Township {code} {name} saved.").format(code=info.code, name=info.name))
    return 0
