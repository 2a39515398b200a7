"""Every city test runs on SQLite and on PostgreSQL (`backend`); see backends.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import BACKENDS, require_server
from city_kit import World, build_template, open_world
from helpers import DEMO_NOW, FakeClock


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        require_server()
    return str(request.param)


@pytest.fixture(scope="session")
def world_templates(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Path, str]]]:
    """backend → (template folder, city template database), built on first use."""
    built: dict[str, tuple[Path, str]] = {}
    yield built
    from backends import drop_database

    for _folder, database in built.values():
        if database:
            drop_database(database)


@pytest.fixture
def city_clock() -> FakeClock:
    return FakeClock(DEMO_NOW)  # 2026-11-23 09:30 +08:00


@pytest.fixture
def world(
    backend: str,
    world_templates: dict[str, tuple[Path, str]],
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    city_clock: FakeClock,
) -> Iterator[World]:
    """A private copy of the city, its two registered counties and an unregistered one."""
    if backend not in world_templates:
        root = tmp_path_factory.mktemp(f"city-world-{backend}") / "world"
        world_templates[backend] = (root, build_template(root, backend, FakeClock(DEMO_NOW)))
    folder, database = world_templates[backend]
    opened = open_world(folder, database, backend, tmp_path / "world", city_clock)
    yield opened
    opened.close()
