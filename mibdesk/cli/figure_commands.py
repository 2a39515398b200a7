"""Figures commands: figures show (and townships list/add)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mibdesk.cli.common import CommandFailed, add_common, authenticate, emit, opened_office
from mibdesk.core.i18n import _
from mibdesk.core.money import format_count, format_fen
from mibdesk.core.periods import Month
from mibdesk.core.services import figure_exports, figure_import, figures, townships
from mibdesk.core.services.profiles import office_profile


def register(commands: Any) -> None:
    group = commands.add_parser("figures", help=_("monthly figures"))
    sub = group.add_subparsers(dest="figures_command", required=True)
    show = sub.add_parser("show", help=_("show a month's report with its problems"))
    add_common(show)
    show.add_argument("--scheme", required=True, help=_("scheme code, e.g. EMP or RES"))
    show.add_argument("--period", required=True, help=_("the month, e.g. 2026-10"))
    show.set_defaults(handler=run_show)

    export = sub.add_parser("export", help=_("write a month's template, or a month or a year"))
    add_common(export, json_output=True)
    export.add_argument("what", choices=["template", "month", "year"])
    export.add_argument("--scheme", help=_("scheme code (template, month)"))
    export.add_argument("--period", required=True, help=_("the month, or the year for 'year'"))
    export.add_argument(
        "--unit",
        action="append",
        default=None,
        help=_(
            "a township code for its own template (repeatable); "
            "'county' for the county's own figures"
        ),
    )
    export.add_argument("-o", "--output", required=True, type=Path, help=_("the .xlsx to write"))
    export.set_defaults(handler=run_export)

    imp = sub.add_parser("import", help=_("import a filled template or a history sheet"))
    add_common(imp)
    imp.add_argument("kind", choices=["template", "history"])
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=_("only show the preview"))
    imp.add_argument("--as", dest="acting", help=_("who imports (needed unless --dry-run)"))
    imp.set_defaults(handler=run_import)

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
        profile = office_profile(store)
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


def run_export(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        profile = office_profile(store)
        if args.what == "year":
            path = figure_exports.export_year_workbook(
                store, profile, int(args.period), args.output
            )
        else:
            if not args.scheme:
                raise CommandFailed(_("Give --scheme."))
            month = Month.parse(args.period, where="--period")
            scheme = args.scheme.upper()
            if args.what == "month":
                path = figure_exports.export_month_workbook(
                    store, profile, scheme, month, args.output
                )
            else:
                units = (
                    None
                    if args.unit is None
                    else tuple("" if u == "county" else u for u in args.unit)
                )
                path = figure_exports.export_template(
                    store, profile, scheme, month, args.output, units
                )
    emit(args, {"path": path}, _("Written: {path}").format(path=path))
    return 0


def run_import(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        profile = office_profile(store)
        read = (
            figure_import.preview_history
            if args.kind == "history"
            else figure_import.preview_template
        )
        preview = read(store, profile, args.file)
        lines = [
            _("{changes} figure(s) would change, {same} unchanged, {errors} error(s).").format(
                changes=len(preview.diffs), same=preview.unchanged, errors=len(preview.errors)
            )
        ]
        lines += [str(error) for error in preview.errors]
        for d in preview.diffs[:200]:
            kind = profile.scheme(d.scheme).line(d.cell.line).unit
            lines.append(
                f"{d.scheme} {d.month} {d.cell}: "
                f"{_amount(kind, d.old) or '—'} → {_amount(kind, d.new) or '—'}"
            )
        if args.dry_run or not preview.ok:
            emit(args, preview, "\n".join(lines))
            return 0 if preview.ok else 1
        if not args.acting:
            raise CommandFailed(_("Give --as USER to import (or --dry-run to preview)."))
        actor = authenticate(store, args.acting)
        written = figure_import.apply_import(store, actor, profile, preview).value
    emit(
        args,
        {"written": written, "preview": preview},
        "\n".join([*lines, _("Imported {n} figure(s).").format(n=written)]),
    )
    return 0
