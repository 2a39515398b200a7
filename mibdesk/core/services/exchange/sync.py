"""One sync with the drop folder: send what waits, collect key cards, import what is new,
acknowledge. Safe to run at any time, from a timer, the CLI or a scheduled task."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from mibdesk.core.errors import StoreError, UserError
from mibdesk.core.exchange import drop
from mibdesk.core.exchange.key_card import MAX_CARD, open_card
from mibdesk.core.exchange.package import MAX_PACKAGE
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.acks import queue_acks
from mibdesk.core.services.exchange.context import Me, drop_folder, me
from mibdesk.core.services.exchange.importer import (
    Importing,
    Verdict,
    apply_held,
    import_bytes,
    retry_unknown_keys,
)
from mibdesk.core.services.exchange.outbox import deliver
from mibdesk.core.services.exchange.peers import card_file, note_card, related
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class SyncReport:
    at: str
    delivered: int = 0
    verdicts: list[Verdict] = field(default_factory=list)
    new_cards: int = 0
    acks: int = 0
    problem: str = ""  # why the drop could not be used (outgoing packages wait)

    def count(self, status: str) -> int:
        return sum(1 for verdict in self.verdicts if verdict.status == status)


def sync(store: Store) -> Outcome[SyncReport]:
    """Read what the drop holds for this office, apply it, acknowledge, and deliver what
    waits to go out; on one database connection (a transaction per package)."""
    with store.one_connection():
        return _sync(store)


def _sync(store: Store) -> Outcome[SyncReport]:
    office = me(store)
    at = stamp(store.clock())
    try:
        folder = drop.check_folder(drop_folder(store), writable=False)
    except drop.DropUnavailable as error:
        return Outcome(SyncReport(at, problem=str(error)))
    changes = Changes()
    problem = ""
    verdicts: list[Verdict] = []
    delivered = acks = new_cards = 0
    run = Importing(store, office)
    seen: list[drop.DropFile] = []
    try:
        new_cards = _collect_cards(store, office, folder)
        for found in _new_packages(store, office, folder):
            try:
                data = drop.read_in(found, MAX_PACKAGE)
            except drop.DropUnavailable as error:
                # One file locked (or gone) must not stop the others, nor what goes out:
                # it is not marked seen, so the next sync reads it again.
                problem = problem or str(error)
                continue
            verdict, more = import_bytes(store, data, found.name, run)
            verdicts.append(verdict)
            changes = changes | more
            seen.append(found)
        _mark_seen(store, seen)
        changes = changes | retry_unknown_keys(store, run) | apply_held(store, run)
        acks = len(queue_acks(store))
        drop.check_folder(folder, writable=True)
        drop.sweep_leftovers(folder, office.code)
        _publish_card(store, office, folder)
        delivered = len(deliver(store, folder))
    except (drop.DropUnavailable, StoreError) as error:
        # The drop gone, or this computer's disk full (a package's copy, the database):
        # what was done stays done; the rest waits for the next sync.
        problem = problem or str(error)
        with contextlib.suppress(StoreError):
            _mark_seen(store, seen)
    if new_cards:
        changes = changes | Changes.of(Area.OFFICE)
    report = SyncReport(at, delivered, verdicts, new_cards, acks, problem)
    return Outcome(report, changes)


def _mark_seen(store: Store, files: list[drop.DropFile]) -> None:
    """Remember files read, in one transaction for the whole sync (one commit, not one per
    file). Killed before it, the next sync reads them again: the inbox knows their hashes,
    so each is a cheap duplicate."""
    if files:
        with store.write() as session:
            ledger.mark_seen_many(session, {found.name: found.size for found in files})
        files.clear()


def _new_packages(store: Store, office: Me, folder: Path) -> list[drop.DropFile]:
    with store.read() as session:
        seen = ledger.seen_names(session)
    files = drop.scan(folder, drop.PACKAGE_NAME, lambda match: match.group(2) == office.code)
    return [found for found in files if seen.get(found.name) != found.size]


def _collect_cards(store: Store, office: Me, folder: Path) -> int:
    with store.read() as session:
        seen = ledger.seen_names(session)
    new = 0
    for found in drop.scan(folder, drop.KEY_CARD_NAME, lambda match: True):
        if seen.get(found.name) == found.size:
            continue
        try:
            data = drop.read_in(found, MAX_CARD)
        except drop.DropUnavailable:
            continue  # locked or gone: not marked seen, read again next time
        try:
            card = open_card(data, where=found.name)
        except UserError:
            card = None  # a damaged or foreign card: ignored, it registers nothing anyway
        if card is not None and related(office, card.card):
            new += int(note_card(store, card, found.name))
        with store.write() as session:
            ledger.mark_seen(session, found.name, found.size)
    return new


def _publish_card(store: Store, office: Me, folder: Path) -> None:
    name, data = card_file(store, office)
    if not (folder / name).exists():
        drop.publish(folder, name, data)
