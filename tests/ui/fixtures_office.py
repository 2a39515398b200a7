"""A set-up county office and the `UiContext` a screen gets, built by hand for screen tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers import HEAD_PASSWORD, PREPARER_PASSWORD, county_request
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from mibdesk.core.catalog import load_profile
from mibdesk.core.security.roles import Role
from mibdesk.core.services import accounts
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.clock import Clock
from mibdesk.core.services.setup import office_info, set_up_office
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.widgets.grid import GridView

OFFICE = county_request(
    users=(
        NewUser("zhangli", "张丽", Role.HEAD, HEAD_PASSWORD),
        NewUser("wangfang", "王芳", Role.PREPARER, PREPARER_PASSWORD),
    ),
)


@contextmanager
def office_context(
    data_dir: Path, clock: Clock, username: str = "zhangli", password: str = HEAD_PASSWORD
) -> Iterator[UiContext]:
    """A new office in `data_dir` with `username` logged in; closed again afterwards.

    Needs a QApplication (ask for `qtbot` first)."""
    store = set_up_office(data_dir, OFFICE, clock=clock)
    tasks = TaskRunner()
    try:
        actor = accounts.login(store, username, password).value
        yield UiContext(
            store, office_info(store), load_profile(OFFICE.profile_id), actor, ChangeHub(), tasks
        )
    finally:
        tasks.shutdown()
        store.close()


def connect_screens(ctx: UiContext, *screens: QWidget) -> None:
    """Hand every published `Changes` to the screens, as the main window does."""
    for screen in screens:
        ctx.hub.changed.connect(screen.on_changes)  # type: ignore[attr-defined]


def click(widget: QWidget) -> None:
    """A real left click in the middle of `widget`."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def row_count(grid: GridView) -> int:
    return int(grid.model().rowCount())


def column_texts(grid: GridView, col: int) -> list[str]:
    """What the grid shows in column `col`, top to bottom."""
    model = grid.model()
    return [model.index(row, col).data() for row in range(model.rowCount())]
