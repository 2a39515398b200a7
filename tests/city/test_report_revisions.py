"""A revision of a county's report the city already holds is refused by the INSERT itself
(ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike): the package goes to quarantine
with the reason, the stored revision keeps its figures, and the stream goes on after it."""

from __future__ import annotations

from city_kit import NORTH, World, send_report
from sqlalchemy import select

from mibdesk.core.db.models import CountyReport, CountyReportValue
from mibdesk.core.periods import Month
from mibdesk.core.services.exchange.quarantine import received, set_aside
from mibdesk.core.services.exchange.sync import sync

OCTOBER = Month(2026, 10)


def _stored(world: World) -> list[tuple[int, int]]:
    """(revision, value of EXP_INPATIENT) of every stored report of NORTH."""
    with world.city.store.read() as session:
        query = (
            select(CountyReport.revision, CountyReportValue.value)
            .join(CountyReportValue, CountyReportValue.report_id == CountyReport.id)
            .where(CountyReport.office == NORTH, CountyReportValue.line == "EXP_INPATIENT")
            .order_by(CountyReport.revision)
        )
        return [(int(r), int(v)) for r, v in session.execute(query)]


def test_a_revision_received_twice_is_quarantined_and_the_first_kept(world: World) -> None:
    sent_at = "2026-11-09T09:00:00+08:00"
    send_report(world.north, "EMP", OCTOBER, {("EXP_INPATIENT", ""): 100}, sent_at=sent_at)
    [first] = sync(world.city.store).value.verdicts
    assert first.status == "applied"

    # The same revision again, in another package (a county's database restored from an
    # old backup would send it so), with other figures.
    send_report(world.north, "EMP", OCTOBER, {("EXP_INPATIENT", ""): 999}, sent_at=sent_at)
    [again] = sync(world.city.store).value.verdicts
    assert again.status == "quarantined"
    assert "已收到" in again.reason and "0" in again.reason
    assert _stored(world) == [(0, 100)]

    # Set aside, the stream moves on: the amendment after it applies.
    send_report(
        world.north,
        "EMP",
        OCTOBER,
        {("EXP_INPATIENT", ""): 150},
        sent_at="2026-11-12T09:00:00+08:00",
        revision=1,
        reason="补录住院费用",
    )
    verdicts = sync(world.city.store).value.verdicts
    assert [v.status for v in verdicts] == ["held"]  # behind the quarantined package
    [row] = [r for r in received(world.city.store) if r.status == "quarantined"]
    set_aside(world.city.store, world.city.head, row.id, "重复发送的修订")
    assert _stored(world) == [(0, 100), (1, 150)]
