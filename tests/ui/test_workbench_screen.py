"""The workbench screen: filled off the GUI thread, each plan step with its lateness."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from helpers import CHINA
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from mibdesk.core.services import accounts, demo
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import open_store
from mibdesk.core.services.workbench import State
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.workbench.view import DueCard, WorkbenchScreen

LATE = datetime(2026, 11, 27, 9, 0, tzinfo=CHINA)


def test_cards_show_due_dates_and_who_is_late(qtbot: QtBot, tmp_path: Path) -> None:
    demo.create_demo_office(tmp_path / "demo", lambda: datetime(2026, 11, 23, 9, 30, tzinfo=CHINA))
    store = open_store(tmp_path / "demo", clock=lambda: LATE)
    tasks = TaskRunner()
    try:
        from mibdesk.core.catalog import load_profile

        info = office_info(store)
        ctx = UiContext(
            store,
            info,
            load_profile(info.profile_id),
            accounts.demo_login(store).value,
            ChangeHub(),
            tasks,
        )
        screen = WorkbenchScreen(ctx)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitUntil(lambda: screen.view is not None, timeout=5000)
        assert screen.view is not None and screen.grid.count() == 4
        # on Friday 27 November the December plan, due on Wednesday 25 November, is still a
        # draft: 2 working days late (26, 27); the city's step is due on Monday 30 November
        plan = screen.view.items[1]
        assert plan.state == State.LATE and plan.workdays_left == -2
        assert plan.follow_up[0].deadline.due == date(2026, 11, 30)
        assert plan.follow_up[0].state == "waiting"  # the county has not submitted yet
        texts = [label.text() for label in screen.findChildren(QLabel)]
        assert any("2026-11-30" in t for t in texts)
        assert len(screen.findChildren(DueCard)) == 4
    finally:
        tasks.shutdown()
        store.close()
