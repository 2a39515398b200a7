"""Settling a year from the city's worksheet: the worksheet written as a settlement input
file (docs/settlement-input.md), checked and settled exactly as `mibdesk-cli settle --input`
would, so that an auditor who re-runs the file gets the same figures to the fen; the head's
finalising, which stores that file with its SHA-256 and locks the worksheet; and, when a
figure turns out wrong after that, the head's reopening, with a reason, for a corrected
settlement whose notices replace the earlier ones at the counties.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from mibdesk.core.catalog import Profile
from mibdesk.core.db.settlement_models import SettlementSheet
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.repos import audit
from mibdesk.core.repos import settlement as repo
from mibdesk.core.rules.settlement import SettlementResult, settle
from mibdesk.core.rules.settlement.input_file import (
    FORMAT,
    read_input_file,
    to_settlement_input,
)
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.city.settlement import (
    SETTLEMENT_CHANGES,
    Worksheet,
    missing,
    worksheet,
)
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class Settlement:
    """A year settled from the worksheet: the input file text, its SHA-256, the result."""

    sheet: Worksheet
    input_text: str
    input_sha256: str
    result: SettlementResult

    @property
    def final(self) -> bool:
        return self.sheet.status == "final"


def where(year: int) -> str:
    """How messages name the worksheet (as `where`)."""
    return _("settlement worksheet {year}").format(year=year)


def input_text(sheet: Worksheet) -> str:
    """The worksheet as a settlement input file (UTF-8 JSON, amounts as yuan text).

    ValidationError listing everything still missing (`missing`) when it is incomplete.
    """
    gaps = missing(sheet)
    if gaps:
        shown = gaps[:20]
        more = len(gaps) - len(shown)
        lines = [_("The worksheet is not complete:"), *(f"· {gap}" for gap in shown)]
        if more:
            lines.append(_("… and {n} more").format(n=more))
        raise ValidationError("\n".join(lines), where=where(sheet.year))
    counties = []
    for county in sheet.counties:
        entry: dict[str, str] = {"code": county.code, "name": county.name}
        if sheet.uses_grade and county.grade is not None:
            entry["grade"] = county.grade
        counties.append(entry)
    schemes = {}
    for scheme in sheet.schemes:
        block: dict[str, dict[str, str]] = {}
        for county in sheet.counties:
            figures = county.schemes[scheme]
            row = {
                "income": _yuan(figures.income or 0),
                "expenditure": _yuan(figures.expenditure or 0),
                "balance": _yuan(figures.balance or 0),
                "county_caused": _yuan(figures.county_caused or 0),
            }
            if sheet.uses_reserve:
                row["risk_reserve"] = _yuan(figures.risk_reserve or 0)
            block[county.code] = row
        schemes[scheme] = {"pooled_fund": _yuan(sheet.pooled[scheme] or 0), "counties": block}
    data = {
        "format": FORMAT,
        "format_version": 1,
        "profile": sheet.profile_id,
        "year": sheet.year,
        "counties": counties,
        "schemes": schemes,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _yuan(fen: int) -> str:
    return format_fen(fen, grouping=False)


def settle_text(text: str, profile: Profile, year: int) -> SettlementResult:
    """Settle an input file's text under `profile` (the checks of the input file apply)."""
    file = read_input_file(text, where=where(year))
    return settle(to_settlement_input(file, profile, where=where(year)), profile)


def compute(store: Store, profile: Profile, year: int) -> Settlement:
    """Settle the year from the worksheet as it is (a final one: from its stored file)."""
    sheet = worksheet(store, profile, year)
    if sheet.status == "final":
        return final(store, profile, year)
    text = input_text(sheet)
    return Settlement(sheet, text, sha256(text), settle_text(text, profile, year))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def final(store: Store, profile: Profile, year: int) -> Settlement:
    """The finalised settlement, re-computed from the input file stored with it.

    Refused: a year not finalised; a profile whose version differs from the one it was
    finalised under (the figures could differ).
    """
    sheet = worksheet(store, profile, year)
    with store.read() as session:
        row = repo.sheet(session, year)
        text, version = (row.input_text, row.profile_version) if row else ("", 0)
    if sheet.status != "final" or row is None:
        raise ValidationError(
            _("The {year} settlement has not been finalised yet.").format(year=year)
        )
    if version != profile.version:
        raise ValidationError(
            _(
                "The {year} settlement was finalised under version {then} of the policy "
                "profile; this office now has version {now}."
            ).format(year=year, then=version, now=profile.version)
        )
    return Settlement(sheet, text, sha256(text), settle_text(text, profile, year))


def finalise(store: Store, actor: Actor, profile: Profile, year: int) -> Outcome[Settlement]:
    """The head fixes the year's settlement: the input file and its SHA-256 are stored, the
    worksheet is locked; audited with the totals. Refused: not the head, an incomplete
    worksheet, a year already final."""
    require(actor, Permission.APPROVE)
    computed = compute(store, profile, year)
    if computed.final:
        raise ValidationError(
            _("The {year} settlement was already finalised on {at}.").format(
                year=year, at=computed.sheet.finalised_at[:10]
            )
        )
    at = stamp(store.clock())
    with store.write() as session:
        row = repo.sheet(session, year)
        if row is None:
            row = SettlementSheet(year=year, status="draft", saved_by=actor.username, saved_at=at)
            session.add(row)
        row.status, row.finalised_by, row.finalised_at = "final", actor.username, at
        row.input_text, row.input_sha256 = computed.input_text, computed.input_sha256
        row.profile_version = profile.version
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="settlement.finalise",
            entity="settlement_sheet",
            entity_key=str(year),
            after={
                "input_sha256": computed.input_sha256,
                "profile": [profile.id, profile.version],
                "pooled_after": {s.scheme: s.pooled_after for s in computed.result.schemes},
            },
        )
    return Outcome(final(store, profile, year), SETTLEMENT_CHANGES)


def reopen(
    store: Store, actor: Actor, profile: Profile, year: int, reason: str
) -> Outcome[Worksheet]:
    """The head reopens a finalised year to correct it: the worksheet is a draft again, with
    what was typed kept. The file it was finalised from (text and SHA-256), who finalised it
    and when go into the audit entry with the reason, so that the notices already sent stay
    explained; the corrected settlement's notices replace them at the counties. Refused:
    not the head, no reason, a year not final."""
    require(actor, Permission.APPROVE)
    if not reason.strip():
        raise ValidationError(_("Say why the settlement is reopened."), where=_("Reason"))
    at = stamp(store.clock())
    with store.write() as session:
        row = repo.sheet(session, year)
        if row is None or row.status != "final":
            raise ValidationError(
                _("The {year} settlement has not been finalised yet.").format(year=year)
            )
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="settlement.reopen",
            entity="settlement_sheet",
            entity_key=str(year),
            before={
                "status": "final",
                "finalised_by": row.finalised_by,
                "finalised_at": row.finalised_at,
                "input_sha256": row.input_sha256,
                "input_text": row.input_text,
                "pdf_fingerprint": row.pdf_fingerprint,
            },
            after={"status": "draft"},
            reason=reason.strip(),
        )
        row.status, row.saved_by, row.saved_at = "draft", actor.username, at
        row.finalised_by = row.finalised_at = row.input_text = row.input_sha256 = ""
        row.pdf_fingerprint = ""
    return Outcome(worksheet(store, profile, year), SETTLEMENT_CHANGES)


def record_pdf(store: Store, year: int, fingerprint: str) -> None:
    """Remember the fingerprint of the signed settlement PDF (the head signed it)."""
    with store.write() as session:
        row = repo.sheet(session, year)
        if row is not None:
            row.pdf_fingerprint = fingerprint
