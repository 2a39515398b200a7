"""Fixtures shared by every test: fresh settings, a fixed clock, a set-up office."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from helpers import CHINA, DEMO_NOW, HEAD_PASSWORD, PREPARER_PASSWORD, FakeClock, county_request

from mibdesk.core.i18n import set_language
from mibdesk.core.logs import HANDLER_NAME
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts, demo
from mibdesk.core.services.setup import set_up_office
from mibdesk.core.services.store import Store, open_store


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
    monkeypatch.delenv("MIBDESK_DATABASE_URL", raising=False)  # a city's server, if a shell set one


@pytest.fixture(autouse=True)
def no_log_file_left() -> Iterator[None]:
    """The CLI starts a log file in the office's folder: no test leaves it on the root logger."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo office, generated once per test session (today: 2026-11-23)."""
    path = tmp_path_factory.mktemp("demo-template") / "office"
    demo.create_demo_office(path, lambda: DEMO_NOW)
    return path


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the demo office: figures to October 2026, quotas 2024–2026, plans
    disbursed up to November and December's plan a draft; the clock stands at DEMO_NOW."""
    shutil.copytree(demo_template, tmp_path / "demo")
    store = open_store(tmp_path / "demo", clock=lambda: DEMO_NOW)
    yield store
    store.close()


@pytest.fixture
def head(office: Store) -> Actor:
    return accounts.login(office, "zhangli", HEAD_PASSWORD).value


@pytest.fixture
def preparer(office: Store) -> Actor:
    return accounts.login(office, "wangfang", PREPARER_PASSWORD).value
