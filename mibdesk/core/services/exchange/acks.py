"""Acknowledgements: after importing, tell each sender what was applied or refused."""

from __future__ import annotations

from collections import defaultdict

from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.exchange.outbox import Sent, queue
from mibdesk.core.services.store import Store


def queue_acks(store: Store) -> list[Sent]:
    """One ack package per sender for everything decided since the last ack; acks
    themselves are never acknowledged."""
    sent: list[Sent] = []
    with store.write() as session:
        pending = ledger.unacked(session)
        by_sender: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in pending:
            by_sender[row.sender].append(
                {"package_id": row.package_id, "status": row.status, "reason": row.reason[:2000]}
            )
        for sender, acks in sorted(by_sender.items()):
            if ledger.active_peer(session, sender) is None:
                continue  # a revoked or unknown office gets no answer
            sent.append(
                queue(store, "exchange", sender, "ack", {"count": len(acks)}, {"acks": acks})
            )
        ledger.mark_acked(session, [row.id for row in pending])
    return sent
