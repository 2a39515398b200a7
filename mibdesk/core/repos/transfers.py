"""Balance transfers as stored: the city's issued versions (`city_transfer`) and a county's
received notices (`transfer_notice`), each version or notice handed out as the plain JSON
data it was issued or sent with (`services/city/transfer_issue.py`, `kinds_transfers`)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mibdesk.core.db.settlement_models import CityTransfer, ReceivedTransfer


def issued(session: Session, year: int, scheme: str) -> list[dict[str, Any]]:
    """Every issued version of the year's transfer of `scheme`, oldest first, as data:
    version, doc_no, doc_date, reason, issued_by(_name), issued_at, profile [id, version],
    inputs, inputs_sha256, result, pdf_fingerprint, sent."""
    rows = session.scalars(
        select(CityTransfer)
        .where(CityTransfer.year == year, CityTransfer.scheme == scheme)
        .order_by(CityTransfer.version)
    )
    return [
        {
            "version": row.version,
            "doc_no": row.doc_no,
            "doc_date": row.doc_date,
            "reason": row.reason,
            "issued_by": row.issued_by,
            "issued_by_name": row.issued_by_name,
            "issued_at": row.issued_at,
            "profile": [row.profile_id, row.profile_version],
            "inputs": json.loads(row.inputs_json),
            "inputs_sha256": row.inputs_sha256,
            "result": json.loads(row.result_json),
            "pdf_fingerprint": row.pdf_fingerprint,
            "sent": json.loads(row.sent_json),
        }
        for row in rows
    ]


def add_issued(session: Session, year: int, scheme: str, entry: dict[str, Any]) -> None:
    """Store a new issued version (`entry`: the data `issued` gives back)."""
    profile_id, profile_version = entry["profile"]
    session.add(
        CityTransfer(
            year=year,
            scheme=scheme,
            version=entry["version"],
            doc_no=entry["doc_no"],
            doc_date=entry["doc_date"],
            reason=entry["reason"],
            issued_by=entry["issued_by"],
            issued_by_name=entry["issued_by_name"],
            issued_at=entry["issued_at"],
            profile_id=profile_id,
            profile_version=profile_version,
            inputs_json=json.dumps(entry["inputs"], sort_keys=True),
            inputs_sha256=entry["inputs_sha256"],
            result_json=json.dumps(entry["result"], ensure_ascii=False, sort_keys=True),
            pdf_fingerprint=entry["pdf_fingerprint"],
            sent_json=json.dumps(entry["sent"], sort_keys=True),
        )
    )
    session.flush()  # the (year, scheme, version) key refuses a second writer here


def mark_issued(
    session: Session,
    year: int,
    scheme: str,
    version: int,
    *,
    pdf_fingerprint: str | None = None,
    sent: dict[str, str] | None = None,
) -> None:
    """Record the signed form's fingerprint, or the notices sent, of an issued version."""
    row = session.scalars(
        select(CityTransfer).where(
            CityTransfer.year == year,
            CityTransfer.scheme == scheme,
            CityTransfer.version == version,
        )
    ).first()
    if row is None:
        return
    if pdf_fingerprint is not None:
        row.pdf_fingerprint = pdf_fingerprint
    if sent is not None:
        row.sent_json = json.dumps(sent, sort_keys=True)


def received(session: Session, year: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(city, package id, received at, notice data) of the year's notices, oldest first."""
    rows = session.scalars(
        select(ReceivedTransfer).where(ReceivedTransfer.year == year).order_by(ReceivedTransfer.id)
    )
    return [(r.city, r.package_id, r.received_at, json.loads(r.data_json)) for r in rows]


def add_received(
    session: Session, city: str, package_id: str, received_at: str, data: dict[str, Any]
) -> None:
    """Keep a transfer notice as it was sent."""
    session.add(
        ReceivedTransfer(
            year=data["year"],
            city=city,
            package_id=package_id,
            received_at=received_at,
            data_json=json.dumps(data, ensure_ascii=False, sort_keys=True),
        )
    )
