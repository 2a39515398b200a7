"""A county's transfer notices (余额上划通知) from its city: what it transfers of its retained
balance in a scheme for a year (now and when its time deposits mature), what it keeps, and
the working, under the city's document number, as the city sent it (`kinds_transfers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mibdesk.core.repos import exchange as ledger
from mibdesk.core.repos import transfers
from mibdesk.core.rules.working import Step
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class TransferNotice:
    """One notice as received (int fen); `city_name` is the sender's registered name."""

    year: int
    scheme: str
    scheme_name: str
    version: int
    method: str
    """The city's rule (`TransferResult.method`): "shaoxing_share" or "fixed_share"."""
    doc_no: str
    doc_date: date
    reason: str
    city: str
    city_name: str
    package_id: str
    received_at: str
    balance: int
    transfer: int
    now: int
    deferred: int
    remaining: int
    city_total: int
    working: tuple[Step, ...]
    city_working: tuple[Step, ...]


def transfer_notices(store: Store, year: int) -> list[TransferNotice]:
    """The year's notices, newest first (a corrected transfer comes as a new version)."""
    with store.read() as session:
        kept = transfers.received(session, year)
        names: dict[str, str] = {}
        for city in {city for city, _package, _at, _data in kept}:
            peer = ledger.active_peer(session, city)
            names[city] = peer.name if peer is not None else ""
    found = []
    for city, package_id, received_at, data in reversed(kept):
        part = data["county"]
        found.append(
            TransferNotice(
                data["year"],
                data["scheme"],
                data["scheme_name"],
                data["version"],
                data["method"],
                data["doc_no"],
                date.fromisoformat(data["doc_date"]),
                data["reason"],
                city,
                names[city],
                package_id,
                received_at,
                part["balance"],
                part["transfer"],
                part["now"],
                part["deferred"],
                part["remaining"],
                data["city_total"],
                tuple(Step(**step) for step in data["working"]),
                tuple(Step(**step) for step in data["city_working"]),
            )
        )
    return found
