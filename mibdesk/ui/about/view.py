"""About: versions, the office's data folder and database, the policy profile and its sources."""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mibdesk import __version__
from mibdesk.core.db.engine import integrity_check
from mibdesk.core.i18n import _
from mibdesk.ui.context import UiContext


class AboutScreen(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        title = QLabel(f"mibdesk {__version__}")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        blurb = QLabel(
            _(
                "Monthly figures, fund-use plans, quotas and submissions for county "
                "medical-insurance offices under city-level pooling."
            )
        )
        blurb.setWordWrap(True)

        versions = QGroupBox(_("Versions"))
        form = QFormLayout(versions)
        form.addRow("mibdesk", QLabel(__version__))
        form.addRow("Python", QLabel(f"{platform.python_version()} ({sys.platform})"))
        form.addRow("Qt / PySide6", QLabel(f"{qVersion()} / {PySide6.__version__}"))

        data = QGroupBox(_("Data"))
        data_form = QFormLayout(data)
        database = ctx.store.paths.database
        data_form.addRow(_("Data folder"), QLabel(str(ctx.store.paths.root)))
        size = database.stat().st_size if database.exists() else 0
        data_form.addRow(_("Database size"), QLabel(f"{size / 1_048_576:,.1f} MB"))
        self.integrity = QLabel(_("not checked yet"))
        check = QPushButton(_("Check integrity"))
        check.clicked.connect(self.check_integrity)
        integrity_row = QHBoxLayout()
        integrity_row.addWidget(self.integrity)
        integrity_row.addWidget(check)
        integrity_row.addStretch()
        data_form.addRow(_("Database integrity"), integrity_row)

        profile = ctx.profile
        policy = QGroupBox(_("Policy profile"))
        policy_layout = QVBoxLayout(policy)
        policy_layout.addWidget(
            QLabel(
                _("{name}, version {version}").format(name=profile.name, version=profile.version)
            )
        )
        for number, title_text in profile.sources.items():
            source = QLabel(f"{number}  {title_text}")
            source.setWordWrap(True)
            policy_layout.addWidget(source)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addWidget(versions)
        layout.addWidget(data)
        layout.addWidget(policy)
        layout.addStretch()

    def check_integrity(self) -> None:
        database = self.ctx.store.paths.database

        def done(verdict: str) -> None:
            ok = verdict == "ok"
            self.integrity.setStyleSheet("color: #1b7f3b;" if ok else "color: #b00020;")
            self.integrity.setText(_("sound") if ok else verdict)

        self.ctx.tasks.run(
            lambda progress: integrity_check(database), done, label=_("Checking the database")
        )
