from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_offices import CITY, TOWNSHIP, Office, make_office
from helpers import DEMO_NOW, FakeClock

from mibdesk.core.services import accounts, settings
from mibdesk.core.services.demo import DEMO_HEAD, DEMO_PASSWORD
from mibdesk.core.services.setup import OfficeLevel
from mibdesk.core.services.store import open_store


@pytest.fixture
def cycle_clock() -> FakeClock:
    return FakeClock(DEMO_NOW)


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
def offices(
    tmp_path: Path, drop: Path, cycle_clock: FakeClock, demo_template: Path
) -> Iterator[tuple[Office, Office, Office]]:
    """The city, the demo county (34 months of figures, quotas, plans) and one township,
    each in its own data folder, sharing `drop`."""
    import shutil

    shutil.copytree(demo_template, tmp_path / "county")
    store = open_store(tmp_path / "county", clock=cycle_clock)
    head = accounts.login(store, DEMO_HEAD, DEMO_PASSWORD).value
    settings.change_settings(store, head, {"drop_folder": str(drop)})
    county = Office(store, head)
    city = make_office(
        tmp_path, drop, cycle_clock, OfficeLevel.CITY, CITY, "绍兴市医疗保障事务中心"
    )
    township = make_office(
        tmp_path, drop, cycle_clock, OfficeLevel.TOWNSHIP, TOWNSHIP, "青溪镇医保站"
    )
    yield city, county, township
    for office in (city, county, township):
        office.store.close()
