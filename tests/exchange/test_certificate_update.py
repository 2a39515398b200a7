"""A county that creates its signing key after registering its exchange key: its next key
card carries the certificate, and the city learns it without registering anything again."""

from __future__ import annotations

from exchange_offices import COUNTY, Office

from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.forms import key_path
from mibdesk.core.services.trust import pdf_trust_roots
from mibdesk.core.signing.keys import create_office_key, fingerprint


def test_a_new_certificate_reaches_the_city_with_the_next_card(
    linked: tuple[Office, Office, Office],
) -> None:
    city, county, _township = linked
    assert pdf_trust_roots(city.store) == []
    certificate = create_office_key(
        key_path(county.store),
        "Seal2026pw!",
        office_name="青溪县医疗保障事务中心",
        office_code=COUNTY,
    )
    sync(county.store)  # publishes a second card, named after the certificate
    sync(city.store)
    assert [fingerprint(c) for c in pdf_trust_roots(city.store)] == [fingerprint(certificate)]
