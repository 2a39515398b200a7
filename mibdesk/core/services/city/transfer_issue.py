"""Issuing a balance transfer (下达余额上划): the head fixes one year's transfer of a scheme
with the city's document number (文号) and date; the inputs and the computed result are kept
exactly as issued, so that the form, the notices and any later look show the same figures
to the fen, whatever is typed on the screen afterwards.

Storage: one `city_transfer` row per issued version (`repos/transfers.py`), the inputs and
the result as issued kept as JSON in it. An issued transfer is never recomputed or
overwritten: a correction is an explicit new version (`replaces` = the version it
supersedes, with a reason), the earlier versions stay.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _, official
from mibdesk.core.repos import audit
from mibdesk.core.repos import transfers as repo
from mibdesk.core.rules.settlement.transfers import CountyTransfer, TransferResult
from mibdesk.core.rules.working import Step
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.city.transfers import (
    TransferInputs,
    compute_transfers,
    transfer_counties,
)
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store

DOC_NO_LIMIT = 80
TRANSFER_CHANGES = Changes.of(Area.SETTLEMENT, Area.AUDIT)


@dataclass(frozen=True)
class IssuedTransfer:
    """One issued version of a year's transfer of a scheme, as it was issued (int fen).

    `sent`: county code → package id of the notice sent for this version ({} until sent);
    `pdf_fingerprint`: the data fingerprint of its signed form ('' until signed)."""

    year: int
    scheme: str
    version: int
    doc_no: str
    doc_date: date
    reason: str
    issued_by: str
    issued_by_name: str
    issued_at: str
    profile_id: str
    profile_version: int
    inputs: TransferInputs
    inputs_sha256: str
    result: TransferResult
    pdf_fingerprint: str = ""
    sent: Mapping[str, str] = field(default_factory=dict)


def _versions(store: Store, year: int, scheme: str) -> list[dict[str, Any]]:
    with store.read() as session:
        return repo.issued(session, year, scheme)


def versions(store: Store, year: int, scheme: str) -> list[IssuedTransfer]:
    """Every issued version of the year's transfer of `scheme`, oldest first."""
    return [_issued(year, scheme, entry) for entry in _versions(store, year, scheme)]


def issued(store: Store, year: int, scheme: str) -> IssuedTransfer | None:
    """The version in force (the latest), or None when nothing was issued."""
    found = _versions(store, year, scheme)
    return _issued(year, scheme, found[-1]) if found else None


def issue(
    store: Store,
    actor: Actor,
    profile: Profile,
    year: int,
    scheme: str,
    inputs: TransferInputs,
    doc_no: str,
    doc_date: date,
    *,
    replaces: int | None = None,
    reason: str = "",
) -> Outcome[IssuedTransfer]:
    """The head issues the transfer computed from `inputs` (audited with every county's part).

    Refused, nothing stored: not the head; no document number (or one over 80 characters);
    a document date more than a year from `year`; a balance typed for a county the city has
    not registered; inputs the computation refuses (`compute_transfers`); a year already
    issued unless `replaces` names its version in force and `reason` says why; `replaces`
    when nothing was issued."""
    require(actor, Permission.APPROVE)
    doc_no, reason = doc_no.strip(), reason.strip()
    _check_document(doc_no, doc_date, year)
    registered = {county.code for county in transfer_counties(store)}
    strangers = sorted(set(inputs.balances) - registered)
    if strangers:
        raise ValidationError(
            _("{code} is not one of the city's registered counties.").format(
                code="、".join(strangers)
            )
        )
    _check_version(_versions(store, year, scheme), replaces, reason, year)
    with official():  # the working is kept, shown and sent in Chinese
        result = compute_transfers(store, profile, year, scheme, inputs)
    at = stamp(store.clock())
    entry: dict[str, Any] = {
        "doc_no": doc_no,
        "doc_date": doc_date.isoformat(),
        "reason": reason,
        "issued_by": actor.username,
        "issued_by_name": actor.display_name,
        "issued_at": at,
        "profile": [profile.id, profile.version],
        "inputs": inputs_data(inputs),
        "inputs_sha256": inputs_sha256(inputs),
        "result": _result_data(result),
        "pdf_fingerprint": "",
        "sent": {},
    }
    with store.write() as session:
        before = _versions(store, year, scheme)  # again, inside the transaction
        _check_version(before, replaces, reason, year)
        entry["version"] = len(before) + 1
        repo.add_issued(session, year, scheme, entry)
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="transfer.issue",
            entity="balance_transfer",
            entity_key=f"{year}/{scheme}/{entry['version']}",
            after={
                "doc_no": doc_no,
                "doc_date": doc_date.isoformat(),
                "total": result.total,
                "counties": {c.code: c.transfer for c in result.counties},
                "inputs_sha256": entry["inputs_sha256"],
            },
            reason=reason,
        )
    return Outcome(_issued(year, scheme, entry), TRANSFER_CHANGES)


def _check_document(doc_no: str, doc_date: date, year: int) -> None:
    if not doc_no or len(doc_no) > DOC_NO_LIMIT:
        raise ValidationError(
            _("Give the city's document number (文号), at most 80 characters."),
            where=_("Document number"),
        )
    if not year - 1 <= doc_date.year <= year + 1:
        raise ValidationError(
            _("The document date {date} is far from the transfer's year {year}.").format(
                date=doc_date.isoformat(), year=year
            ),
            where=_("Document date"),
        )


def _check_version(
    before: list[dict[str, Any]], replaces: int | None, reason: str, year: int
) -> None:
    if not before:
        if replaces is not None:
            raise ValidationError(
                _(
                    "The {year} transfer has not been issued yet: there is nothing to replace."
                ).format(year=year)
            )
        return
    last = before[-1]
    if replaces != last["version"]:
        raise ValidationError(
            _(
                "The {year} transfer of this scheme was issued on {date} ({doc}) as version "
                "{version}. It is not computed again: issue a new version with a reason."
            ).format(year=year, date=last["doc_date"], doc=last["doc_no"], version=last["version"])
        )
    if not reason:
        raise ValidationError(
            _("Say why the issued transfer is replaced by a new version."), where=_("Reason")
        )


def record_pdf(store: Store, year: int, scheme: str, version: int, fingerprint: str) -> None:
    """Remember the data fingerprint of the signed form of `version`."""
    with store.write() as session:
        repo.mark_issued(session, year, scheme, version, pdf_fingerprint=fingerprint)


def record_sent(
    store: Store, year: int, scheme: str, version: int, sent: Mapping[str, str]
) -> None:
    """Remember the notice package sent to each county for `version` (joins the caller's
    transaction when there is one)."""
    with store.write() as session:
        repo.mark_issued(session, year, scheme, version, sent=dict(sent))


def inputs_data(inputs: TransferInputs) -> dict[str, Any]:
    """The inputs as plain JSON data (int fen), as `services/city/transfers.py` keeps them."""
    return {
        "pooled_fund": inputs.pooled_fund,
        "citywide_spending": inputs.citywide_spending,
        "balances": {code: list(pair) for code, pair in sorted(inputs.balances.items())},
    }


def inputs_sha256(inputs: TransferInputs) -> str:
    """SHA-256 of the inputs' canonical JSON: what the audit entry and the form name."""
    text = json.dumps(inputs_data(inputs), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def steps_data(steps: tuple[Step, ...]) -> list[dict[str, Any]]:
    """Working steps as plain JSON data (the notices send them the same way)."""
    return [
        {"label": s.label, "amount": s.amount, "rule": s.rule, "source": s.source} for s in steps
    ]


def _result_data(result: TransferResult) -> dict[str, Any]:
    return {
        "method": result.method,
        "total": result.total,
        "working": steps_data(result.working),
        "counties": [
            {
                "code": c.code,
                "name": c.name,
                "balance": c.balance,
                "transfer": c.transfer,
                "now": c.now,
                "deferred": c.deferred,
                "remaining": c.remaining,
                "working": steps_data(c.working),
            }
            for c in result.counties
        ],
    }


def _issued(year: int, scheme: str, entry: dict[str, Any]) -> IssuedTransfer:
    stored = entry["result"]
    counties = tuple(
        CountyTransfer(
            c["code"],
            c["name"],
            c["balance"],
            c["transfer"],
            c["now"],
            c["deferred"],
            c["remaining"],
            tuple(Step(**step) for step in c["working"]),
        )
        for c in stored["counties"]
    )
    result = TransferResult(
        year,
        scheme,
        stored["method"],
        stored["total"],
        counties,
        tuple(Step(**step) for step in stored["working"]),
    )
    typed = entry["inputs"]
    inputs = TransferInputs(
        typed["pooled_fund"],
        typed["citywide_spending"],
        {code: (pair[0], pair[1]) for code, pair in typed["balances"].items()},
    )
    profile_id, profile_version = entry["profile"]
    return IssuedTransfer(
        year,
        scheme,
        entry["version"],
        entry["doc_no"],
        date.fromisoformat(entry["doc_date"]),
        entry["reason"],
        entry["issued_by"],
        entry["issued_by_name"],
        entry["issued_at"],
        profile_id,
        profile_version,
        inputs,
        entry["inputs_sha256"],
        result,
        entry.get("pdf_fingerprint", ""),
        dict(entry.get("sent", {})),
    )
