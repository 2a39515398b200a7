"""Starting the GUI: refusals before any window (incomplete bundle, network folder, office
already open elsewhere), the log file and office lock of a normal start, and the crash
dialog for an exception that escapes an event handler."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import office_held_elsewhere
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core import resources
from mibdesk.core.db import engine
from mibdesk.core.paths import DataPaths
from mibdesk.ui import app, crash
from mibdesk.ui.setup.wizard import SetupWizard


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Critical boxes shown (their text) instead of blocking; the excepthook put back after."""
    shown: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str) -> QMessageBox.StandardButton:
        assert title
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    return shown


@pytest.fixture
def demo_folder(demo_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_template, folder)
    return folder


def test_a_second_instance_on_the_same_office_says_so_and_exits(
    qtbot: QtBot, refusals: list[str], demo_folder: Path
) -> None:
    with office_held_elsewhere(demo_folder) as pid:
        assert app.main(["--demo", "--data-dir", str(demo_folder), "--smoke"]) == 1
    [message] = refusals
    assert "已在 mibdesk 中打开" in message and f"进程 {pid}" in message


def test_a_bundle_missing_a_resource_names_it_before_anything_else(
    qtbot: QtBot, refusals: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "resources"
    root.mkdir()
    (root / resources.MANIFEST).write_text("fonts/wqy-microhei.ttc\n", encoding="utf-8")
    monkeypatch.setattr(resources, "resources_root", lambda: root)
    office = tmp_path / "office"
    assert app.main(["--data-dir", str(office)]) == 1
    assert refusals == [
        f"程序文件不完整：缺少资源 fonts/wqy-microhei.ttc（{root / 'fonts/wqy-microhei.ttc'}）。"
        "请重新安装 mibdesk。"
    ]
    assert not office.exists()


def test_a_data_folder_on_a_network_drive_is_refused_and_left_untouched(
    qtbot: QtBot, refusals: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "is_network_path", lambda path: True)
    office = tmp_path / "office"
    assert app.main(["--data-dir", str(office)]) == 1
    [message] = refusals
    assert "网络" in message and str(office) in message
    assert not office.exists()  # no log file, no lock file written there


def test_a_normal_start_logs_and_exits_cleanly(demo_folder: Path) -> None:
    # a child process: the smoke run quits the application, which a test process cannot undo
    started = subprocess.run(
        [sys.executable, "-m", "mibdesk", "--demo", "--data-dir", str(demo_folder), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert started.returncode == 0 and "ready" in started.stdout
    log = DataPaths(demo_folder).logs / "gui.log"
    assert "gui started" in log.read_text(encoding="utf-8")


def test_the_office_is_let_go_when_the_program_ends_without_a_window(
    qtbot: QtBot, refusals: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SetupWizard, "exec", lambda self: SetupWizard.DialogCode.Rejected)
    office = tmp_path / "office"
    assert app.main(["--data-dir", str(office)]) == 0  # setup cancelled
    assert refusals == []
    with office_held_elsewhere(office):  # free again
        pass


@pytest.mark.qt_no_exception_capture  # the test is that mibdesk's own hook gets them
def test_an_exception_escaping_an_event_handler_shows_the_crash_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(crash, "_dialog", None)
    crash.install(tmp_path)

    def broken_slot() -> None:
        raise KeyError("plan 2026-12")

    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(0, broken_slot)  # a second error updates the dialog, adds none
    qtbot.waitUntil(lambda: len(list(tmp_path.glob("crash-*.txt"))) == 2, timeout=5000)
    dialog = crash._dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.report is not None and dialog.report.parent == tmp_path
    assert str(dialog.report) in dialog.where_saved.text()
    assert "KeyError: 'plan 2026-12'" in dialog.report.read_text(encoding="utf-8")
    dialog.close()
