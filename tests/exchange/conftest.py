from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_offices import CITY, COUNTY, TOWNSHIP, Office, make_office, register_all
from helpers import FakeClock

from mibdesk.core.services.setup import OfficeLevel


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
def city(tmp_path: Path, drop: Path, clock: FakeClock) -> Iterator[Office]:
    office = make_office(tmp_path, drop, clock, OfficeLevel.CITY, CITY, "绍兴市医疗保障事务中心")
    yield office
    office.store.close()


@pytest.fixture
def county(tmp_path: Path, drop: Path, clock: FakeClock) -> Iterator[Office]:
    office = make_office(
        tmp_path, drop, clock, OfficeLevel.COUNTY, COUNTY, "青溪县医疗保障事务中心"
    )
    yield office
    office.store.close()


@pytest.fixture
def township(tmp_path: Path, drop: Path, clock: FakeClock) -> Iterator[Office]:
    office = make_office(tmp_path, drop, clock, OfficeLevel.TOWNSHIP, TOWNSHIP, "青溪镇医保站")
    yield office
    office.store.close()


@pytest.fixture
def linked(city: Office, county: Office, township: Office) -> tuple[Office, Office, Office]:
    register_all(city, county, township)
    return city, county, township
