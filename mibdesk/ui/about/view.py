"""About: the version, the office's health (ui/about/health_panel.py), the policy profile and
its sources."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from mibdesk import __version__
from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Changes
from mibdesk.ui.about.health_panel import HealthPanel
from mibdesk.ui.context import UiContext


class AboutScreen(QScrollArea):
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
        self.health = HealthPanel(ctx)

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

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addWidget(self.health)
        layout.addWidget(policy)
        layout.addStretch()
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)

    def on_changes(self, changes: Changes) -> None:
        self.health.on_changes(changes)
