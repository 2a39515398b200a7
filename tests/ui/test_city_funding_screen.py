"""The city's funding screen (用款申请与拨付) on a real city office with two registered
counties: which counties are in the month's application and which are not ready, assembling
it, the head's signature on its PDF (which applies to finance), finance's payment through its
dialog (a bad amount is refused in Chinese and nothing changes), forwarding to the counties
with disbursement packages in the drop, each step against its deadline."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from forms_helpers import when_shown
from helpers import DEMO_NOW, PREPARER_PASSWORD, FakeClock
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import CITY, NAMES, NORTH, SOUTH, World, build_template, open_world, send_plan

from mibdesk.core.exchange.manifest import MANIFEST, PAYLOAD_DATA
from mibdesk.core.periods import Month
from mibdesk.core.services import accounts
from mibdesk.core.services.city import application, plans
from mibdesk.core.services.city.plans import PLAN_CHANGES
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.forms import key_path
from mibdesk.core.services.setup import office_info
from mibdesk.core.signing.keys import create_office_key
from mibdesk.ui.city.funding_dialogs import ForwardDialog, FundingDialog
from mibdesk.ui.city.funding_view import FundingScreen
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.dialogs import SignDialog
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner

DECEMBER = Month(2026, 12)
KEY_PASSWORD = "CitySeal2026!"
SHOTS = Path("/tmp/notes")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city-funding") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    """North's December plan approved; south's submitted, not yet decided."""
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    send_plan(
        opened.north,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 5_000_000, "EXP_OUTPATIENT": 1_000_000},
        submitted_at="2026-11-20T15:00:00+08:00",
    )
    send_plan(
        opened.south,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 2_000_000},
        submitted_at="2026-11-20T09:00:00+08:00",
    )
    store = opened.city.store
    sync(store)
    plans.approve(store, opened.city.head, opened.profile, NORTH, "EMP", DECEMBER, DEMO_NOW.date())
    yield opened
    opened.close()


def _context(world: World, username: str, password: str) -> UiContext:
    store = world.city.store
    actor = accounts.login(store, username, password).value
    return UiContext(store, office_info(store), world.profile, actor, ChangeHub(), TaskRunner())


@pytest.fixture
def ctx(world: World, qtbot: QtBot) -> Iterator[UiContext]:
    context = _context(world, "zhangli", "Head2026pw")
    yield context
    context.tasks.shutdown()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes answered at once (Close), recorded as (kind, text)."""
    seen: list[tuple[str, str]] = []

    def box(kind: str):  # type: ignore[no-untyped-def]
        def show(parent: QWidget | None, title: str, text: str, *rest: object) -> object:
            seen.append((kind, text))
            return QMessageBox.StandardButton.Close

        return show

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    return seen


def _texts(table: QTableWidget, col: int) -> list[str]:
    return [table.item(row, col).text() for row in range(table.rowCount())]


def _shot(widget: QWidget, name: str) -> None:
    widget.resize(1280, 800)
    assert widget.grab().save(str(SHOTS / f"C-funding-{name}.png"))


def _screen(qtbot: QtBot, ctx: UiContext) -> FundingScreen:
    screen = FundingScreen(ctx)
    qtbot.addWidget(screen)
    ctx.hub.changed.connect(screen.on_changes)
    screen.show()
    return screen


def _set_day(dialog: FundingDialog | ForwardDialog, day: date) -> None:
    dialog.paid_on.setDate(QDate(day.year, day.month, day.day))


def test_assemble_sign_fund_and_forward(
    qtbot: QtBot,
    ctx: UiContext,
    world: World,
    messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    store, profile, head = world.city.store, world.profile, world.city.head
    screen = _screen(qtbot, ctx)
    assert screen.picker.month() == DECEMBER and screen.scheme_code() == "EMP"
    # before assembling: north approved and waiting, south still undecided
    assert _texts(screen.counties, 0) == [
        f"{NAMES[NORTH]}（{NORTH}）",
        f"{NAMES[SOUTH]}（{SOUTH}）",
    ]
    assert _texts(screen.counties, 1) == ["已批准，尚未纳入申请", "待市级审核"]
    assert "1 个待审核" in screen.summary.text()
    assert screen.assemble_button.isEnabled() and not screen.form_button.isEnabled()
    assert not screen.funding_button.isEnabled() and not screen.forward_all_button.isEnabled()
    # the month's due dates show before there is an application
    assert _texts(screen.steps, 1)[:2] == ["2026-11-25", "2026-11-30"]
    assert _texts(screen.steps, 3)[:2] == ["未到期", "等待中"]
    _shot(screen, "1-before")

    # the city decides the south plan elsewhere: the screen follows the hub
    cut = {"EXP_INPATIENT": (1_500_000, "超出序时进度")}
    plans.reduce(store, head, profile, SOUTH, "EMP", DECEMBER, cut, DEMO_NOW.date())
    ctx.hub.publish(PLAN_CHANGES)
    assert _texts(screen.counties, 1) == ["已批准，尚未纳入申请"] * 2

    qtbot.mouseClick(screen.assemble_button, Qt.MouseButton.LeftButton)
    assert ctx.tasks.wait_idle(30_000)
    assert "第 1 次" in screen.message.text()
    assert _texts(screen.counties, 1) == ["已纳入第 1 次申请"] * 2
    assert _texts(screen.counties, 4) == ["60,000.00", "15,000.00"]
    assert _texts(screen.lines, 0) == ["住院医疗费用支出", "普通门诊（门诊统筹）支出", "合计"]
    assert _texts(screen.lines, 2) == ["65,000.00", "10,000.00", "75,000.00"]
    assert _texts(screen.lines, 3)[-1] == "5,000.00"
    assert "草稿" in screen.status.text() and "75,000.00" in screen.status.text()
    states = _texts(screen.steps, 3)
    assert states[0] == "按时" and states[1] == "未到期"  # plans in; the city has until the 30th
    assert screen.steps.item(0, 3).foreground().color().name() == "#1b7f3b"
    assert not screen.assemble_button.isEnabled()  # nothing more to take in
    _shot(screen, "2-assembled")

    # the head signs the form: it applies to finance
    create_office_key(key_path(store), KEY_PASSWORD, office_name=NAMES[CITY], office_code=CITY)
    signed = tmp_path / "申请-签章.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(signed), "PDF"))

    def sign(dialog: SignDialog) -> None:
        dialog.password.setText(KEY_PASSWORD)
        dialog.ok_button.click()

    when_shown(SignDialog, sign)
    assert screen.form_button.sign_action.text() == "签章并报送财政…"
    screen.form_button.sign_action.trigger()
    assert ctx.tasks.wait_idle(60_000)
    qtbot.waitUntil(lambda: not ctx.tasks.pending, timeout=30_000)
    assert [kind for kind, _text in messages] == ["information"], messages
    reader = PdfReader(signed)
    text = reader.pages[0].extract_text().replace("\n", "")
    assert "基金当月使用计划" in text and NAMES[SOUTH] in text and "75,000.00" in text
    assert "/ByteRange" in signed.read_bytes().decode("latin-1")
    verdict = screen.form_button.controller.verify(signed)
    assert verdict.ok and verdict.office_code == CITY
    assert "已报送" in screen.status.text() and str(DEMO_NOW.date()) in screen.progress.text()
    assert _texts(screen.steps, 2)[1] == DEMO_NOW.date().isoformat()
    assert screen.funding_button.isEnabled()
    # signing again is refused before any password
    screen.form_button.sign_action.trigger()
    assert ctx.tasks.wait_idle(30_000)
    assert messages[-1][0] == "warning" and "已于" in messages[-1][1]
    _shot(screen, "3-applied")

    # finance's payment: a bad amount, then too much, then right
    qtbot.mouseClick(screen.funding_button, Qt.MouseButton.LeftButton)
    funding = screen.dialog
    assert isinstance(funding, FundingDialog) and funding.isVisible()
    assert funding.amount.text() == "75,000.00"
    funding.amount.setText("七万五")
    qtbot.mouseClick(funding.ok_button, Qt.MouseButton.LeftButton)
    assert funding.isVisible() and "到账金额" in funding.error.text()
    funding.amount.setText("75000.01")
    _set_day(funding, date(2026, 12, 14))
    funding.doc_no.setText("绍财社〔2026〕88号")
    qtbot.mouseClick(funding.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "至多" in funding.error.text(), timeout=30_000)
    assert funding.isVisible()
    funding.grab().save(str(SHOTS / "C-funding-dialog.png"))
    assert "已报送" in screen.status.text()  # nothing changed
    assert application.current(store, profile, "EMP", DECEMBER).funded_amount is None
    funding.amount.setText("75000")
    qtbot.mouseClick(funding.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not funding.isVisible(), timeout=30_000)
    assert "财政已拨付" in screen.status.text() and "绍财社〔2026〕88号" in screen.progress.text()
    steps = _texts(screen.steps, 3)
    assert "逾期2个工作日完成" in steps[2]  # due Thursday 10 December, paid Monday 14th
    assert screen.steps.item(2, 3).foreground().color().name() == "#c77700"
    assert screen.forward_all_button.isEnabled() and not screen.forward_button.isEnabled()

    # forward to the south county alone, then to all that are left
    screen.counties.selectRow(1)
    assert screen.forward_button.isEnabled()
    qtbot.mouseClick(screen.forward_button, Qt.MouseButton.LeftButton)
    one = screen.dialog
    assert isinstance(one, ForwardDialog) and one.amount is not None
    one.amount.setText("20000")  # more than the 15,000.00 approved
    _set_day(one, date(2026, 12, 16))
    qtbot.mouseClick(one.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "核定" in one.error.text(), timeout=30_000)
    one.amount.setText("15000")
    qtbot.mouseClick(one.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not one.isVisible(), timeout=30_000)
    assert NAMES[SOUTH] in screen.message.text()
    assert _texts(screen.counties, 5) == ["", "15,000.00"]

    qtbot.mouseClick(screen.forward_all_button, Qt.MouseButton.LeftButton)
    every = screen.dialog
    assert isinstance(every, ForwardDialog) and every.amount is None
    _set_day(every, date(2026, 12, 16))
    qtbot.mouseClick(every.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not every.isVisible(), timeout=30_000)
    assert NAMES[NORTH] in screen.message.text()
    assert _texts(screen.counties, 1) == ["已拨付"] * 2
    assert _texts(screen.counties, 5) == ["60,000.00", "15,000.00"]
    assert _texts(screen.counties, 6) == ["2026-12-16"] * 2
    assert _texts(screen.steps, 3)[3] == "按时"  # due the 16th, two working days after the 14th
    assert not screen.forward_all_button.isEnabled()
    _shot(screen, "4-forwarded")

    # the notices lie in the drop, one for each county, with its amount
    assert _disbursements(world.drop) == {NORTH: 6_000_000, SOUTH: 1_500_000}


def _disbursements(drop: Path) -> dict[str, int]:
    """county → amount of every disbursement notice the city put in the drop."""
    found = {}
    for path in drop.glob(f"mibdesk_{CITY}_to_*.mibpkg"):
        with zipfile.ZipFile(path) as package:
            manifest = json.loads(package.read(MANIFEST))
            if manifest["kind"] == "disbursement":
                data = json.loads(package.read(PAYLOAD_DATA))
                assert data["received_on"] == "2026-12-16"
                found[manifest["recipient"]] = int(data["amount"])
    return found


def test_a_preparer_assembles_but_cannot_sign_or_forward(
    qtbot: QtBot, world: World, messages: list[tuple[str, str]]
) -> None:
    ctx = _context(world, "wangfang", PREPARER_PASSWORD)
    try:
        screen = _screen(qtbot, ctx)
        assert screen.assemble_button.isEnabled()
        assert not screen.form_button.sign_action.isVisible()
        qtbot.mouseClick(screen.assemble_button, Qt.MouseButton.LeftButton)
        assert ctx.tasks.wait_idle(30_000)
        assert _texts(screen.counties, 1) == ["已纳入第 1 次申请", "待市级审核"]
        assert not screen.forward_all_button.isEnabled()
    finally:
        ctx.tasks.shutdown()


def test_the_pdf_page_renders(qtbot: QtBot, ctx: UiContext, world: World, tmp_path: Path) -> None:
    """The form as the head prints it (rendered with pdftoppm, to look at)."""
    screen = _screen(qtbot, ctx)
    qtbot.mouseClick(screen.assemble_button, Qt.MouseButton.LeftButton)
    assert ctx.tasks.wait_idle(30_000)
    request = screen.form_request()
    form = screen.form_button.controller.render(request, tmp_path / "form.pdf")
    assert form.approved and len(form.fingerprint) == 19
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(form.path),
            str(SHOTS / "C-funding-form"),
        ],
        check=True,
    )
