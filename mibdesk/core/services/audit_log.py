"""Reading and verifying the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.i18n import N_, _
from mibdesk.core.repos import audit
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.audit_chain import AuditRecord, first_broken
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    entries: int
    first_broken_id: int | None
    first_broken_at: str | None


def verify_chain(store: Store) -> ChainVerdict:
    """Walk the whole chain; name the first entry whose hash or link does not fit."""
    with store.read() as session:
        count = audit.count(session)
        broken = first_broken(audit.iter_all(session))
    if broken is None:
        return ChainVerdict(True, count, None, None)
    return ChainVerdict(False, count, broken.id, broken.at)


def entries(store: Store, flt: AuditFilter) -> list[AuditRecord]:
    with store.read() as session:
        return audit.query(session, flt)


def actions(store: Store) -> list[str]:
    with store.read() as session:
        return audit.distinct_actions(session)


def actors(store: Store) -> list[str]:
    """Everyone who appears in the log, failed logins of unknown names included."""
    with store.read() as session:
        return audit.distinct_actors(session)


ACTION_LABELS = {
    "office.setup": N_("Office set up"),
    "settings.change": N_("Settings changed"),
    "calendar.import": N_("Calendar imported"),
    "backup.restore": N_("Backup restored"),
    "login.ok": N_("Logged in"),
    "login.demo": N_("Opened the demo office"),
    "login.failed": N_("Wrong password"),
    "login.unknown_user": N_("Unknown username"),
    "login.inactive": N_("Login to a disabled account"),
    "login.while_locked": N_("Login to a locked account"),
    "user.add": N_("Account added"),
    "user.locked": N_("Account locked after wrong passwords"),
    "user.lock": N_("Account locked"),
    "user.unlock": N_("Account unlocked"),
    "user.enable": N_("Account enabled"),
    "user.disable": N_("Account disabled"),
    "user.role": N_("Role changed"),
    "user.reset_password": N_("Password reset"),
    "user.change_password": N_("Password changed"),
}


ENTITY_LABELS = {
    "office": N_("Office"),
    "user": N_("Account"),
    "setting": N_("Setting"),
    "calendar_year": N_("Working-day calendar"),
    "database": N_("Database"),
}


def entity_label(entity: str) -> str:
    label = ENTITY_LABELS.get(entity)
    return _(label) if label else entity


def action_label(action: str) -> str:
    """The action in words (the code itself for an action this version does not know)."""
    label = ACTION_LABELS.get(action)
    return _(label) if label else action
