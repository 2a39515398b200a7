"""Fixtures shared by every test: fresh settings, a fixed clock, a set-up office."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from helpers import CHINA, HEAD_PASSWORD, PREPARER_PASSWORD, FakeClock, county_request

from mibdesk.core.i18n import set_language
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts
from mibdesk.core.services.setup import set_up_office
from mibdesk.core.services.store import Store


@pytest.fixture(autouse=True)
def chinese_interface() -> Iterator[None]:
    """Every test starts in the default language."""
    set_language("zh_CN")
    yield
    set_language("zh_CN")


@pytest.fixture(autouse=True)
def private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real per-user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("MIBDESK_PASSWORD", raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 30, tzinfo=CHINA))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "office"


@pytest.fixture
def office(data_dir: Path, clock: FakeClock) -> Iterator[Store]:
    """A county office under the Shaoxing profile with a head, a reviewer and a preparer."""
    store = set_up_office(data_dir, county_request(), clock)
    yield store
    store.close()


@pytest.fixture
def head(office: Store) -> Actor:
    return accounts.login(office, "zhangli", HEAD_PASSWORD).value


@pytest.fixture
def preparer(office: Store) -> Actor:
    return accounts.login(office, "wangfang", PREPARER_PASSWORD).value
