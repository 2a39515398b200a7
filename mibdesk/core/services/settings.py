"""Office settings: each declared once with its type, default and check (Picard's options).

Settings live in the office database, so they travel with its backups; every change is
audited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import LANGUAGES, N_, _
from mibdesk.core.repos import audit, office
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store

SettingValue = str | int | bool


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str  # English msgid, translated where shown
    default: SettingValue
    check: Callable[[SettingValue], str | None] | None = None  # the problem, or None


def _int_range(low: int, high: int) -> Callable[[SettingValue], str | None]:
    def check(value: SettingValue) -> str | None:
        if isinstance(value, int) and low <= value <= high:
            return None
        return _("must be a whole number from {low} to {high}").format(low=low, high=high)

    return check


def _language(value: SettingValue) -> str | None:
    return None if value in LANGUAGES else _("must be one of the offered languages")


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("language", N_("Interface language"), "zh_CN", _language),
        SettingSpec("demo_office", N_("Demo office (fictional data)"), False),
        SettingSpec("drop_folder", N_("Drop folder"), ""),
        SettingSpec("sync_minutes", N_("Sync with the drop folder every"), 10, _int_range(1, 1440)),
        SettingSpec("backup_dir", N_("Backup folder (empty: inside the data folder)"), ""),
        SettingSpec("daily_backup", N_("Back up automatically every day"), True),
        SettingSpec(
            "idle_lock_minutes", N_("Lock the window after idle minutes"), 10, _int_range(1, 240)
        ),
        SettingSpec(
            "lockout_attempts", N_("Failed logins before an account locks"), 5, _int_range(3, 20)
        ),
        SettingSpec(
            "lockout_minutes", N_("Minutes an account stays locked"), 15, _int_range(1, 1440)
        ),
    )
}


def _validate(key: str, value: SettingValue) -> None:
    spec = SPECS.get(key)
    if spec is None:
        raise ValidationError(_("Unknown setting {key}.").format(key=key))
    if type(value) is not type(spec.default):
        raise ValidationError(_("Wrong type of value."), where=_(spec.label))
    if spec.check is not None:
        problem = spec.check(value)
        if problem:
            raise ValidationError(problem, where=_(spec.label))


def load_settings(store: Store) -> dict[str, SettingValue]:
    """Every declared setting, with its default where the office has not set it."""
    with store.read() as session:
        stored = office.setting_values(session)
    values: dict[str, SettingValue] = {}
    for key, spec in SPECS.items():
        raw = stored.get(key)
        value = json.loads(raw) if raw is not None else spec.default
        values[key] = value if type(value) is type(spec.default) else spec.default
    return values


def change_settings(
    store: Store, actor: Actor, updates: dict[str, SettingValue]
) -> Outcome[dict[str, SettingValue]]:
    """Validate every update first; then write all of them and their audit in one transaction."""
    require(actor, Permission.CHANGE_SETTINGS)
    for key, value in updates.items():
        _validate(key, value)
    before = load_settings(store)
    changed = {k: v for k, v in updates.items() if before.get(k) != v}
    if not changed:
        return Outcome(before)
    with store.write() as session:
        for key, value in changed.items():
            office.put_setting(session, key, json.dumps(value, ensure_ascii=False))
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="settings.change",
            entity="setting",
            entity_key=",".join(sorted(changed)),
            before={k: before[k] for k in changed},
            after=changed,
        )
    return Outcome(load_settings(store), Changes.of(Area.SETTINGS, Area.AUDIT))


def write_initial_settings(store: Store, values: dict[str, SettingValue]) -> None:
    """Used by office setup, inside no transaction of its own caller (setup audits itself)."""
    for key, value in values.items():
        _validate(key, value)
    with store.write() as session:
        for key, value in values.items():
            office.put_setting(session, key, json.dumps(value, ensure_ascii=False))
