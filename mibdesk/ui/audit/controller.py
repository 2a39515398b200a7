"""What the audit screen does, without widgets: the filtered entries as a table model, the
before/after values of one entry, and the chain verdict in words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mibdesk.core.i18n import _
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.audit_chain import AuditRecord
from mibdesk.core.services import accounts, audit_labels, audit_log
from mibdesk.core.services.audit_log import ChainVerdict
from mibdesk.core.table import Column, ListTableModel
from mibdesk.ui.context import UiContext


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the grid shows it."""

    number: str
    at: str
    actor: str
    action: str
    entity: str
    entity_key: str
    reason: str


def audit_columns() -> tuple[Column, ...]:
    return (
        Column("number", _("No."), "text", width_hint=3),
        Column("at", _("Time"), "text", width_hint=12),
        Column("actor", _("Actor"), "text", width_hint=6),
        Column("action", _("Action"), "text", width_hint=10),
        Column("entity", _("Entity"), "text", width_hint=5),
        Column("entity_key", _("Key"), "text", width_hint=8),
        Column("reason", _("Reason"), "text", width_hint=12),
    )


def local_time(stamp: str) -> str:
    """An audit time stamp (ISO 8601 with offset) as shown: ``2026-11-23 09:30:05``."""
    return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M:%S")


def audit_row(record: AuditRecord) -> AuditRow:
    return AuditRow(
        number=str(record.id),
        at=local_time(record.at),
        actor=record.actor,
        action=audit_labels.action_label(record.action),
        entity=audit_labels.entity_label(record.entity),
        entity_key=record.entity_key,
        reason=record.reason,
    )


def pretty_json(text: str) -> str:
    """Stored JSON indented for reading; "" for no value; text that is not JSON as it is."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if value is None:
        return ""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def verdict_text(verdict: ChainVerdict) -> str:
    if verdict.ok:
        return _("Intact: {n} entries, every link checks out.").format(n=verdict.entries)
    at = verdict.first_broken_at
    return _(
        "Broken at entry No. {id} ({time}): this entry was changed, or the one before it was "
        "removed, outside mibdesk."
    ).format(id=verdict.first_broken_id, time=local_time(at) if at else "")


class AuditController:
    """The audit entries matching a filter, newest first, and the chain check."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.records: list[AuditRecord] = []
        self.table: ListTableModel[AuditRow] = ListTableModel(audit_columns(), [])

    def load(self, flt: AuditFilter) -> None:
        """Read the entries matching `flt` (the grid's adapter must then be refreshed)."""
        self.records = audit_log.entries(self._ctx.store, flt)
        self.table.replace_rows(audit_row(record) for record in self.records)

    def actions(self) -> list[str]:
        return audit_log.actions(self._ctx.store)

    def actors(self) -> list[str]:
        """Every account, and everyone else who appears in the log (the program, unknown names)."""
        known = [user.username for user in accounts.list_users(self._ctx.store)]
        return known + [name for name in audit_log.actors(self._ctx.store) if name not in known]

    def record_at(self, row: int | None) -> AuditRecord | None:
        return None if row is None else self.records[row]

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, r in enumerate(self.records) if r.id == entry_id), None)

    def verify(
        self, on_verdict: Callable[[ChainVerdict], None], on_failed: Callable[[], None]
    ) -> None:
        """Walk the whole chain on the worker thread; `on_verdict(verdict)` follows on the GUI
        thread, or `on_failed()` and the task runner's error message if the check failed."""
        store, tasks, label = self._ctx.store, self._ctx.tasks, _("Verify the audit log")

        def failed(error: BaseException) -> None:
            on_failed()
            tasks.show_error(error, label)

        tasks.run(lambda _progress: audit_log.verify_chain(store), on_verdict, failed, label)
