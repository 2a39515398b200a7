"""Packages from a county that is not on the city's list (its key never registered, or
revoked) are quarantined with the reason; nothing of theirs reaches the city's tables or its
overview. The city's list of counties is its registered peers: registering the county's key
(after checking the fingerprint) lets the held-back package through."""

from __future__ import annotations

from datetime import date

from city_kit import NORTH, SOUTH, STRANGER, World, send_plan, send_report
from sqlalchemy import func, select

from mibdesk.core.db.models import CountyPlan, CountyReport
from mibdesk.core.periods import Month
from mibdesk.core.services.city.overview import overview
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sending_city import counties
from mibdesk.core.services.exchange.sync import sync

OCTOBER, DECEMBER = Month(2026, 10), Month(2026, 12)


def _stored(world: World) -> tuple[int, int]:
    with world.city.store.read() as session:
        return (
            session.scalar(select(func.count()).select_from(CountyReport)) or 0,
            session.scalar(select(func.count()).select_from(CountyPlan)) or 0,
        )


def test_a_county_not_on_the_list_is_quarantined_until_registered(world: World) -> None:
    assert counties(world.city.store) == [NORTH, SOUTH]
    send_report(
        world.stranger,
        "EMP",
        OCTOBER,
        {("EXP_INPATIENT", ""): 1},
        sent_at="2026-11-09T09:00:00+08:00",
    )
    report = sync(world.city.store).value
    [verdict] = report.verdicts
    assert verdict.status == "quarantined"
    assert "未在本单位登记" in verdict.reason
    assert _stored(world) == (0, 0)
    view = overview(world.city.store, world.profile, OCTOBER, DECEMBER, date(2026, 11, 23))
    assert STRANGER not in [c.code for c in view.counties]

    card = next(p for p in peers.list_peers(world.city.store) if p.office == STRANGER)
    assert card.status == "pending"  # its card lies in the drop; nobody confirmed it
    peers.decide(world.city.store, world.city.head, card.key_id, "active", card.fingerprint)
    sync(world.city.store)
    assert _stored(world) == (1, 0)
    assert [r.status for r in received(world.city.store) if r.sender == STRANGER] == ["applied"]
    assert STRANGER in counties(world.city.store)


def test_a_revoked_county_is_refused_by_name(world: World) -> None:
    south = next(p for p in peers.list_peers(world.city.store) if p.office == SOUTH)
    peers.decide(world.city.store, world.city.head, south.key_id, "revoked", reason="密钥遗失")
    send_plan(
        world.south,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 1_000},
        submitted_at="2026-11-20T09:00:00+08:00",
    )
    [verdict] = sync(world.city.store).value.verdicts
    assert verdict.status == "quarantined" and "吊销" in verdict.reason
    assert _stored(world) == (0, 0)
    assert counties(world.city.store) == [NORTH]
