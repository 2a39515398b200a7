"""The publish screen (发布): the working-day calendar, the policy profile and the trust list,
each published to every county. Registering new key cards stays on the exchange screen."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area
from mibdesk.core.services.exchange.overview import peer_status_label
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.city.calendar_panel import CalendarPanel
from mibdesk.ui.city.common import fill, selected, text_table
from mibdesk.ui.city.publish_controller import PublishController
from mibdesk.ui.context import UiContext
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.widgets.buttons import push_button
from mibdesk.ui.widgets.refreshing import RefreshingScreen


class PublishScreen(RefreshingScreen):
    """Three tabs; refreshes on `Area.OFFICE` (profile, keys, packages) and `Area.CALENDAR`."""

    areas = (Area.OFFICE, Area.CALENDAR)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = PublishController(ctx)
        self.dialog: ReasonDialog | None = None
        heading = QLabel(_("Publish to counties"))
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        intro = QLabel(_("What the city publishes to all its counties through the file drop."))
        self.message = message_label("publishMessage")
        self.message.hide()
        self.calendar = CalendarPanel(self.controller, self.say, self.failed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.calendar, _("Working-day calendar"))
        self.tabs.addTab(self._profile_tab(), _("Policy profile"))
        self.tabs.addTab(self._trust_tab(), _("Trust list"))
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(intro, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # -- tabs -------------------------------------------------------------------------------

    def _profile_tab(self) -> QWidget:
        publish = self.controller.can_publish
        current = QGroupBox(_("The profile in force"))
        self.parameters = text_table((_("Parameter"), _("Value"), _("Source")))
        self.parameters.setObjectName("profileParameters")
        QVBoxLayout(current).addWidget(self.parameters)
        update = QGroupBox(_("Update to publish"))
        self.update_label = QLabel()
        self.update_label.setObjectName("profileUpdate")
        self.update_label.setWordWrap(True)
        self.diff = text_table((_("Section"), _("Parameter"), _("In force"), _("Update")))
        self.diff.setObjectName("profileDiff")
        self.load_button = push_button(_("Load a profile file…"), self.load_profile, publish)
        self.publish_profile_button = push_button(
            _("Publish to all counties"), self.publish_profile, False
        )
        self.profile_published = QLabel()
        self.profile_published.setObjectName("profilePublished")
        buttons = QHBoxLayout()
        buttons.addWidget(self.profile_published, 1)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.publish_profile_button)
        update_layout = QVBoxLayout(update)
        update_layout.addWidget(self.update_label)
        update_layout.addWidget(self.diff, 1)
        update_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(current)
        splitter.addWidget(update)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([780, 480])
        return splitter

    def _trust_tab(self) -> QWidget:
        publish = self.controller.can_publish
        tab = QWidget()
        self.trust = text_table(
            (
                _("County"),
                _("Code"),
                _("Fingerprint"),
                _("State"),
                _("PDF certificate valid until"),
                _("Decided"),
            )
        )
        self.trust.setObjectName("trustList")
        self.revoke_button = push_button(_("Revoke…"), self.revoke, self.controller.can_edit)
        self.register_button = push_button(_("Register a county's key card…"), self.show_register)
        self.publish_trust_button = push_button(
            _("Publish the trust list"), self.publish_trust, publish
        )
        self.trust_published = QLabel()
        self.trust_published.setObjectName("trustPublished")
        buttons = QHBoxLayout()
        buttons.addWidget(self.revoke_button)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.trust_published, 1)
        buttons.addWidget(self.publish_trust_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(
            QLabel(
                _(
                    "The counties' registered keys: packages signed with an active key are "
                    "accepted; the list goes to every county so they trust each other's PDFs."
                )
            )
        )
        layout.addWidget(self.trust, 1)
        layout.addLayout(buttons)
        return tab

    # -- refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        draft = self.controller.draft
        if not draft.dirty:  # the calendar may have been imported elsewhere (settings)
            self.controller.open_year(draft.year)
        self.calendar.refresh()
        parameters = self.controller.key_parameters()
        fill(
            self.parameters,
            [(p.label, p.value, p.source.split("（", 1)[0]) for p in parameters],
            tips=[("", p.source, p.source) for p in parameters],
        )
        self.parameters.setColumnWidth(1, 300)
        self.parameters.setWordWrap(True)
        self.parameters.resizeRowsToContents()
        self._show_update()
        self.profile_published.setText(self.controller.profile_published())
        self.controller.load_trust()
        fill(
            self.trust,
            [
                (
                    e.name,
                    e.office,
                    e.fingerprint,
                    peer_status_label(e.status),
                    e.certificate_expires or _("none"),
                    e.decided_at[:16].replace("T", " "),
                )
                for e in self.controller.entries
            ],
            colours=[
                ["", "", "", "#b00020" if e.status == "revoked" else "#1b5e20", "", ""]
                for e in self.controller.entries
            ],
        )
        self.trust_published.setText(self.controller.trust_published())

    def _show_update(self) -> None:
        controller = self.controller
        update = controller.update
        if update is None:
            self.update_label.setText(
                _("Load the updated profile file the city received (JSON); it is checked first.")
            )
            fill(self.diff, [])
        else:
            self.update_label.setText(
                _("{file}: {name}, version {version}; {n} parameters change.").format(
                    file=controller.update_name,
                    name=update.name,
                    version=update.version,
                    n=len(controller.changes),
                )
            )
            fill(self.diff, [(c.section, c.path, c.before, c.after) for c in controller.changes])
        self.publish_profile_button.setEnabled(update is not None and controller.can_publish)

    def say(self, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
        show_message(self.message, text, tone)
        self.message.setVisible(bool(text))

    def failed(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self.say(str(error))
        else:
            self.ctx.tasks.show_error(error)
        self.refresh()

    # -- profile ----------------------------------------------------------------------------

    def load_profile(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Load a policy profile file"), "", _("Policy profiles (*.json)")
        )
        if not path:
            return
        try:
            self.controller.load_update(Path(path))
        except (UserError, OSError) as error:
            self.say(str(error))
        else:
            self.say("")
        self._show_update()

    def publish_profile(self) -> None:
        self.publish_profile_button.setEnabled(False)
        self.controller.publish_profile(lambda text: self._done(text), self.failed)

    def _done(self, text: str) -> None:
        self.say(text, "ok")
        self.refresh()

    # -- trust list -------------------------------------------------------------------------

    def revoke(self) -> ReasonDialog | None:
        row = selected(self.trust)
        entries = self.controller.entries
        if row is None or row >= len(entries) or entries[row].status != "active":
            self.say(_("Select a registered key first."), "note")
            return None
        entry = entries[row]
        dialog = ReasonDialog(
            _("Revoke a key"),
            _(
                "From now on, packages signed with this key are refused. The office must "
                "send a new key card. The reason is recorded."
            ),
            _("e.g. the county's computer was replaced"),
            lambda reason: self.controller.revoke(entry, reason),
            self,
        )
        dialog.accepted.connect(
            lambda: self.say(
                _(
                    "The key of {name} was revoked. Publish the trust list so that the counties "
                    "know."
                ).format(name=entry.name),
                "ok",
            )
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_register(self) -> None:
        window = self.window()
        show = getattr(window, "show_screen", None)
        if callable(show):
            show("exchange")
        self.say(
            _(
                "Key cards are registered on the Exchange screen, Keys tab: compare the "
                "fingerprint with the one the county gives you, then register it."
            ),
            "note",
        )

    def publish_trust(self) -> None:
        self.controller.publish_trust(self._done, self.failed)
