"""Acknowledgements: after importing, tell each sender what was applied or refused."""

from __future__ import annotations

from collections import defaultdict

from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.exchange.outbox import Sent, queue
from mibdesk.core.services.store import Store

ACKS_PER_PACKAGE = 5000  # AckPayload takes up to 10,000


def queue_acks(store: Store) -> list[Sent]:
    """One ack package per sender for everything decided since the last ack; acks
    themselves are never acknowledged."""
    sent: list[Sent] = []
    with store.write() as session:
        pending = ledger.unacked(session)
        by_sender: dict[str, list[dict[str, str]]] = defaultdict(list)
        for _id, sender, package_id, status, reason in pending:
            by_sender[sender].append(
                {"package_id": package_id, "status": status, "reason": reason[:2000]}
            )
        for sender, acks in sorted(by_sender.items()):
            if ledger.active_peer(session, sender) is None:
                continue  # a revoked or unknown office gets no answer
            # The recipient takes at most AckPayload's maximum per package; one too large
            # would be refused and hold up every later acknowledgement to that office.
            for start in range(0, len(acks), ACKS_PER_PACKAGE):
                part = acks[start : start + ACKS_PER_PACKAGE]
                sent.append(
                    queue(store, "exchange", sender, "ack", {"count": len(part)}, {"acks": part})
                )
        if pending:
            ledger.mark_acked(session, pending[-1][0])
    return sent
