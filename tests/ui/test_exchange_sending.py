"""Sending through the drop from the report and plan screens: the demo county (today
2026-11-23) linked to a real city office through one drop folder on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_offices import CITY, COUNTY, TOWNSHIP, Office, make_office, register_all
from fixtures_office import click
from helpers import DEMO_NOW, FakeClock
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core.catalog import load_profile
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.services import accounts, demo, figures, plan_flow, report_flow, settings
from mibdesk.core.services.exchange import outbox
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.plans import plan_view
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.setup import OfficeLevel, office_info
from mibdesk.core.services.store import Store
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange import sending
from mibdesk.ui.figures.view import MonthlyReportScreen
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.plans.view import PlanScreen
from mibdesk.ui.tasks import TaskRunner

OCTOBER, DECEMBER = Month(2026, 10), Month(2026, 12)


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
def county(demo_store: Store, drop: Path, tmp_path: Path) -> Iterator[Office]:
    """The demo county, its key registered at a real city office and the city's at it."""
    head = accounts.login(demo_store, demo.DEMO_HEAD, demo.DEMO_PASSWORD).value
    settings.change_settings(demo_store, head, {"drop_folder": str(drop)})
    county = Office(demo_store, head)
    city = make_office(
        tmp_path, drop, FakeClock(DEMO_NOW), OfficeLevel.CITY, CITY, "绍兴市医疗保障事务中心"
    )
    register_all(city, county)
    yield county
    city.store.close()


@pytest.fixture
def screens(qtbot: QtBot) -> Iterator[list[TaskRunner]]:
    runners: list[TaskRunner] = []
    yield runners
    for runner in runners:
        runner.shutdown()


def context(office: Office, runners: list[TaskRunner]) -> UiContext:
    info = office_info(office.store)
    runners.append(TaskRunner())
    profile = load_profile(info.profile_id)
    return UiContext(office.store, info, profile, office.head, ChangeHub(), runners[-1])


def shown(qtbot: QtBot, screen: QWidget) -> None:
    qtbot.addWidget(screen)
    screen.resize(1280, 720)
    screen.show()
    qtbot.waitExposed(screen)


def test_an_approved_month_is_sent_to_the_city(
    qtbot: QtBot, county: Office, screens: list[TaskRunner], drop: Path
) -> None:
    store, profile = county.store, office_profile(county.store)
    reviewer = accounts.login(store, demo.DEMO_REVIEWER, demo.DEMO_PASSWORD).value
    report_flow.review(store, reviewer, profile, "EMP", OCTOBER)
    ctx = context(county, screens)
    screen = MonthlyReportScreen(ctx)
    shown(qtbot, screen)
    assert screen.send_button.text() == "报送市局"
    assert screen.send_button.isVisible() and not screen.send_button.isEnabled()
    click(screen.approve_button)  # the head approves October: now it may go to the city
    assert screen.send_button.isEnabled()

    click(screen.send_button)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    assert screen.message.text() == "数据包已放入交换文件夹，发往 330600。"
    [sent] = outbox.sent_packages(store)
    assert (sent.kind, sent.status, sent.subject["period"]) == (
        "monthly_report",
        "delivered",
        202610,
    )
    assert (drop / sent.file_name).is_file()


def test_with_the_drop_gone_the_package_waits_and_the_user_is_told(
    qtbot: QtBot, county: Office, screens: list[TaskRunner], tmp_path: Path
) -> None:
    store, profile = county.store, office_profile(county.store)
    reviewer = accounts.login(store, demo.DEMO_REVIEWER, demo.DEMO_PASSWORD).value
    report_flow.review(store, reviewer, profile, "EMP", OCTOBER)
    report_flow.approve(store, county.head, profile, "EMP", OCTOBER)
    settings.change_settings(store, county.head, {"drop_folder": str(tmp_path / "unplugged")})
    ctx = context(county, screens)
    screen = MonthlyReportScreen(ctx)
    shown(qtbot, screen)
    click(screen.send_button)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    assert "暂存本机" in screen.message.text() and "unplugged" in screen.message.text()
    assert [s.status for s in outbox.sent_packages(store)] == ["waiting"]


def test_a_signed_plan_is_submitted_with_its_pdf(
    qtbot: QtBot,
    county: Office,
    screens: list[TaskRunner],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, profile = county.store, office_profile(county.store)
    reviewer = accounts.login(store, demo.DEMO_REVIEWER, demo.DEMO_PASSWORD).value
    plan_flow.review_plan(store, reviewer, profile, "EMP", DECEMBER)
    ctx = context(county, screens)
    screen = PlanScreen(ctx)
    shown(qtbot, screen)
    assert screen.send_button.text() == "提交市局…" and not screen.send_button.isEnabled()
    click(screen.sign_button)
    assert screen.send_button.isEnabled()

    pdf = tmp_path / "用款计划-已签章.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% the head's signed plan\n%%EOF\n")
    asked: list[str] = []

    def choose(parent: QWidget, title: str, folder: str, kinds: str) -> tuple[str, str]:
        asked.append(title)
        return str(pdf), kinds

    monkeypatch.setattr(sending.QFileDialog, "getOpenFileName", choose)
    click(screen.send_button)
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
    assert asked == ["已签章的用款计划（PDF）"]
    assert "已放入交换文件夹" in screen.message.text()
    view = plan_view(store, profile, "EMP", DECEMBER)
    assert view is not None and view.status == "submitted"
    [sent] = outbox.sent_packages(store)
    assert sent.kind == "fund_plan" and sent.subject["version"] == view.version


def test_a_township_sends_its_figures_to_the_county(
    qtbot: QtBot, tmp_path: Path, drop: Path, clock: FakeClock, screens: list[TaskRunner]
) -> None:
    county = make_office(
        tmp_path, drop, clock, OfficeLevel.COUNTY, COUNTY, "青溪县医疗保障事务中心"
    )
    township = make_office(tmp_path, drop, clock, OfficeLevel.TOWNSHIP, TOWNSHIP, "青溪镇医保站")
    try:
        register_all(county, township)
        profile = office_profile(township.store)
        lines = [line.code for line in profile.scheme("RES").township_lines]
        edits = {Cell(line, ""): 500 + n for n, line in enumerate(lines)}
        figures.save_cells(township.store, township.head, profile, "RES", OCTOBER, edits)
        ctx = context(township, screens)
        screen = MonthlyReportScreen(ctx)
        shown(qtbot, screen)
        screen.scheme_combo.setCurrentIndex(screen.scheme_combo.findData("RES"))
        assert screen.send_button.text() == "报送县局" and screen.send_button.isEnabled()
        click(screen.send_button)
        qtbot.waitUntil(lambda: ctx.tasks.pending == 0)
        assert screen.message.text() == "数据包已放入交换文件夹，发往 330699。"
        sync(county.store)
        assert [(r.kind, r.status) for r in received(county.store)] == [
            ("township_figures", "applied")
        ]
    finally:
        county.store.close()
        township.store.close()
