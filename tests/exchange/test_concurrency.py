"""Two offices publishing hundreds of packages into one drop at the same time, from two
processes: nothing is overwritten, and the county applies every package exactly once."""

from __future__ import annotations

import signal
from collections import Counter

import pytest
from exchange_kit import (
    QUOTA,
    Trio,
    applied_count,
    inbox_statuses,
    issue_quota,
    quota_documents,
    reopen,
)
from exchange_offices import CITY, COUNTY, TOWNSHIP
from exchange_workers import run_together, send_adjustments, send_township_figures
from helpers import FakeClock

from mibdesk.core.exchange import drop
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.repos import figures
from mibdesk.core.services.exchange import outbox
from mibdesk.core.services.exchange.sync import sync

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs the fork server"),
]
EACH = 100


def test_two_offices_publishing_at_once(trio: Trio, clock: FakeClock) -> None:
    issue_quota(trio.city)
    folders = [str(office.store.paths.root) for office in (trio.city, trio.township)]
    trio.city.store.close()
    trio.township.store.close()
    run_together(
        (send_adjustments, (folders[0], trio.city.head, EACH)),
        (send_township_figures, (folders[1], trio.township.head, EACH)),
    )
    trio.city, trio.township = reopen(trio.city, clock), reopen(trio.township, clock)

    published = Counter[str]()
    for office in (trio.city, trio.township):
        kept = office.store.paths.root / "exchange" / "outbox"
        for sent in outbox.sent_packages(office.store):
            assert sent.status == "delivered", sent
            assert (trio.drop / sent.file_name).read_bytes() == (kept / sent.file_name).read_bytes()
            published[office.code] += 1
    assert published == {CITY: EACH + 1, TOWNSHIP: EACH}
    in_drop = list(drop.scan(trio.drop, drop.PACKAGE_NAME, lambda m: m.group(2) == COUNTY))
    assert len(in_drop) == 2 * EACH + 1

    while sync(trio.county.store).value.verdicts:
        pass
    statuses = inbox_statuses(trio.county.store)
    assert len(statuses) == 2 * EACH + 1 and set(statuses.values()) == {"applied"}
    assert {applied_count(trio.county.store, package_id) for package_id in statuses} == {1}
    amounts = [amount for _kind, amount, _doc in quota_documents(trio.county.store)]
    assert amounts == [QUOTA, *range(1, EACH + 1)]
    with trio.county.store.read() as session:
        report = figures.report(session, "RES", Month(2026, 10).to_int())
        assert report is not None
        assert figures.cells(session, report.id)[Cell("ENR_ADULT", TOWNSHIP)] == EACH
