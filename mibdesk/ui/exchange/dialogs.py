"""Registering another office's key: the person types the fingerprint that office gave on
paper or by phone; the key is registered only if it matches the key card."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from mibdesk.core.i18n import _
from mibdesk.core.services.exchange.overview import level_label
from mibdesk.core.services.exchange.peers import PeerInfo
from mibdesk.ui.accounts.dialogs import FormDialog


class RegisterKeyDialog(FormDialog):
    """OK runs `submit(fingerprint)`; a fingerprint that does not match is refused there."""

    def __init__(
        self, peer: PeerInfo, submit: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Register a key"), _("Register"), parent)
        self._submit = submit
        self.add_intro(
            _(
                "Type the fingerprint that {name} gave you on paper or read to you by phone "
                "(not the one on this screen). The key is registered only if the two match; "
                "from then on, packages signed with it are applied."
            ).format(name=peer.name)
        )
        self.form.addRow(_("Office name"), QLabel(f"{peer.name}（{peer.office}）"))
        self.form.addRow(_("Level"), QLabel(level_label(peer.level)))
        self.form.addRow(_("Key ID"), QLabel(peer.key_id))
        self.fingerprint = QLineEdit()
        self.fingerprint.setObjectName("fingerprintInput")
        self.fingerprint.setPlaceholderText("XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX")
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setMinimumWidth(360)
        self.form.addRow(_("Fingerprint"), self.fingerprint)

    def submit(self) -> None:
        self._submit(self.fingerprint.text())
