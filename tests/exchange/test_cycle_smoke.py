from __future__ import annotations

from datetime import date

from exchange_offices import COUNTY, Office

from mibdesk.core.services import quotas
from mibdesk.core.services.exchange import outbox
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sending_city import send_quota
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.profiles import office_profile


def test_quota_from_city_lands_at_county_and_is_acknowledged(
    linked: tuple[Office, Office, Office],
) -> None:
    city, county, _township = linked
    sending = send_quota(
        city.store,
        city.head,
        COUNTY,
        "EMP",
        2027,
        50_000_000_00,
        "绍医保〔2027〕1号",
        date(2027, 1, 5),
    ).value
    assert sending.waiting_because == ""
    report = sync(county.store).value
    assert [v.status for v in report.verdicts] == ["applied"], report
    profile = office_profile(county.store)
    docs = quotas.documents(county.store, "EMP", 2027)
    assert docs[0].amount == 50_000_000_00
    assert received(county.store)[0].kind == "quota"
    assert profile.id == "shaoxing"
    sync(city.store)
    statuses = {s.kind: s.status for s in outbox.sent_packages(city.store)}
    assert statuses["quota"] == "acknowledged"
