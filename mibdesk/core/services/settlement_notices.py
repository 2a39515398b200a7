"""A county's settlement notices (清算通知) from its city: what it pays and receives in each
scheme for a year, with the working, as the city sent it (`kinds_settlement`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from mibdesk.core.repos import exchange as ledger
from mibdesk.core.repos import settlement as repo
from mibdesk.core.rules.working import Step
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class NoticeScheme:
    """One scheme of a notice (int fen); `county_pays`: everything the county's finance pays."""

    scheme: str
    name: str
    grade: str
    income: int
    expenditure: int
    surplus_to_pool: int
    surplus_kept: int
    county_caused: int
    from_balance: int
    from_reserve: int
    pooled_fund: int
    county_finance: int
    city_finance: int
    remit_to_city: int
    balance_before: int
    balance_after: int
    reserve_before: int
    reserve_after: int
    working: tuple[Step, ...]

    @property
    def county_pays(self) -> int:
        return self.county_caused + self.county_finance + self.remit_to_city

    @property
    def surplus(self) -> int:
        return max(self.income - self.expenditure, 0)

    @property
    def deficit(self) -> int:
        return max(self.expenditure - self.income, 0)


@dataclass(frozen=True)
class Notice:
    """One notice as received; `city_name` is the sender's registered name ("" if none)."""

    year: int
    city: str
    city_name: str
    package_id: str
    received_at: str
    profile: str
    profile_version: int
    input_sha256: str
    schemes: tuple[NoticeScheme, ...]

    def scheme(self, code: str) -> NoticeScheme | None:
        """The notice's figures for scheme `code` (None when it was not settled)."""
        return next((item for item in self.schemes if item.scheme == code), None)


def notices(store: Store, year: int) -> list[Notice]:
    """The year's notices, newest first (a corrected settlement comes as a new notice)."""
    with store.read() as session:
        rows = [
            (r.year, r.city, r.package_id, r.received_at, r.data_json)
            for r in repo.notices(session, year)
        ]
        names: dict[str, str] = {}
        for city in {row[1] for row in rows}:
            peer = ledger.active_peer(session, city)
            names[city] = peer.name if peer is not None else ""
    found = []
    for year_, city, package_id, received_at, text in rows:
        data = json.loads(text)
        schemes = tuple(
            NoticeScheme(
                **{k: v for k, v in item.items() if k != "working"},
                working=tuple(Step(**step) for step in item["working"]),
            )
            for item in data["schemes"]
        )
        found.append(
            Notice(
                year_,
                city,
                names[city],
                package_id,
                received_at,
                data["profile"],
                data["profile_version"],
                data["input_sha256"],
                schemes,
            )
        )
    return found
