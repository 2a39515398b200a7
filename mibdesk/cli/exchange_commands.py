"""File-drop commands: sync; package show|verify|send|original; keys card|fingerprint|
import-card|register|reject|revoke|list|rotate (the office's exchange key and the keys of
its peers).

`sync` asks for no password, so that Windows Task Scheduler can run it: it applies only
packages signed by keys a person has registered, and sends what waits in the outbox.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mibdesk.cli.common import (
    CommandFailed,
    add_common,
    authenticate,
    data_dir,
    emit,
    opened_office,
)
from mibdesk.core.catalog import load_profile
from mibdesk.core.exchange.examine import PackageLook
from mibdesk.core.i18n import N_, _
from mibdesk.core.periods import Month
from mibdesk.core.services.exchange import inspection, peers, quarantine, sending
from mibdesk.core.services.exchange.overview import (
    inbox_status_label,
    kind_label,
    level_label,
    peer_status_label,
    subject_text,
    when,
)
from mibdesk.core.services.exchange.rotation import rotate_exchange_key
from mibdesk.core.services.exchange.sending import Sending
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import office_exists

SIGNATURES = {
    "verified": N_("verified with the sender's registered key"),
    "unverified": N_("unverified"),
    "refused": N_("refused"),
}
MEMBER_CHECKS = {
    "manifest": N_("the manifest"),
    "signature": N_("the signature"),
    "matches": N_("matches the manifest"),
    "differs": N_("differs from the manifest"),
    "not_listed": N_("not listed in the manifest"),
}


def register(commands: Any) -> None:
    run = commands.add_parser("sync", help=_("sync with the drop folder (no password needed)"))
    add_common(run)
    run.set_defaults(handler=run_sync)

    package = commands.add_parser("package", help=_("file-drop packages"))
    package_sub = package.add_subparsers(dest="package_command", required=True)
    show = package_sub.add_parser("show", help=_("what a package file holds"))
    verify = package_sub.add_parser("verify", help=_("verify a package with the office's keys"))
    for sub, handler in ((show, run_show), (verify, run_verify)):
        add_common(sub)
        sub.add_argument("file", type=Path)
        sub.set_defaults(handler=handler)
    original = package_sub.add_parser(
        "original", help=_("save a received package's file as it arrived")
    )
    add_common(original)
    original.add_argument("package", help=_("the package id (at least its first 8 characters)"))
    original.add_argument("target", type=Path, help=_("a file, or a folder"))
    original.set_defaults(handler=run_original)
    send = package_sub.add_parser("send", help=_("send a month's report, plan or figures"))
    send_sub = send.add_subparsers(dest="send_command", required=True)
    for name, helptext in (
        ("report", _("an approved monthly report, to the city")),
        ("plan", _("a signed fund-use plan with its signed PDF, to the city")),
        ("township", _("a township's figures, to its county")),
    ):
        sub = send_sub.add_parser(name, help=helptext)
        add_common(sub)
        sub.add_argument("--scheme", required=True)
        sub.add_argument("--period", required=True, help=_("the month, e.g. 2026-10"))
        if name == "plan":
            sub.add_argument("--pdf", type=Path, required=True, help=_("the signed plan PDF"))
        sub.add_argument("--as", dest="acting", required=True)
        sub.set_defaults(handler=run_send, what=name)

    keys = _subcommands(commands, "keys", _("the office's keys"))
    card = keys.add_parser("card", help=_("write this office's exchange key card to a folder"))
    add_common(card)
    card.add_argument("-o", "--output", type=Path, required=True, help=_("a folder or USB stick"))
    card.set_defaults(handler=run_card)
    fingerprint = keys.add_parser("fingerprint", help=_("this office's exchange key fingerprint"))
    add_common(fingerprint)
    fingerprint.set_defaults(handler=run_fingerprint)
    listing = keys.add_parser("list", help=_("the offices whose key cards this office has"))
    add_common(listing)
    listing.set_defaults(handler=run_list)
    load = keys.add_parser("import-card", help=_("add a key card file as pending"))
    add_common(load)
    load.add_argument("file", type=Path)
    load.add_argument("--as", dest="acting", required=True, help=_("the head"))
    load.set_defaults(handler=run_import_card)
    enrol = keys.add_parser("register", help=_("register a pending key after checking it"))
    add_common(enrol)
    enrol.add_argument("key_id")
    enrol.add_argument("--fingerprint", required=True, help=_("as given on paper or by phone"))
    enrol.add_argument("--as", dest="acting", required=True, help=_("the head"))
    enrol.set_defaults(handler=run_decide, status="active")
    for name, status, helptext in (
        ("reject", "rejected", _("reject a pending key card")),
        ("revoke", "revoked", _("revoke a registered key")),
    ):
        sub = keys.add_parser(name, help=helptext)
        add_common(sub)
        sub.add_argument("key_id")
        sub.add_argument("--reason", required=True)
        sub.add_argument("--as", dest="acting", required=True, help=_("the head"))
        sub.set_defaults(handler=run_decide, status=status)
    rotate = keys.add_parser("rotate", help=_("replace this office's exchange key"))
    add_common(rotate)
    rotate.add_argument("--reason", required=True, help=_("e.g. yearly change, suspected leak"))
    rotate.add_argument("--as", dest="acting", required=True, help=_("the head"))
    rotate.set_defaults(handler=run_rotate)


def _subcommands(commands: Any, name: str, helptext: str) -> Any:
    """The subcommands of `name`, shared with another module that registered it first
    (`keys` also holds the PDF signing key's commands, in pdf_commands)."""
    parser = commands.choices.get(name)
    if parser is None:
        return commands.add_parser(name, help=helptext).add_subparsers(
            dest=f"{name}_command", required=True
        )
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def run_sync(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        report = sync(store).value
    lines = [
        _(
            "Synced at {at}: {sent} sent; {received} received ({applied} applied, {held} held, "
            "{quarantined} quarantined); {cards} new key cards; {acks} acknowledgements."
        ).format(
            at=when(report.at),
            sent=report.delivered,
            received=len(report.verdicts),
            applied=report.count("applied"),
            held=report.count("held"),
            quarantined=report.count("quarantined"),
            cards=report.new_cards,
            acks=report.acks,
        )
    ]
    for verdict in report.verdicts:
        if verdict.reason:
            status = inbox_status_label(verdict.status)
            lines.append(f"  {verdict.file_name}: {status} — {verdict.reason}")
    if report.problem:
        lines.append(
            _("The drop folder could not be used: {problem} Outgoing packages wait here.").format(
                problem=report.problem
            )
        )
    emit(args, report, "\n".join(lines))
    return 1 if report.problem else 0


def _file(path: Path) -> Path:
    if not path.is_file():
        raise CommandFailed(_("No such file: {path}").format(path=path))
    return path


def run_show(args: argparse.Namespace) -> int:
    path = _file(args.file)
    if office_exists(data_dir(args)):
        with opened_office(args) as store:
            look = inspection.show_package(store, path)
    else:
        look = inspection.show_package(None, path)
    emit(args, {"file": path, **_look_json(look)}, _show_text(path, look))
    return 0


def _look_json(look: PackageLook) -> dict[str, object]:
    return {
        "size": look.size,
        "sha256": look.sha256,
        "signature": look.signature,
        "key_id": look.key_id,
        "problem": look.problem,
        "manifest": look.manifest,
        "members": look.members,
    }


def _show_text(path: Path, look: PackageLook) -> str:
    signature = _(SIGNATURES[look.signature])
    lines = [
        _("File: {name} ({size} bytes)").format(name=path.name, size=look.size),
        f"SHA-256: {look.sha256}",
        _("Signature: {state}").format(state=signature)
        + (f" — {look.problem}" if look.problem else ""),
    ]
    manifest = look.manifest
    if manifest is None:
        lines.append(_("The manifest cannot be read."))
    else:
        sender = manifest.get("sender") or {}
        subject = manifest.get("subject") or {}
        kind = str(manifest.get("kind", ""))
        lines += [
            _("Sender: {office}, key {key}").format(
                office=sender.get("office", ""), key=sender.get("key_id", "")
            ),
            _("Recipient: {office}").format(office=manifest.get("recipient", "")),
            _("Number {n} on its stream").format(n=manifest.get("sequence", "")),
            _("Kind: {label} ({kind})").format(label=kind_label(kind), kind=kind),
            _("Subject: {text}").format(text=subject_text(subject)),
            _("Created at {at} (by the sender's clock, for information only)").format(
                at=when(str(manifest.get("created_at", "")))
            ),
            _("Control totals: {totals}").format(
                totals=", ".join(f"{k}={v}" for k, v in (manifest.get("control") or {}).items())
            ),
        ]
    lines.append(_("Members:"))
    for member in look.members:
        check = _(MEMBER_CHECKS[member.check])
        lines.append(f"  {member.name:<24}{member.size:>10}  {member.sha256}  {check}")
    return "\n".join(lines)


def run_verify(args: argparse.Namespace) -> int:
    path = _file(args.file)
    with opened_office(args) as store:
        verdict = inspection.verify_package(store, path)
    if verdict.ok:
        text = _("Verified: {kind} {subject} from {sender}, number {n}, for {recipient}.").format(
            kind=kind_label(verdict.kind),
            subject=subject_text(verdict.subject),
            sender=verdict.sender,
            n=verdict.sequence,
            recipient=verdict.recipient,
        )
        if not verdict.for_this_office:
            text += " " + _("It is not addressed to this office.")
    else:
        text = _("Not verified: {reason}").format(reason=verdict.reason)
    emit(args, verdict, text)
    return 0 if verdict.ok else 1


def run_original(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        item = quarantine.received_package(store, args.package)
        path = quarantine.save_original(store, item.id, args.target)
    saved = _("Saved as {path}.").format(path=path)
    emit(args, {"package_id": item.package_id, "file": path}, saved)
    return 0


def run_send(args: argparse.Namespace) -> int:
    month = Month.parse(args.period, where="--period")
    scheme = args.scheme.upper()
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        profile = load_profile(office_info(store).profile_id)
        if args.what == "report":
            outcome = sending.send_monthly_report(store, actor, scheme, month)
        elif args.what == "plan":
            pdf = _file(args.pdf)
            outcome = sending.send_plan(store, actor, profile, scheme, month, pdf)
        else:
            outcome = sending.send_township_figures(store, actor, profile, scheme, month)
    emit(args, outcome.value, sending_text(outcome.value))
    return 0


def sending_text(done: Sending) -> str:
    sent = done.sent
    if done.waiting_because:
        return _(
            "Package {name} for {recipient} is built and signed; it waits here and goes out "
            "with the next sync: {reason}"
        ).format(name=sent.file_name, recipient=sent.recipient, reason=done.waiting_because)
    return _(
        "Package {name} for {recipient} is built and signed; it is in the drop folder."
    ).format(name=sent.file_name, recipient=sent.recipient)


def run_card(args: argparse.Namespace) -> int:
    target: Path = args.output
    if not target.is_dir():
        raise CommandFailed(_("No such folder: {path}").format(path=target))
    with opened_office(args) as store:
        path = peers.export_card(store, target)
        fingerprint = peers.my_fingerprint(store)
    emit(
        args,
        {"path": path, "fingerprint": fingerprint},
        _("Key card written: {path}\nFingerprint: {fingerprint}").format(
            path=path, fingerprint=fingerprint
        ),
    )
    return 0


def run_fingerprint(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        info = office_info(store)
        fingerprint = peers.my_fingerprint(store)
    emit(
        args,
        {"office": info.code, "name": info.name, "fingerprint": fingerprint},
        f"{info.name}（{info.code}）\n{fingerprint}",
    )
    return 0


def _peer_line(peer: peers.PeerInfo) -> str:
    return (
        f"{peer.key_id}  {peer.office:<9}  {peer.name}（{level_label(peer.level)}）  "
        f"{peer.fingerprint}  [{peer_status_label(peer.status)}]"
    )


def run_list(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        found = peers.list_peers(store)
        mine = peers.my_fingerprint(store)
    lines = [_("This office's fingerprint: {fingerprint}").format(fingerprint=mine)]
    lines += [_peer_line(peer) for peer in found] or [_("No key cards yet.")]
    emit(args, {"fingerprint": mine, "peers": found}, "\n".join(lines))
    return 0


def run_import_card(args: argparse.Namespace) -> int:
    path = _file(args.file)
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        peer = peers.import_card(store, actor, path.read_bytes(), where=path.name).value
    text = _peer_line(peer)
    if peer.status == "pending":
        text += "\n" + _(
            "Compare this fingerprint with the one the office gave on paper or by phone; "
            'if they match: mibdesk-cli keys register {key} --fingerprint "…"'
        ).format(key=peer.key_id)
    emit(args, peer, text)
    return 0


def run_decide(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        peer = peers.decide(
            store,
            actor,
            args.key_id,
            args.status,
            getattr(args, "fingerprint", ""),
            getattr(args, "reason", ""),
        ).value
    emit(args, peer, _peer_line(peer))
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        actor = authenticate(store, args.acting)
        done = rotate_exchange_key(store, actor, args.reason).value
    text = _(
        "The new key {key} is in use.\nNew fingerprint: {fingerprint}\nRead it to the offices "
        "you exchange with. The old key {old} is archived; if it may have leaked, ask them to "
        "revoke it: mibdesk-cli keys revoke {old} --reason …"
    ).format(key=done.new_key_id, fingerprint=done.new_fingerprint, old=done.old_key_id)
    if done.waiting_because:
        text += "\n" + _("The new key card goes to the drop with the next sync: {reason}").format(
            reason=done.waiting_because
        )
    emit(args, done, text)
    return 0
