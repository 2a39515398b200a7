"""PDF commands: pdf report|plan|execution … -o FILE [--sign --as HEAD], pdf verify FILE,
keys create|show."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from mibdesk.cli.common import (
    CommandFailed,
    add_common,
    authenticate,
    data_dir,
    emit,
    opened_office,
    read_password,
)
from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.services import forms
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.store import office_exists

KEY_PASSWORD_ENV = "MIBDESK_KEY_PASSWORD"


def register(commands: Any) -> None:
    pdf = commands.add_parser("pdf", help=_("official forms as PDF, and their verification"))
    sub = pdf.add_subparsers(dest="pdf_command", required=True)
    for name, helptext in (
        ("report", _("the monthly report (月报表)")),
        ("plan", _("the fund-use plan application (用款计划申请表)")),
        ("execution", _("quota execution for the year (预算执行情况表)")),
    ):
        form = sub.add_parser(name, help=helptext)
        add_common(form)
        form.add_argument(
            "--period", required=True, help=_("the month (report, plan) or the year (execution)")
        )
        if name != "execution":
            form.add_argument("--scheme", required=True)
        form.add_argument("-o", "--output", required=True, type=Path)
        form.add_argument(
            "--sign",
            action="store_true",
            help=_("sign as the head (key password from MIBDESK_KEY_PASSWORD)"),
        )
        form.add_argument("--as", dest="acting", help=_("the head who signs"))
        form.set_defaults(handler=run_form, form=name)
    verify = sub.add_parser("verify", help=_("check a mibdesk PDF's signature"))
    add_common(verify)
    verify.add_argument("file", type=Path)
    verify.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        help=_("a trusted office certificate (PEM or DER); repeatable"),
    )
    verify.set_defaults(handler=run_verify)

    keys = commands.add_parser("keys", help=_("the office's signing key"))
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help=_("create the office's key and certificate"))
    add_common(create)
    create.add_argument("--as", dest="acting", required=True, help=_("the head"))
    create.set_defaults(handler=run_keys_create)


def run_form(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        profile = office_profile(store)
        target: Path = args.output
        rendered = target if not args.sign else Path(tempfile.mkdtemp()) / target.name
        if args.form == "execution":
            form = forms.execution_pdf(store, profile, int(args.period), rendered)
        else:
            month = Month.parse(args.period, where="--period")
            make = forms.monthly_report_pdf if args.form == "report" else forms.plan_pdf
            form = make(store, profile, args.scheme.upper(), month, rendered)
        if args.sign:
            if not args.acting:
                raise CommandFailed(_("Give --as HEAD to sign."))
            actor = authenticate(store, args.acting)
            password = read_password(_("Password of the signing key: "), KEY_PASSWORD_ENV)
            forms.sign_form(store, actor, form, target, password)
        mark = form.fingerprint
    emit(
        args,
        {"path": target, "fingerprint": mark, "signed": bool(args.sign)},
        _("Written: {path} (data fingerprint {mark})").format(path=target, mark=mark),
    )
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from mibdesk.core.signing.keys import certificates_from
    from mibdesk.core.signing.verify import verify_pdf

    trusted = certificates_from(args.trust)
    if office_exists(data_dir(args)):  # the offices this one trusts, as the window does
        from mibdesk.core.services.trust import pdf_trust_roots

        with opened_office(args) as store:
            trusted += pdf_trust_roots(store)
    verdict = verify_pdf(args.file, trusted)
    lines = [
        _("signed: {v}").format(v=verdict.signed),
        _("signer: {v} ({code})").format(v=verdict.signer, code=verdict.office_code),
        _("signed at: {v}").format(v=verdict.signed_at),
        _("unchanged since signing: {v}").format(v=verdict.intact),
        _("signer trusted: {v}").format(v=verdict.trusted),
        *verdict.problems,
    ]
    emit(args, verdict, "\n".join(lines))
    return 0 if verdict.signed and verdict.intact and verdict.trusted else 1


def run_keys_create(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        password = read_password(_("Password of the signing key: "), KEY_PASSWORD_ENV)
        mark = forms.create_key(store, actor, password, password)
        path = forms.key_path(store)
    emit(
        args,
        {"path": path, "fingerprint": mark},
        _("Key created: {path}\nCertificate fingerprint: {fp}").format(path=path, fp=mark),
    )
    return 0
