"""What a package handler is given, and how kinds are declared."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from mibdesk.core.exchange.manifest import Manifest
from mibdesk.core.security.roles import Actor
from mibdesk.core.services.changes import Changes
from mibdesk.core.services.store import Store


class Payload(BaseModel):
    """Base of every payload schema: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


@dataclass(frozen=True)
class Arrival:
    store: Store
    manifest: Manifest
    members: Mapping[str, bytes]
    sender_name: str
    sender_level: str
    actor: Actor  # the sending office, as the audit log names it
    received_at: str

    @property
    def sender(self) -> str:
        return self.manifest.sender.office

    @property
    def package_id(self) -> str:
        return self.manifest.package_id

    @property
    def source(self) -> str:
        """Provenance written beside every figure a package changes."""
        return f"package {self.package_id[:12]} · {self.sender_name} ({self.sender})"


@dataclass(frozen=True)
class Kind:
    """A kind of package: its payload schema, who may send it, who applies it, and how."""

    name: str
    schema: type[Payload]
    from_levels: frozenset[str]
    to_levels: frozenset[str]
    apply: Callable[[Arrival, Any], Changes]
