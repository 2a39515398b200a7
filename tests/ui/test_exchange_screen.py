"""The exchange screen (文件交换) of a county office linked to a real city and township through
one drop folder on disk: real widgets clicked, dialogs answered, the status bar read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from exchange_offices import CITY, COUNTY, TOWNSHIP, Office, make_office
from fixtures_office import click, column_texts, row_count
from helpers import FakeClock
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.services import figures, settings
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sending import send_township_figures
from mibdesk.core.services.exchange.sending_city import send_quota
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.setup import OfficeLevel, office_info
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange import keys_panel, view
from mibdesk.ui.exchange.dialogs import RegisterKeyDialog
from mibdesk.ui.exchange.view import INBOX_TAB, KEYS_TAB, QUARANTINE_TAB, ExchangeScreen
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.main_window import MainWindow
from mibdesk.ui.tasks import TaskRunner

SHOTS = Path("/tmp/shots")
NOVEMBER = Month(2026, 11)
OfficeMaker = Callable[[OfficeLevel], Office]


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
def offices(tmp_path: Path, drop: Path, clock: FakeClock) -> Iterator[OfficeMaker]:
    """Make the city, the county or the township, each in its own folder, sharing `drop`."""
    made: list[Office] = []
    codes = {
        OfficeLevel.CITY: (CITY, "绍兴市医疗保障事务中心"),
        OfficeLevel.COUNTY: (COUNTY, "青溪县医疗保障事务中心"),
        OfficeLevel.TOWNSHIP: (TOWNSHIP, "青溪镇医保站"),
    }

    def make(level: OfficeLevel) -> Office:
        made.append(make_office(tmp_path, drop, clock, level, *codes[level]))
        return made[-1]

    yield make
    for office in made:
        office.store.close()


@pytest.fixture
def open_screen(qtbot: QtBot) -> Iterator[Callable[[Office], ExchangeScreen]]:
    runners: list[TaskRunner] = []

    def open_for(office: Office) -> ExchangeScreen:
        info = office_info(office.store)
        runners.append(TaskRunner())
        ctx = UiContext(
            office.store, info, load_profile(info.profile_id), office.head, ChangeHub(), runners[-1]
        )
        screen = ExchangeScreen(ctx)
        ctx.hub.changed.connect(screen.on_changes)
        qtbot.addWidget(screen)
        screen.resize(1280, 720)
        screen.show()
        qtbot.waitExposed(screen)
        return screen

    yield open_for
    for runner in runners:
        runner.shutdown()


def sync_on_screen(qtbot: QtBot, screen: ExchangeScreen) -> None:
    """Click "sync now" and wait for the sync to come back from the worker."""
    click(screen.sync_button)
    assert not screen.sync_button.isEnabled()  # one sync at a time
    qtbot.waitUntil(lambda: not screen.runner.state.running and screen.ctx.tasks.pending == 0)


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


def shot(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"exchange-{name}.png"
    assert widget.grab().save(str(path))
    return path


def test_sync_a_key_registered_by_its_fingerprint_and_a_quota_arriving(
    qtbot: QtBot,
    offices: OfficeMaker,
    open_screen: Callable[[Office], ExchangeScreen],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city, county = offices(OfficeLevel.CITY), offices(OfficeLevel.COUNTY)
    sync(city.store)  # the city's key card is in the drop
    screen = open_screen(county)
    assert "尚未同步" in screen.state_label.text()

    sync_on_screen(qtbot, screen)
    assert "同步完成" in screen.message.text() and "1 张新密钥卡" in screen.message.text()
    assert screen.tabs.tabText(KEYS_TAB) == "密钥（1 张待核对）"
    pending = screen.keys.pending
    assert row_count(pending) == 1
    city_fingerprint = peers.my_fingerprint(city.store)
    assert column_texts(pending, 2) == [city_fingerprint]
    assert "绍兴市医疗保障事务中心（330600）" in column_texts(pending, 0)

    screen.tabs.setCurrentIndex(KEYS_TAB)
    pending.selectRow(0)

    def check_and_register(dialog: QDialog) -> None:
        assert isinstance(dialog, RegisterKeyDialog)
        shown = [label.text() for label in dialog.findChildren(QLabel)]
        assert not any(city_fingerprint in text for text in shown)  # typed from paper
        dialog.fingerprint.setText("0000 1111 2222 3333 4444 5555 6666 7777")
        click(dialog.ok_button)
        assert dialog.isVisible() and "指纹" in dialog.error.text()  # refused, nothing changed
        dialog.fingerprint.setText(city_fingerprint.lower().replace(" ", ""))
        click(dialog.ok_button)

    answer(check_and_register)
    click(screen.keys.register_button)
    assert row_count(pending) == 0 and screen.tabs.tabText(KEYS_TAB) == "密钥"
    assert column_texts(screen.keys.peers, 3) == ["已登记"]
    assert "已登记" in screen.message.text()

    # the city registers the county in turn and issues next year's quota
    sync(city.store)
    county_card = next(p for p in peers.list_peers(city.store) if p.office == COUNTY)
    peers.decide(city.store, city.head, county_card.key_id, "active", county_card.fingerprint)
    send_quota(
        city.store,
        city.head,
        COUNTY,
        "EMP",
        2027,
        50_000_000_00,
        "绍医保〔2027〕1号",
        date(2027, 1, 5),
    )
    sync_on_screen(qtbot, screen)
    screen.tabs.setCurrentIndex(INBOX_TAB)
    assert column_texts(screen.inbox, 2) == ["定额下达或调整"]
    assert column_texts(screen.inbox, 4) == ["已应用"]
    assert "2027年" in column_texts(screen.inbox, 3)[0]
    assert column_texts(screen.outbox, 2) == ["回执"]  # the acknowledgement went back
    assert column_texts(screen.outbox, 4) == ["已放入交换文件夹"]
    assert "上次同步 2026-11-23 09:30" in screen.state_label.text()
    shot(screen, "inbox")

    # the quota's file as the city signed it, kept by the county, saved for an auditor
    assert not screen.original_button.isEnabled()
    screen.inbox.selectRow(0)
    assert screen.original_button.isEnabled()
    (quota_file,) = city.store.paths.root.glob("exchange/outbox/*_to_330699_*.mibpkg")
    saved = quota_file.parent.parent / "审计留存.mibpkg"
    monkeypatch.setattr(view.QFileDialog, "getSaveFileName", lambda *a: (str(saved), ""))
    click(screen.original_button)
    assert saved.read_bytes() == quota_file.read_bytes()
    assert "已保存为" in screen.message.text()
    screen.tabs.setCurrentIndex(KEYS_TAB)
    shot(screen, "keys")

    screen.keys.peers.selectRow(0)

    def revoke(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason.setPlainText("市局更换了服务器，旧密钥停用")
        click(dialog.ok_button)

    answer(revoke)
    click(screen.keys.revoke_button)
    assert column_texts(screen.keys.peers, 3) == ["已吊销"]
    assert "已吊销" in screen.message.text()


def test_key_cards_by_file_exported_imported_and_rejected(
    qtbot: QtBot,
    offices: OfficeMaker,
    open_screen: Callable[[Office], ExchangeScreen],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city, county = offices(OfficeLevel.CITY), offices(OfficeLevel.COUNTY)
    stick = tmp_path / "usb"
    stick.mkdir()
    city_card = peers.export_card(city.store, stick)
    screen = open_screen(county)
    screen.tabs.setCurrentIndex(KEYS_TAB)
    assert screen.keys.fingerprint.text() == peers.my_fingerprint(county.store)

    monkeypatch.setattr(keys_panel.QFileDialog, "getExistingDirectory", lambda *a: str(stick))
    click(screen.keys.export_button)
    assert len(list(stick.glob("mibdesk_330699_key_*.mibkey"))) == 1
    assert "密钥卡已写入" in screen.message.text()

    chosen = lambda *a: (str(city_card), "")  # noqa: E731
    monkeypatch.setattr(keys_panel.QFileDialog, "getOpenFileName", chosen)
    click(screen.keys.import_button)
    assert "请核对指纹后登记" in screen.message.text()
    assert column_texts(screen.keys.pending, 0) == ["绍兴市医疗保障事务中心（330600）"]
    click(screen.keys.import_button)  # the same card again: nothing added
    assert row_count(screen.keys.pending) == 1

    screen.keys.pending.selectRow(0)

    def reject(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason.setPlainText("电话核对的指纹不一致")
        click(dialog.ok_button)

    answer(reject)
    click(screen.keys.reject_button)
    assert row_count(screen.keys.pending) == 0
    assert column_texts(screen.keys.peers, 3) == ["已拒绝"]
    click(screen.keys.import_button)  # a rejected card stays rejected
    assert screen.message.text() == "绍兴市医疗保障事务中心的这个密钥已在本单位记录：已拒绝。"
    assert row_count(screen.keys.pending) == 0


def test_quarantine_shows_the_reason_and_a_retry_applies_it(
    qtbot: QtBot, offices: OfficeMaker, open_screen: Callable[[Office], ExchangeScreen]
) -> None:
    county, township = offices(OfficeLevel.COUNTY), offices(OfficeLevel.TOWNSHIP)
    sync(township.store)
    sync(county.store)  # finds the township's card (pending) and publishes its own
    sync(township.store)
    card = next(p for p in peers.list_peers(township.store) if p.office == COUNTY)
    peers.decide(township.store, township.head, card.key_id, "active", card.fingerprint)
    profile = office_profile(township.store)
    lines = [line.code for line in profile.scheme("RES").township_lines]
    edits = {Cell(line, ""): 1000 + n for n, line in enumerate(lines)}
    figures.save_cells(township.store, township.head, profile, "RES", NOVEMBER, edits)
    assert not send_township_figures(
        township.store, township.head, profile, "RES", NOVEMBER
    ).value.waiting_because

    screen = open_screen(county)
    sync_on_screen(qtbot, screen)  # the county has not registered the township's key yet
    assert screen.tabs.tabText(QUARANTINE_TAB) == "隔离区（1）"
    assert "1 个在隔离区" in screen.state_label.text()
    screen.tabs.setCurrentIndex(QUARANTINE_TAB)
    assert column_texts(screen.quarantine, 1) == ["青溪镇医保站（330699001）（据文件名，未核验）"]
    assert column_texts(screen.quarantine, 2) == [""]  # nothing is read before the key
    [reason] = column_texts(screen.quarantine, 4)
    assert "未在本单位登记" in reason and "核对" in reason  # what happened and what to do
    assert not screen.retry_button.isEnabled()  # nothing selected yet
    screen.quarantine.selectRow(0)
    assert reason in screen.reason.text() and "mibdesk_330699001_to_330699" in screen.reason.text()
    shot(screen, "quarantine")

    pending = next(p for p in peers.list_peers(county.store) if p.office == TOWNSHIP)
    peers.decide(county.store, county.head, pending.key_id, "active", pending.fingerprint)
    click(screen.retry_button)
    qtbot.waitUntil(lambda: screen.ctx.tasks.pending == 0)
    assert screen.message.text() == "数据包已应用。"
    assert row_count(screen.quarantine) == 0 and screen.tabs.tabText(QUARANTINE_TAB) == "隔离区"
    assert column_texts(screen.inbox, 4) == ["已应用"]
    assert "隔离" not in screen.state_label.text()


def test_a_damaged_package_is_set_aside_with_a_reason(
    qtbot: QtBot,
    offices: OfficeMaker,
    open_screen: Callable[[Office], ExchangeScreen],
    drop: Path,
) -> None:
    county = offices(OfficeLevel.COUNTY)
    (drop / "mibdesk_330600_to_330699_00000001_0123456789ab.mibpkg").write_bytes(b"PK\x03\x04 junk")
    screen = open_screen(county)
    sync_on_screen(qtbot, screen)
    screen.tabs.setCurrentIndex(QUARANTINE_TAB)
    assert column_texts(screen.quarantine, 4) == ["该文件不是 mibdesk 数据包，或已损坏。"]
    assert column_texts(screen.quarantine, 1) == ["330600（据文件名，未核验）"]
    screen.quarantine.selectRow(0)

    def set_aside(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        click(dialog.ok_button)
        assert dialog.isVisible() and dialog.error.text()  # a reason is needed
        dialog.reason.setPlainText("U盘拷贝时损坏，已请市局重发")
        click(dialog.ok_button)

    answer(set_aside)
    click(screen.set_aside_button)
    assert row_count(screen.quarantine) == 0
    assert screen.message.text() == "数据包已搁置。"
    [row] = received(county.store)
    assert row.status == "set_aside" and row.reason == "U盘拷贝时损坏，已请市局重发"
    assert column_texts(screen.inbox, 4) == ["已搁置"]
    assert column_texts(screen.inbox, 7) == ["U盘拷贝时损坏，已请市局重发"]


def test_status_bar_says_when_the_drop_is_unreachable(
    qtbot: QtBot, offices: OfficeMaker, tmp_path: Path
) -> None:
    county = offices(OfficeLevel.COUNTY)
    settings.change_settings(county.store, county.head, {"drop_folder": str(tmp_path / "gone")})
    info = office_info(county.store)
    ctx = UiContext(
        county.store, info, load_profile(info.profile_id), county.head, ChangeHub(), TaskRunner()
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    status = window.sync_status
    assert status.timer.interval() == 10 * 60_000  # the setting's default
    assert "尚未同步" in status.text()
    status.runner.sync_now()
    qtbot.waitUntil(lambda: not status.runner.state.running)
    assert status.text() == "文件交换：交换文件夹暂不可用。待发的数据包在本机等待。"
    assert "无法访问" in status.toolTip() and "gone" in status.toolTip()

    window.show_screen("exchange")
    screen = window.screen_widget("exchange")
    assert isinstance(screen, ExchangeScreen)
    assert "无法访问" in screen.state_label.text()
    ctx.hub.publish(
        settings.change_settings(county.store, county.head, {"sync_minutes": 30}).changes
    )
    assert status.timer.interval() == 30 * 60_000
    window.resize(1366, 768)
    QApplication.processEvents()
    shot(window, "window")
    window.close()
