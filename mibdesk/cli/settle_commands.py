"""settle: a city's year-end settlement, computed headless from an input file.

    mibdesk-cli settle --year 2024 --input settlement-2024.json [--json] [--xlsx FILE]
                       [--profile-file city-profile.json]
    mibdesk-cli settle --year 2024 [--data-dir DIR] [--json] [--xlsx FILE]
                       [--export-input settlement-2024.json]

The file's format is docs/settlement-input.md; its `profile` names the bundled policy
profile the city settles under, or `--profile-file` gives the city's own (its id must be
the same). The result names the profile version and the input's SHA-256, so an auditor who
re-runs the same file under the same profile gets the same figures. Without `--input` a
city office settles from its stored worksheet (services/city/settlement.py): the same file
is written from it (`--export-input` saves it), then settled the same way; an incomplete
worksheet is refused with everything it still lacks.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from mibdesk.cli.common import CommandFailed, add_common, emit, opened_office
from mibdesk.core.catalog import Profile, load_profile, parse_profile
from mibdesk.core.catalog.schemes import scheme_name
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.rules.settlement import SettlementResult, settle
from mibdesk.core.rules.settlement.input_file import read_input_file, to_settlement_input


def register(commands: Any) -> None:
    parser = commands.add_parser("settle", help=_("year-end settlement of surpluses and deficits"))
    add_common(parser)
    parser.add_argument("--year", type=int, required=True, help=_("the year settled"))
    parser.add_argument(
        "--input", type=Path, help=_("settlement input file (docs/settlement-input.md)")
    )
    parser.add_argument(
        "--profile-file", type=Path, help=_("the city's policy profile file, if not bundled")
    )
    parser.add_argument("--xlsx", type=Path, help=_("also write the working as a workbook"))
    parser.add_argument(
        "--export-input",
        type=Path,
        help=_("write the stored worksheet as a settlement input file (city office only)"),
    )
    parser.set_defaults(handler=run_settle)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or _("not UTF-8 text")
        raise ValidationError(
            _("The file cannot be read ({reason}).").format(reason=reason), where=str(path)
        ) from None


def run_settle(args: argparse.Namespace) -> int:
    if args.input is None:
        return _settle_stored(args)
    if args.export_input is not None:
        raise CommandFailed(_("--export-input writes the stored worksheet; leave out --input."))
    text = _read(args.input)
    where = str(args.input)
    file = read_input_file(text, where=where)
    if file.year != args.year:
        raise ValidationError(
            _("year: the file is for {file}, not {year}").format(file=file.year, year=args.year),
            where=where,
        )
    profile: Profile = (
        parse_profile(_read(args.profile_file), where=str(args.profile_file))
        if args.profile_file
        else load_profile(file.profile)
    )
    result = settle(to_settlement_input(file, profile, where=where), profile)
    _write_workbook(args, result, profile)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    emit(
        args,
        {"input_file": where, "input_sha256": digest, "settlement": result},
        _summary(result, profile, digest),
    )
    return 0


def _settle_stored(args: argparse.Namespace) -> int:
    """Settle from the city office's stored worksheet (refused elsewhere, or incomplete)."""
    from mibdesk.core.services.city.settlement_run import compute
    from mibdesk.core.services.profiles import office_profile
    from mibdesk.core.services.setup import OfficeLevel, office_info

    with opened_office(args) as store:
        if office_info(store).level != OfficeLevel.CITY:
            raise CommandFailed(
                _(
                    "This office is not a city office: it holds no settlement worksheet. Give "
                    "the figures with --input FILE; docs/settlement-input.md describes the file."
                )
            )
        profile = office_profile(store)
        settled = compute(store, profile, args.year)
    if args.export_input is not None:
        try:
            args.export_input.write_text(settled.input_text, encoding="utf-8")
        except OSError as error:
            raise ValidationError(
                _("The file cannot be written ({reason}).").format(reason=error.strerror),
                where=str(args.export_input),
            ) from None
    _write_workbook(args, settled.result, profile)
    source = _("stored worksheet ({status})").format(
        status=_("final") if settled.final else _("draft")
    )
    emit(
        args,
        {
            "input_file": source,
            "input_sha256": settled.input_sha256,
            "final": settled.final,
            "settlement": settled.result,
        },
        _summary(settled.result, profile, settled.input_sha256),
    )
    return 0


def _write_workbook(args: argparse.Namespace, result: SettlementResult, profile: Profile) -> None:
    if args.xlsx:
        from mibdesk.core.excel.settlement_workbook import write_settlement_workbook

        write_settlement_workbook(args.xlsx, result, profile.name)


def _summary(result: SettlementResult, profile: Profile, digest: str) -> str:
    lines = [
        _("{city} {year} settlement, profile {profile} version {version}").format(
            city=profile.name,
            year=result.year,
            profile=result.profile_id,
            version=result.profile_version,
        ),
        _("input SHA-256 {digest}").format(digest=digest),
    ]
    for scheme in result.schemes:
        lines.append("")
        lines.append(
            _("{name} ({code}): pooled fund {before} → {after}").format(
                name=scheme_name(scheme.scheme),
                code=scheme.scheme,
                before=format_fen(scheme.pooled_before),
                after=format_fen(scheme.pooled_after),
            )
        )
        if scheme.exhausted:
            lines.append(
                "  "
                + _("the pooled fund ran out: it paid {drawn} of {demand} asked").format(
                    drawn=format_fen(scheme.pooled_drawn), demand=format_fen(scheme.pooled_demand)
                )
            )
        for county in scheme.counties:
            lines.append(
                "  "
                + _(
                    "{code} {name}: surplus to pool {to_pool}, kept {kept}; deficit {deficit}: "
                    "balance {balance}, reserve {reserve}, pooled fund {pooled}, county finance "
                    "{county}, city finance {city}; remitted to the city {remit}"
                ).format(
                    code=county.county,
                    name=county.name,
                    to_pool=format_fen(county.surplus_to_pool),
                    kept=format_fen(county.surplus_kept),
                    deficit=format_fen(county.deficit),
                    balance=format_fen(county.from_balance),
                    reserve=format_fen(county.from_reserve),
                    pooled=format_fen(county.pooled_fund),
                    county=format_fen(county.county_caused + county.county_finance),
                    city=format_fen(county.city_finance),
                    remit=format_fen(county.remit_to_city),
                )
            )
        if scheme.reserve_warning:
            lines.append("  " + _("warning: the citywide reserve is below the amber threshold"))
    return "\n".join(lines)
