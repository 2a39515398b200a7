"""What the exchange screen does, without widgets: its lists as table models, and the calls to
the exchange services (retry, set aside, register, reject, revoke, import and export cards).

Every write goes through `mibdesk.core.services.exchange`, which checks permissions and
raises `UserError` (nothing changed) when it refuses; the controller then publishes the
service's `Changes` on the hub. A retry applies a package, so it runs on the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Permission
from mibdesk.core.services.changes import Changes
from mibdesk.core.services.exchange import outbox, peers, quarantine
from mibdesk.core.services.exchange.importer import Verdict
from mibdesk.core.services.exchange.peers import PeerInfo
from mibdesk.core.services.exchange.quarantine import Received
from mibdesk.core.services.exchange.rotation import Rotation, rotate_exchange_key
from mibdesk.core.table import ListTableModel
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange.rows import (
    InboxRow,
    Names,
    OutboxRow,
    PeerRow,
    QuarantineRow,
    inbox_columns,
    inbox_row,
    outbox_columns,
    outbox_row,
    peer_columns,
    peer_row,
    quarantine_columns,
    quarantine_row,
)


class ExchangeController:
    """The office's packages and key cards as lists, newest first, and what may be done."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        actor = ctx.actor
        self.can_retry = actor.can(Permission.ENTER)
        self.can_set_aside = actor.can(Permission.REVIEW)
        self.can_manage_keys = actor.can(Permission.CHANGE_SETTINGS)
        self.fingerprint = peers.my_fingerprint(ctx.store)
        self.received: list[Received] = []  # newest first, as the inbox list shows them
        self.quarantined: list[Received] = []
        self.pending: list[PeerInfo] = []
        self.registered: list[PeerInfo] = []
        self.outbox: ListTableModel[OutboxRow] = ListTableModel(outbox_columns(), [])
        self.inbox: ListTableModel[InboxRow] = ListTableModel(inbox_columns(), [])
        self.quarantine: ListTableModel[QuarantineRow] = ListTableModel(quarantine_columns(), [])
        self.pending_table: ListTableModel[PeerRow] = ListTableModel(peer_columns(), [])
        self.peer_table: ListTableModel[PeerRow] = ListTableModel(peer_columns(), [])

    def load(self) -> None:
        """Read every list again (the grids' adapters must then be refreshed)."""
        store = self._ctx.store
        known = peers.list_peers(store)
        names = Names(
            {peer.office: peer.name for peer in known},
            {scheme.code: scheme.name for scheme in self._ctx.profile.schemes},
        )
        self.received = received = quarantine.received(store)[::-1]
        self.quarantined = [item for item in received if item.status == "quarantined"]
        self.pending = [peer for peer in known if peer.status == "pending"]
        self.registered = [peer for peer in known if peer.status != "pending"]
        sent = outbox.sent_packages(store)[::-1]
        self.outbox.replace_rows(outbox_row(item, names) for item in sent)
        self.inbox.replace_rows(inbox_row(item, names) for item in received)
        self.quarantine.replace_rows(quarantine_row(item, names) for item in self.quarantined)
        self.pending_table.replace_rows(peer_row(peer) for peer in self.pending)
        self.peer_table.replace_rows(peer_row(peer) for peer in self.registered)

    def save_original(self, item: Received, target: Path) -> Path:
        """The package file as it arrived, written to `target` (UserError: nothing written)."""
        return quarantine.save_original(self._ctx.store, item.id, target)

    # -- quarantine -------------------------------------------------------------------------

    def retry(
        self,
        item: Received,
        on_done: Callable[[Verdict], None],
        on_refused: Callable[[str], None],
    ) -> None:
        """Try the package again on the worker; on the GUI thread follows `on_done(verdict)`,
        or `on_refused(message)` when the service refused (nothing changed)."""
        ctx, label = self._ctx, _("Try the package again")

        def done(result: tuple[Verdict, Changes]) -> None:
            on_done(result[0])
            ctx.hub.publish(result[1])

        def failed(error: BaseException) -> None:
            if isinstance(error, UserError):
                on_refused(str(error))
            else:
                ctx.tasks.show_error(error, label)

        def work(_progress: object) -> tuple[Verdict, Changes]:
            outcome = quarantine.retry_package(ctx.store, ctx.actor, item.id)
            return outcome.value, outcome.changes

        ctx.tasks.run(work, done, failed, label)

    def set_aside(self, item: Received, reason: str) -> None:
        ctx = self._ctx
        ctx.hub.publish(quarantine.set_aside(ctx.store, ctx.actor, item.id, reason).changes)

    # -- keys -------------------------------------------------------------------------------

    def register(self, peer: PeerInfo, fingerprint: str) -> None:
        self._decide(peer, "active", fingerprint=fingerprint)

    def reject(self, peer: PeerInfo, reason: str) -> None:
        self._decide(peer, "rejected", reason=reason)

    def revoke(self, peer: PeerInfo, reason: str) -> None:
        self._decide(peer, "revoked", reason=reason)

    def _decide(self, peer: PeerInfo, status: str, fingerprint: str = "", reason: str = "") -> None:
        ctx = self._ctx
        outcome = peers.decide(ctx.store, ctx.actor, peer.key_id, status, fingerprint, reason)
        ctx.hub.publish(outcome.changes)

    def import_card(self, path: Path) -> PeerInfo:
        """Add a key card file as pending; OSError if it cannot be read."""
        ctx = self._ctx
        outcome = peers.import_card(ctx.store, ctx.actor, path.read_bytes(), where=path.name)
        ctx.hub.publish(outcome.changes)
        return outcome.value

    def export_card(self, folder: Path) -> Path:
        """Write this office's key card into `folder`; returns the file written."""
        return peers.export_card(self._ctx.store, folder)

    def rotate_key(self, reason: str) -> Rotation:
        """Replace this office's exchange key (UserError to refuse); `fingerprint` follows."""
        ctx = self._ctx
        outcome = rotate_exchange_key(ctx.store, ctx.actor, reason)
        self.fingerprint = outcome.value.new_fingerprint
        ctx.hub.publish(outcome.changes)
        return outcome.value
