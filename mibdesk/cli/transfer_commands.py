"""transfers: a city's balance transfer (余额上划), headless, on a city office.

    mibdesk-cli transfers show --year 2027 --scheme EMP [--json]
    mibdesk-cli transfers issue --year 2027 --scheme EMP --doc-no 绍医保〔2027〕3号
                                --doc-date 2027-01-15 [--reason TEXT] --as HEAD
    mibdesk-cli transfers send --year 2027 --scheme EMP --as HEAD

`show` prints the version in force with its working once the year is issued; before that,
the transfer computed from the figures the city saved on the 余额划转 screen, the citywide
spending prefilled from the counties' stored monthly reports when none was typed (as the
screen does). `issue` fixes that computation under the city's document number
(`services.city.transfer_issue.issue`): a year already issued takes a new version only with
`--reason`. `send` sends every county its notice of the version in force
(`services.exchange.sending_transfers.send_notices`).
"""

from __future__ import annotations

import argparse
from typing import Any

from mibdesk.cli.common import (
    CommandFailed,
    add_common,
    authenticate,
    emit,
    opened_office,
    parse_date,
)
from mibdesk.cli.exchange_commands import sending_text
from mibdesk.core.catalog import Profile
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.rules.settlement.transfers import TransferResult
from mibdesk.core.rules.working import Step
from mibdesk.core.services.city import transfer_issue
from mibdesk.core.services.city.transfers import (
    TransferInputs,
    citywide_spending,
    compute_transfers,
    saved_inputs,
    transfer_rule,
)
from mibdesk.core.services.exchange.sending_transfers import send_notices
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.setup import OfficeLevel, office_info
from mibdesk.core.services.store import Store


def register(commands: Any) -> None:
    transfers = commands.add_parser("transfers", help=_("a city's balance transfer (余额上划)"))
    sub = transfers.add_subparsers(dest="transfers_command", required=True)
    for name, helptext, handler in (
        ("show", _("the year's transfer with its working"), run_show),
        ("issue", _("issue the transfer under the city's document number"), run_issue),
        ("send", _("send each county its transfer notice"), run_send),
    ):
        parser = sub.add_parser(name, help=helptext)
        add_common(parser)
        parser.add_argument("--year", type=int, required=True, help=_("the transfer's year"))
        parser.add_argument("--scheme", required=True, help=_("e.g. EMP"))
        if name == "issue":
            parser.add_argument(
                "--doc-no", required=True, help=_("the city's document number (文号)")
            )
            parser.add_argument("--doc-date", required=True, help=_("YYYY-MM-DD"))
            parser.add_argument(
                "--reason", default="", help=_("why a new version replaces the one issued")
            )
        if name != "show":
            parser.add_argument("--as", dest="acting", required=True, help=_("the head"))
        parser.set_defaults(handler=handler)


def _city(store: Store) -> Profile:
    """The office's profile; CommandFailed on a county office (it holds no transfer)."""
    if office_info(store).level != OfficeLevel.CITY:
        raise CommandFailed(
            _("This office is not a city office: the city issues balance transfers.")
        )
    return office_profile(store)


def current_inputs(store: Store, profile: Profile, year: int, scheme: str) -> TransferInputs:
    """What the city saved for the year and scheme; where the rule needs the citywide
    spending and none was typed, the sum of the counties' stored reports (when there are)."""
    saved = saved_inputs(store, year, scheme)
    rule = transfer_rule(profile)
    if saved.citywide_spending is not None or rule is None or not rule.needs_spending:
        return saved
    spending = citywide_spending(store, profile, scheme, year)
    if not spending.reports:
        return saved
    return TransferInputs(saved.pooled_fund, spending.amount, saved.balances)


def run_show(args: argparse.Namespace) -> int:
    scheme = args.scheme.upper()
    with opened_office(args) as store:
        profile = _city(store)
        found = transfer_issue.issued(store, args.year, scheme)
        if found is not None:
            emit(args, {"issued": found}, _issued_text(found))
            return 0
        inputs = current_inputs(store, profile, args.year, scheme)
        result = compute_transfers(store, profile, args.year, scheme, inputs)
    head = _("Not issued yet: computed from the figures saved for {year}.").format(year=args.year)
    emit(
        args,
        {"issued": None, "inputs": inputs, "result": result},
        "\n".join([head, *_result_lines(result)]),
    )
    return 0


def run_issue(args: argparse.Namespace) -> int:
    scheme = args.scheme.upper()
    doc_date = parse_date(args.doc_date)
    with opened_office(args) as store:
        profile = _city(store)
        actor = authenticate(store, args.acting)
        before = transfer_issue.issued(store, args.year, scheme)
        replaces = before.version if before is not None and args.reason.strip() else None
        inputs = current_inputs(store, profile, args.year, scheme)
        found = transfer_issue.issue(
            store,
            actor,
            profile,
            args.year,
            scheme,
            inputs,
            args.doc_no,
            doc_date,
            replaces=replaces,
            reason=args.reason,
        ).value
    emit(args, found, _issued_text(found))
    return 0


def _issued_text(found: transfer_issue.IssuedTransfer) -> str:
    head = _("Issued: version {version}, {doc} of {date}, by {name}.").format(
        version=found.version,
        doc=found.doc_no,
        date=found.doc_date.isoformat(),
        name=found.issued_by_name,
    )
    if found.reason:
        head += " " + _("Reason for this version: {reason}").format(reason=found.reason)
    return "\n".join([head, *_result_lines(found.result)])


def run_send(args: argparse.Namespace) -> int:
    scheme = args.scheme.upper()
    with opened_office(args) as store:
        profile = _city(store)
        actor = authenticate(store, args.acting)
        sent = send_notices(store, actor, profile, args.year, scheme).value
    emit(args, sent, "\n".join(sending_text(item) for item in sent))
    return 0


def _result_lines(result: TransferResult) -> list[str]:
    lines = [_("Transferred in all: {total} yuan").format(total=format_fen(result.total))]
    lines += _steps(result.working)
    for county in result.counties:
        line = _(
            "{code} {name}: balance {balance}, transfers {transfer}, keeps {remaining}"
        ).format(
            code=county.code,
            name=county.name,
            balance=format_fen(county.balance),
            transfer=format_fen(county.transfer),
            remaining=format_fen(county.remaining),
        )
        if county.deferred:
            line += " " + _("(now {now}, when time deposits mature {deferred})").format(
                now=format_fen(county.now), deferred=format_fen(county.deferred)
            )
        lines += ["", line]
        lines += _steps(county.working)
    return lines


def _steps(steps: tuple[Step, ...]) -> list[str]:
    """Each step as ``  label: amount (rule; source)``."""
    return [
        f"  {s.label}: {'' if s.amount is None else format_fen(s.amount)}（{s.rule}；{s.source}）"
        for s in steps
    ]
