"""Unexpected errors in the GUI: a crash report in the logs folder and a friendly dialog.

`install(logs)` routes every exception that escapes a Qt slot or event handler here
(`sys.excepthook`); the task runner sends the unexpected errors of background work here too.
`report_crash` writes the report (core/logs.py) and shows `CrashDialog`: what happened, that
saved work is safe, what to do, and where the report is. The dialog is not modal, and while
one is open later errors only update its report path, so an error that repeats cannot pile
up windows.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.logs import write_crash_report
from mibdesk.core.paths import DataPaths, default_data_dir

_logs: Path | None = None
_dialog: CrashDialog | None = None


class CrashDialog(QDialog):
    """What happened, what to do, where the report is; 'Open the folder' and 'Close'."""

    def __init__(self, where: str, report: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("mibdesk: unexpected error"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)
        heading = QLabel(_("Something went wrong inside mibdesk."))
        heading.setStyleSheet("font-size: 16px; font-weight: bold; color: #b00020;")
        happened = QLabel(
            _(
                "An unexpected error stopped what mibdesk was doing ({where}). What was saved "
                "before is safe: every save is either complete or not made at all."
            ).format(where=where)
        )
        todo = QLabel(
            _(
                "Check whether your last action took effect, and do it again if it did not. "
                "Restarting mibdesk is safe. If the error comes back, export the diagnostics "
                "(About, Export diagnostics) and send the file to support."
            )
        )
        self.where_saved = QLabel()
        self.where_saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (happened, todo, self.where_saved):
            label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.open_folder = QPushButton(_("Open the report folder"))
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder.clicked.connect(self._open_folder)
        layout = QVBoxLayout(self)
        for widget in (heading, happened, todo, self.where_saved):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.report: Path | None = None
        self.set_report(report)

    def set_report(self, report: Path | None) -> None:
        self.report = report
        self.open_folder.setEnabled(report is not None)
        self.where_saved.setText(
            _("The report was saved to:\n{path}").format(path=report)
            if report is not None
            else _("The report could not be saved; the details are in the log file.")
        )

    def _open_folder(self) -> None:
        if self.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.parent)))


def install(logs: Path) -> None:
    """Save crash reports in `logs` and catch every exception that escapes the event loop."""
    global _logs
    _logs = logs
    sys.excepthook = _excepthook


def report_crash(error: BaseException, where: str) -> CrashDialog:
    """Write the crash report of `error` and show (or update) the crash dialog."""
    global _dialog
    folder = _logs if _logs is not None else DataPaths(default_data_dir()).logs
    report = write_crash_report(folder, error, where)
    if _dialog is not None and _dialog.isVisible():
        _dialog.set_report(report)
        return _dialog
    _dialog = CrashDialog(where, report, QApplication.activeWindow())
    _dialog.destroyed.connect(_forget_dialog)
    _dialog.show()
    _dialog.raise_()
    return _dialog


def _forget_dialog() -> None:
    global _dialog
    _dialog = None


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    report_crash(error.with_traceback(trace), _("the window"))
