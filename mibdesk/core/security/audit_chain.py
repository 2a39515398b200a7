"""The audit chain: each entry's hash covers its content and the previous entry's hash.

hash = SHA-256 over the canonical JSON of (prev_hash, at, actor, action, entity, entity_key,
before, after, reason). Changing, removing or reordering any entry breaks every later hash,
so `first_broken` names the first entry that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_key: str
    before_json: str
    after_json: str
    reason: str
    prev_hash: str
    hash: str


def canonical_json(value: object) -> str:
    """Stable JSON for hashing and storage: sorted keys, no spaces, UTF-8 text kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    before_json: str,
    after_json: str,
    reason: str,
) -> str:
    payload = canonical_json(
        [prev_hash, at, actor, action, entity, entity_key, before_json, after_json, reason]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def first_broken(records: Iterable[AuditRecord]) -> AuditRecord | None:
    """The first record whose link or hash does not fit, or None for a sound chain."""
    expected_prev = GENESIS
    for record in records:
        recomputed = entry_hash(
            record.prev_hash,
            record.at,
            record.actor,
            record.action,
            record.entity,
            record.entity_key,
            record.before_json,
            record.after_json,
            record.reason,
        )
        if record.prev_hash != expected_prev or recomputed != record.hash:
            return record
        expected_prev = record.hash
    return None
