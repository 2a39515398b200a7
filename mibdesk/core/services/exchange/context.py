"""Where the exchange keeps its files, which office it speaks for, who applies packages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mibdesk.core.exchange import keys
from mibdesk.core.security.roles import Actor, Role
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class Me:
    code: str
    name: str
    level: str
    key: keys.ExchangeKey


def exchange_dir(store: Store) -> Path:
    return store.paths.root / "exchange"


def outbox_dir(store: Store) -> Path:
    """Packages this office built, kept after delivery (the sender's copy)."""
    return exchange_dir(store) / "outbox"


def inbox_dir(store: Store) -> Path:
    """Where an earlier version kept every package file received, by SHA-256 (the database
    keeps them now, with their inbox rows); still read by a retry."""
    return exchange_dir(store) / "inbox"


def me(store: Store) -> Me:
    info = office_info(store)
    key = keys.load_or_create(store.paths.root / "keys")
    return Me(info.code, info.name, info.level.value, key)


def drop_folder(store: Store) -> Path | None:
    value = str(load_settings(store).get("drop_folder", "")).strip()
    return Path(value) if value else None


def sender_actor(office: str, name: str) -> Actor:
    """Whom the audit log names for what a package applies. The role only opens the
    service's door: what a package may do is fixed by its kind's handler, and which office
    may send which kind by the kind's declaration (arrival.Kind)."""
    return Actor(0, f"exchange:{office}", name, Role.HEAD)
