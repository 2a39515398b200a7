"""What the official-form GUI tests share: the demo office as a user sees it, driving modal
dialogs, and screenshots (imported by name)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from mibdesk.core.catalog import load_profile
from mibdesk.core.services import accounts, demo
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner

SHOTS = Path("/tmp/shots")
D = TypeVar("D", bound=QDialog)


@contextmanager
def demo_context(store: Store, username: str) -> Iterator[UiContext]:
    """The demo office as `username` (zhangli head, liuqiang reviewer, wangfang preparer)."""
    actor = accounts.login(store, username, demo.DEMO_PASSWORD).value
    info = office_info(store)
    tasks = TaskRunner()
    try:
        yield UiContext(store, info, load_profile(info.profile_id), actor, ChangeHub(), tasks)
    finally:
        tasks.shutdown()


def when_shown(kind: type[D], handle: Callable[[D], None], within_s: float = 20) -> None:
    """Call `handle` with the next modal dialog of `kind` once it is up; whatever happens it
    does not stay open (rejected after `handle`), and polling stops after `within_s`."""
    deadline = time.monotonic() + within_s

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            if time.monotonic() < deadline:
                QTimer.singleShot(20, poll)
            return
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)


def shot(widget: QWidget, name: str) -> None:
    """Save what `widget` shows to /tmp/shots/forms-NAME.png (to look at)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"forms-{name}.png"))
