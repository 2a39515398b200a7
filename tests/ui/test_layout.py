"""Every screen at the sizes offices use: drawn, Chinese text in place, nothing clipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CHINA
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from mibdesk.core.services import accounts, demo
from mibdesk.core.services.store import open_store
from mibdesk.ui.app import build_window

SIZES = [(1366, 768), (1920, 1080)]


def _clipped(widget: QLabel | QAbstractButton) -> bool:
    """A one-line label or button narrower than its text needs."""
    if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
        return False
    return widget.width() + 1 < widget.sizeHint().width()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_screen_fits(qtbot: QtBot, tmp_path: Path, width: int, height: int) -> None:
    from datetime import datetime

    clock = lambda: datetime(2026, 11, 23, 9, 30, tzinfo=CHINA)  # noqa: E731
    demo.create_demo_office(tmp_path / "demo", clock)
    store = open_store(tmp_path / "demo", clock=clock)
    window = build_window(store, accounts.demo_login(store).value, is_demo=True)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    try:
        for key in window.screen_keys():
            window.show_screen(key)
            QApplication.processEvents()
            screen = window.screen_widget(key)
            assert not screen.grab().isNull()
            visible = [
                w
                for w in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton)
                if w.isVisibleTo(window)
            ]
            clipped = [w.text() for w in visible if _clipped(w)]
            assert clipped == [], f"{key}: clipped {clipped}"
    finally:
        window.ctx.tasks.shutdown()
        store.close()
