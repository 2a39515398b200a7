"""Replacing the office's key on the exchange screen's keys tab (更换密钥…): a county linked to
a real city through one drop folder; the dialog asks for a reason, the new fingerprint is
shown large, and the city takes the new key at its next sync."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from exchange_offices import CITY, COUNTY, Office, make_office, register_all
from fixtures_office import click
from helpers import PREPARER_PASSWORD, FakeClock
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.exchange import keys
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.setup import OfficeLevel, office_info
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange.view import KEYS_TAB, ExchangeScreen
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner

SHOT = Path("/tmp/notes/F-key-rotation.png")


@pytest.fixture
def linked(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Office, Office]]:
    drop = tmp_path / "drop"
    drop.mkdir()
    city = make_office(tmp_path, drop, clock, OfficeLevel.CITY, CITY, "绍兴市医疗保障事务中心")
    county = make_office(
        tmp_path, drop, clock, OfficeLevel.COUNTY, COUNTY, "青溪县医疗保障事务中心"
    )
    register_all(city, county)
    yield city, county
    city.store.close()
    county.store.close()


@pytest.fixture
def open_screen(qtbot: QtBot) -> Iterator[Callable[[Office, Actor], ExchangeScreen]]:
    runners: list[TaskRunner] = []

    def open_for(office: Office, actor: Actor) -> ExchangeScreen:
        info = office_info(office.store)
        runners.append(TaskRunner())
        profile = load_profile(info.profile_id)
        ctx = UiContext(office.store, info, profile, actor, ChangeHub(), runners[-1])
        screen = ExchangeScreen(ctx)
        ctx.hub.changed.connect(screen.on_changes)
        qtbot.addWidget(screen)
        screen.resize(1280, 720)
        screen.show()
        qtbot.waitExposed(screen)
        screen.tabs.setCurrentIndex(KEYS_TAB)
        return screen

    yield open_for
    for runner in runners:
        runner.shutdown()


def answer(handle: Callable[[QDialog], None]) -> None:
    """Let `handle` deal with the next modal dialog; whatever happens, it does not stay open."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)


def current_key(office: Office) -> keys.ExchangeKey:
    return keys.load_or_create(office.store.paths.root / "keys")


def test_the_head_replaces_the_key_and_the_city_follows(
    linked: tuple[Office, Office], open_screen: Callable[[Office, Actor], ExchangeScreen]
) -> None:
    city, county = linked
    old = current_key(county)
    screen = open_screen(county, county.head)
    panel = screen.keys
    assert panel.rotate_button.text() == "更换密钥…" and panel.rotate_button.isEnabled()
    assert panel.fingerprint.text() == keys.fingerprint(old.public)
    seen: list[str] = []

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        seen.append(dialog.windowTitle())
        click(dialog.ok_button)  # no reason: refused, the dialog stays open
        seen.append(dialog.error.text())
        assert current_key(county).key_id == old.key_id
        dialog.reason.setPlainText("年度更换密钥")
        click(dialog.ok_button)

    answer(confirm)
    click(panel.rotate_button)
    new = current_key(county)
    assert new.key_id != old.key_id
    assert seen == ["更换本单位密钥", "原因：请说明原因。"]
    assert panel.fingerprint.text() == keys.fingerprint(new.public)
    assert panel.fingerprint.font().pointSize() >= 20  # large, to read out by phone
    assert old.key_id in screen.message.text() and "新密钥已启用" in screen.message.text()
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    assert screen.grab().save(str(SHOT))

    sync(city.store)
    assert peers.peer(city.store, new.key_id).status == "active"
    assert peers.peer(city.store, old.key_id).status == "retired"


def test_a_preparer_cannot_replace_the_key(
    linked: tuple[Office, Office], open_screen: Callable[[Office, Actor], ExchangeScreen]
) -> None:
    _city, county = linked
    preparer = accounts.login(county.store, "wangfang", PREPARER_PASSWORD).value
    screen = open_screen(county, preparer)
    assert not screen.keys.rotate_button.isEnabled()
