"""The keys tab: this office's fingerprint (large, to read out by phone or print), replacing
this office's key, key cards waiting for their fingerprint to be checked, the offices
registered, and key card files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.exchange.overview import peer_status_label
from mibdesk.core.services.exchange.peers import PeerInfo
from mibdesk.core.services.exchange.rotation import Rotation
from mibdesk.ui.accounts.listing import row_list, selected_row
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange.controller import ExchangeController
from mibdesk.ui.exchange.dialogs import RegisterKeyDialog
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.widgets.buttons import push_button

Say = Callable[..., None]


class KeysPanel(QWidget):
    """`say(text, tone)` shows what happened in the screen's message line."""

    def __init__(self, ctx: UiContext, controller: ExchangeController, say: Say) -> None:
        super().__init__()
        self._ctx = ctx
        self.controller = controller
        self._say = say
        manage = controller.can_manage_keys

        mine = QGroupBox(_("This office's exchange key"))
        self.fingerprint = QLabel(controller.fingerprint)
        self.fingerprint.setObjectName("ownFingerprint")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(20)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        office = ctx.office
        explain = QLabel(
            _(
                "{name} ({code}). Other offices register this key only after comparing this "
                "fingerprint with the one on their key card: read it to them by phone, or "
                "print it, stamp it and send it."
            ).format(name=office.name, code=office.code)
        )
        explain.setWordWrap(True)
        self.copy_button = push_button(_("Copy fingerprint"), self.copy_fingerprint)
        self.export_button = push_button(_("Export key card…"), self.export_card)
        self.rotate_button = push_button(_("Replace key…"), self.rotate_key, manage)
        self.rotate_button.setObjectName("rotateKey")
        mine_buttons = QHBoxLayout()
        mine_buttons.addWidget(self.copy_button)
        mine_buttons.addWidget(self.export_button)
        mine_buttons.addStretch(1)
        mine_buttons.addWidget(self.rotate_button)
        mine_layout = QVBoxLayout(mine)
        mine_layout.addWidget(self.fingerprint)
        mine_layout.addWidget(explain)
        mine_layout.addLayout(mine_buttons)

        pending_box = QGroupBox(_("Key cards waiting for their fingerprint to be checked"))
        self.pending = row_list(self)
        self.pending.setObjectName("pendingKeys")
        self.pending.set_table(controller.pending_table)
        self.register_button = push_button(
            _("Check fingerprint and register…"), self.register, manage
        )
        self.reject_button = push_button(_("Reject…"), self.reject, manage)
        self.import_button = push_button(_("Import a key card file…"), self.import_card, manage)
        pending_buttons = QHBoxLayout()
        for button in (self.register_button, self.reject_button):
            pending_buttons.addWidget(button)
        pending_buttons.addStretch(1)
        pending_buttons.addWidget(self.import_button)
        pending_layout = QVBoxLayout(pending_box)
        pending_layout.addWidget(self.pending)
        pending_layout.addLayout(pending_buttons)

        peers_box = QGroupBox(_("Registered offices"))
        self.peers = row_list(self)
        self.peers.setObjectName("registeredKeys")
        self.peers.set_table(controller.peer_table)
        self.revoke_button = push_button(_("Revoke…"), self.revoke, manage)
        peers_buttons = QHBoxLayout()
        peers_buttons.addWidget(self.revoke_button)
        peers_buttons.addStretch(1)
        peers_layout = QVBoxLayout(peers_box)
        peers_layout.addWidget(self.peers)
        peers_layout.addLayout(peers_buttons)

        lists = QSplitter(Qt.Orientation.Vertical)
        lists.addWidget(pending_box)
        lists.addWidget(peers_box)
        lists.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(mine)
        layout.addWidget(lists, 1)

    def refresh(self) -> None:
        self.pending.refresh()
        self.peers.refresh()

    def selected_pending(self) -> PeerInfo | None:
        row = selected_row(self.pending)
        return None if row is None else self.controller.pending[row]

    def selected_peer(self) -> PeerInfo | None:
        row = selected_row(self.peers)
        return None if row is None else self.controller.registered[row]

    # -- this office ------------------------------------------------------------------------

    def copy_fingerprint(self) -> None:
        QGuiApplication.clipboard().setText(self.controller.fingerprint)
        self._say(_("The fingerprint was copied."), "ok")

    def export_card(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Export key card to a folder"))
        if not folder:
            return
        try:
            path = self.controller.export_card(Path(folder))
        except UserError as error:
            self._say(str(error))
            return
        self._say(
            _("Key card written: {path}. Give it to the other office with the fingerprint.").format(
                path=path
            ),
            "ok",
        )

    def rotate_key(self) -> None:
        """Ask for confirmation and the reason, replace the key, show the new fingerprint."""
        done: list[Rotation] = []
        dialog = ReasonDialog(
            _("Replace this office's key"),
            _(
                "A new exchange key replaces this office's key; the old one is archived, not "
                "deleted. Offices that registered the old key take the new one from its key "
                "card, signed with the old key; packages already sent with the old key are "
                "still accepted for 30 days. If the old key may have leaked, also ask the city "
                "(a township: its county) to revoke it, and read them the new fingerprint by "
                "phone."
            ),
            _("e.g. the yearly key change, or the office computer was stolen"),
            lambda reason: done.append(self.controller.rotate_key(reason)),
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or not done:
            return
        rotation = done[0]
        self.fingerprint.setText(rotation.new_fingerprint)
        text = _(
            "The new key is in use; its fingerprint is shown above. Read it to the offices you "
            "exchange with. The old key {key} is archived; if it may have leaked, ask them to "
            "revoke it."
        ).format(key=rotation.old_key_id)
        if rotation.waiting_because:
            text += " " + _(
                "The new key card goes to the drop with the next sync: {reason}"
            ).format(reason=rotation.waiting_because)
        self._say(text, "ok")

    # -- other offices ----------------------------------------------------------------------

    def register(self) -> None:
        peer = self.selected_pending()
        if peer is None:
            self._say(_("Select a key card first."), "note")
            return
        dialog = RegisterKeyDialog(peer, lambda text: self.controller.register(peer, text), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say(
                _("{name}'s key is registered: its packages will be applied.").format(
                    name=peer.name
                ),
                "ok",
            )

    def reject(self) -> None:
        peer = self.selected_pending()
        if peer is None:
            self._say(_("Select a key card first."), "note")
            return
        dialog = ReasonDialog(
            _("Reject a key card"),
            _("Packages signed with this key will be refused. The reason is recorded."),
            _("e.g. the fingerprint read by phone does not match"),
            lambda reason: self.controller.reject(peer, reason),
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say(_("The key card of {name} was rejected.").format(name=peer.name), "ok")

    def revoke(self) -> None:
        peer = self.selected_peer()
        if peer is None or peer.status not in ("active", "retired"):
            self._say(_("Select a registered key first."), "note")
            return
        dialog = ReasonDialog(
            _("Revoke a key"),
            _(
                "From now on, packages signed with this key are refused. The office must "
                "send a new key card. The reason is recorded."
            ),
            _("e.g. the county's computer was replaced"),
            lambda reason: self.controller.revoke(peer, reason),
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say(_("The key of {name} was revoked.").format(name=peer.name), "ok")

    def import_card(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import a key card file"),
            "",
            _("mibdesk key cards (*.mibkey);;All files (*)"),
        )
        if not path:
            return
        try:
            peer = self.controller.import_card(Path(path))
        except (UserError, OSError) as error:
            self._say(str(error))
            return
        if peer.status != "pending":
            self._say(
                _("This key of {name} is known already: {status}.").format(
                    name=peer.name, status=peer_status_label(peer.status)
                ),
                "note",
            )
            return
        self._say(
            _("The key card of {name} was added: check its fingerprint, then register it.").format(
                name=peer.name
            ),
            "ok",
        )
