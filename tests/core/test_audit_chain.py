"""The audit chain: every write is chained; verify names the first broken entry."""

from __future__ import annotations

from dataclasses import replace

from mibdesk.core.security.audit_chain import GENESIS, AuditRecord, entry_hash, first_broken


def _chain(n: int) -> list[AuditRecord]:
    records, prev = [], GENESIS
    for i in range(1, n + 1):
        fields = (
            f"2026-11-0{i}T09:00:00+08:00",
            "wangfang",
            "user.add",
            "user",
            f"u{i}",
            "null",
            '{"role":"preparer"}',
            "",
        )
        digest = entry_hash(prev, *fields)
        records.append(AuditRecord(i, *fields, prev_hash=prev, hash=digest))
        prev = digest
    return records


def test_sound_chain_has_no_broken_entry() -> None:
    assert first_broken(_chain(5)) is None
    assert first_broken([]) is None


def test_changed_content_is_the_first_broken_entry() -> None:
    records = _chain(5)
    records[2] = replace(records[2], after_json='{"role":"head"}')
    broken = first_broken(records)
    assert broken is not None and broken.id == 3


def test_removed_entry_breaks_the_link_of_the_next() -> None:
    records = _chain(5)
    del records[1]
    broken = first_broken(records)
    assert broken is not None and broken.id == 3


def test_rehashed_entry_still_breaks_the_next_link() -> None:
    records = _chain(4)
    forged = replace(records[1], reason="x")
    forged = replace(
        forged,
        hash=entry_hash(
            forged.prev_hash,
            forged.at,
            forged.actor,
            forged.action,
            forged.entity,
            forged.entity_key,
            forged.before_json,
            forged.after_json,
            "x",
        ),
    )
    records[1] = forged
    broken = first_broken(records)
    assert broken is not None and broken.id == 3
