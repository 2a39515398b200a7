"""Three real offices (city, county, township) in separate data folders, one drop folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import HEAD_PASSWORD, FakeClock, county_request

from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import OfficeLevel, set_up_office
from mibdesk.core.services.store import Store

CITY, COUNTY, TOWNSHIP = "330600", "330699", "330699001"


@dataclass
class Office:
    store: Store
    head: Actor

    @property
    def code(self) -> str:
        from mibdesk.core.services.setup import office_info

        return office_info(self.store).code


def make_office(
    root: Path, drop: Path, clock: FakeClock, level: OfficeLevel, code: str, name: str
) -> Office:
    townships = (("330699001", "青溪镇"), ("330699002", "白石乡")) if level == "county" else ()
    request = county_request(
        level=level, code=code, name=name, drop_folder=str(drop), townships=townships
    )
    store = set_up_office(root / code, request, clock)
    return Office(store, accounts.login(store, "zhangli", HEAD_PASSWORD).value)


def register_all(*offices: Office) -> None:
    """Each office publishes its key card; each registers the others' after "checking" the
    fingerprint (the test reads it from the other office, as a person would on paper)."""
    for office in offices:
        sync(office.store)
    for office in offices:
        sync(office.store)
        for peer in peers.list_peers(office.store):
            if peer.status == "pending":
                peers.decide(office.store, office.head, peer.key_id, "active", peer.fingerprint)
