"""About: the health checks as the core judged them, 'Check again', 'Export diagnostics…'."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.health import Level
from mibdesk.ui.about.view import AboutScreen
from mibdesk.ui.context import UiContext


def about(qtbot: QtBot, ui_context: UiContext) -> AboutScreen:
    screen = AboutScreen(ui_context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    assert ui_context.tasks.wait_idle(10_000)
    return screen


def row_text(screen: AboutScreen, key: str) -> str:
    label = screen.findChild(QLabel, f"health-{key}")
    assert label is not None
    return label.text()


def test_the_health_rows_show_each_check_with_its_sentence(
    qtbot: QtBot, ui_context: UiContext
) -> None:
    screen = about(qtbot, ui_context)
    report = screen.health.report
    assert report is not None
    assert [c.key for c in report.checks][:3] == ["versions", "data_folder", "database"]
    assert row_text(screen, "database").endswith("完整性检查未发现问题。")
    assert "尚未设置交换文件夹" in row_text(screen, "drop_folder")  # the test office has none
    levels = {c.key: c.level for c in report.checks}
    assert levels["drop_folder"] == Level.WARNING and levels["database"] == Level.OK
    assert screen.health.status.text() == "检查时间：09:30。"


def test_a_backup_or_settings_change_checks_again(
    qtbot: QtBot, ui_context: UiContext, tmp_path: Path
) -> None:
    from mibdesk.core.services import backup

    screen = about(qtbot, ui_context)
    assert "还没有备份" in row_text(screen, "backup")
    backup.create_backup(ui_context.store)
    screen.on_changes(Changes.of(Area.BACKUPS))
    assert ui_context.tasks.wait_idle(10_000)
    assert row_text(screen, "backup").startswith("2026-11-23 09:30（手动）")


def test_export_diagnostics_writes_the_zip_and_says_where(
    qtbot: QtBot, ui_context: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = about(qtbot, ui_context)
    target = tmp_path / "support.zip"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), "zip"))
    )
    screen.health.export.click()
    assert ui_context.tasks.wait_idle(10_000)
    assert target.is_file() and zipfile.ZipFile(target).testzip() is None
    assert screen.health.status.text() == f"诊断信息已保存到 {target}。请把这个文件发给技术支持。"
    assert screen.health.export.isEnabled()
