from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from exchange_kit import Template, Trio, build_template, copy_trio
from exchange_offices import CITY, COUNTY, TOWNSHIP, Office, make_office, register_all
from helpers import CHINA, FakeClock

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


@pytest.fixture(scope="session")
def trio_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """City, county and township set up and registered once per session (slow), then copied."""
    return build_template(
        tmp_path_factory.mktemp("trio-template"),
        FakeClock(datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)),
    )


@pytest.fixture
def trio(trio_template: Template, tmp_path: Path, clock: FakeClock) -> Iterator[Trio]:
    """A private copy of three linked offices sharing one drop folder (tmp_path/drop)."""
    offices = copy_trio(trio_template, tmp_path, clock)
    yield offices
    offices.close()


@pytest.fixture(scope="module")
def shared_trio(
    trio_template: Template, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Trio]:
    """One copy for all the tests of a module, for tests that change nothing in it."""
    offices = copy_trio(
        trio_template,
        tmp_path_factory.mktemp("shared-trio"),
        FakeClock(datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)),
    )
    yield offices
    offices.close()
