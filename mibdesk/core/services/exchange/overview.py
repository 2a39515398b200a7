"""The file drop in words and numbers, as a person sees it: kinds, statuses and subjects of
packages in the interface language, and the counts a status bar shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from mibdesk.core.i18n import N_, _
from mibdesk.core.periods import Month
from mibdesk.core.services.exchange import outbox, peers, quarantine
from mibdesk.core.services.setup import LEVEL_NAMES, OfficeLevel
from mibdesk.core.services.store import Store

KINDS = {
    "monthly_report": N_("Monthly report"),
    "fund_plan": N_("Fund-use plan"),
    "township_figures": N_("Township figures"),
    "quota": N_("Quota or budget adjustment"),
    "plan_decision": N_("Plan decision"),
    "disbursement": N_("Disbursement notice"),
    "calendar": N_("Working-day calendar"),
    "profile_update": N_("Policy profile update"),
    "trust_list": N_("Trust list"),
    "settlement_notice": N_("Settlement notice"),
    "transfer_notice": N_("Transfer notice"),
    "ack": N_("Acknowledgement"),
}
OUTBOX_STATUSES = {
    "waiting": N_("Waiting to go out"),
    "delivered": N_("In the drop folder"),
    "acknowledged": N_("Acknowledged by the recipient"),
    "refused": N_("Refused by the recipient"),
}
INBOX_STATUSES = {
    "applied": N_("Applied"),
    "held": N_("Waiting for earlier packages"),
    "quarantined": N_("Quarantined"),
    "set_aside": N_("Set aside"),
    "duplicate": N_("Duplicate, ignored"),
}
PEER_STATUSES = {
    "pending": N_("Fingerprint not yet checked"),
    "active": N_("Registered"),
    "rejected": N_("Rejected"),
    "revoked": N_("Revoked"),
    "retired": N_("Replaced by a new key"),
}
SUBJECT_ORDER = ("scheme", "period", "year", "revision", "version", "decision", "doc_no", "summary")
DECISIONS = {"approved": N_("approved"), "reduced": N_("reduced"), "returned": N_("returned")}


def kind_label(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


def outbox_status_label(status: str) -> str:
    return _(OUTBOX_STATUSES[status]) if status in OUTBOX_STATUSES else status


def inbox_status_label(status: str) -> str:
    return _(INBOX_STATUSES[status]) if status in INBOX_STATUSES else status


def peer_status_label(status: str) -> str:
    return _(PEER_STATUSES[status]) if status in PEER_STATUSES else status


def level_label(level: str) -> str:
    try:
        return _(LEVEL_NAMES[OfficeLevel(level)])
    except ValueError:
        return level


def when(stamp: str | None) -> str:
    """A stored time stamp as shown: ``2026-11-23 09:30``; "" for none."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _period(value: str | int) -> str:
    try:
        return Month.from_int(int(value)).label
    except ValueError:
        return str(value)


def subject_text(
    subject: Mapping[str, str | int], scheme_names: Mapping[str, str] | None = None
) -> str:
    """What a package is about, e.g. ``职工医保 2026年10月 更正第1次``; "" for nothing."""
    names = scheme_names or {}
    parts: list[str] = []
    for key in sorted(subject, key=lambda k: SUBJECT_ORDER.index(k) if k in SUBJECT_ORDER else 99):
        value = subject[key]
        if key == "scheme":
            parts.append(names.get(str(value), str(value)))
        elif key == "period":
            parts.append(_period(value))
        elif key == "year":
            parts.append(_("year {year}").format(year=value))
        elif key == "revision" and value:
            parts.append(_("amendment {n}").format(n=value))
        elif key == "version":
            parts.append(_("version {n}").format(n=value))
        elif key == "decision":
            parts.append(_(DECISIONS[str(value)]) if value in DECISIONS else str(value))
        elif key in ("doc_no", "summary"):
            parts.append(str(value))
        elif key == "count":
            parts.append(_("{n} packages").format(n=value))
        elif key == "entries":
            parts.append(_("{n} keys").format(n=value))
        elif key == "profile":
            parts.append(_("profile {id}").format(id=value))
    return " ".join(parts)


@dataclass(frozen=True)
class Counts:
    """What waits for the drop or for a person."""

    waiting: int  # packages built here that have not reached the drop folder yet
    quarantined: int  # received packages that need a person: retry or set aside
    pending_keys: int  # key cards whose fingerprint nobody has checked yet


def counts(store: Store) -> Counts:
    waiting = sum(1 for sent in outbox.sent_packages(store) if sent.status == "waiting")
    held = len(quarantine.received(store, ("quarantined",)))
    pending = sum(1 for peer in peers.list_peers(store) if peer.status == "pending")
    return Counts(waiting, held, pending)
