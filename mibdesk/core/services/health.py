"""The office's health: what the About screen shows and `mibdesk-cli health` prints.

`gather(store)` reads the facts: it runs a full integrity check and looks at the drop folder,
which may wait on a network drive, so the GUI runs it off the GUI thread. `judge(facts,
today)` turns them into checks, each with a level and a sentence in the interface language
that says what is wrong and what to do; it is a pure function.

Levels: ok; info (nothing to do); warning (do something soon); problem (do something now).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from mibdesk.core.db.engine import integrity_check, shown_url
from mibdesk.core.i18n import N_, _
from mibdesk.core.logs import program_versions
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.services import audit_log
from mibdesk.core.services.backup import KIND_LABELS, backup_dir, list_backups
from mibdesk.core.services.calendar import calendar_status
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.store import Store

CERTIFICATE_WARNING_DAYS = 30
CALENDAR_WARNING_FROM = (11, 1)  # month, day: next year's calendar is wanted from then
LOW_DISK_BYTES = 500 * 1024 * 1024
BACKUP_LAG = timedelta(days=1)  # changes older than this should be in a backup


class Level(StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    PROBLEM = "problem"


LEVEL_LABELS = {
    Level.OK: N_("OK"),
    Level.INFO: N_("Note"),
    Level.WARNING: N_("Attention"),
    Level.PROBLEM: N_("Problem"),
}
_SEVERITY = list(Level)


@dataclass(frozen=True)
class HealthFacts:
    """What `gather` found. Times of backups and changes are local to the office's clock."""

    versions: Mapping[str, str]
    data_folder: Path
    free_bytes: int
    database_server: str  # the server's URL (no password) for PostgreSQL; "" for SQLite
    database_bytes: int
    integrity: str  # SQLite's verdict, "ok" when sound; "" on a server
    backup_folder: Path
    last_backup: datetime | None
    last_backup_kind: str
    last_change: datetime | None
    drop_folder: str
    drop_problem: str  # "" when the folder is reachable and writable (or not set)
    key_present: bool
    certificate_expires: date | None  # None: no readable certificate copy
    calendar_years: tuple[int, ...]


@dataclass(frozen=True)
class HealthCheck:
    key: str
    level: Level
    title: str
    text: str


@dataclass(frozen=True)
class HealthReport:
    checks: tuple[HealthCheck, ...]
    facts: HealthFacts

    @property
    def worst(self) -> Level:
        return max((check.level for check in self.checks), key=_SEVERITY.index)


def health_report(store: Store) -> HealthReport:
    """Gather and judge, as of the store's clock."""
    facts = gather(store)
    return HealthReport(tuple(judge(facts, store.clock().date())), facts)


def gather(store: Store) -> HealthFacts:
    from mibdesk.core.services.forms import key_path
    from mibdesk.core.signing.keys import certificate_copy

    paths = store.paths
    settings = load_settings(store)
    folder = backup_dir(store)
    backups = list_backups(folder)
    changes = audit_log.entries(store, AuditFilter(limit=1))
    zone = store.clock().tzinfo
    last_change = (
        datetime.fromisoformat(changes[0].at).astimezone(zone).replace(tzinfo=None)
        if changes
        else None
    )
    key = key_path(store)
    drop = str(settings["drop_folder"])
    server = shown_url(str(store.engine.url)) if store.on_server else ""
    return HealthFacts(
        versions=program_versions(),
        data_folder=paths.root,
        free_bytes=shutil.disk_usage(paths.root).free,
        database_server=server,
        database_bytes=sum(
            file.stat().st_size
            for file in (paths.database, paths.database.with_name(paths.database.name + "-wal"))
            if file.exists() and not server
        ),
        integrity="" if server else integrity_check(paths.database),
        backup_folder=folder,
        last_backup=backups[0].taken_at if backups else None,
        last_backup_kind=backups[0].kind if backups else "",
        last_change=last_change,
        drop_folder=drop,
        drop_problem=_drop_problem(Path(drop)) if drop else "",
        key_present=key.exists(),
        certificate_expires=_certificate_expiry(certificate_copy(key)),
        calendar_years=tuple(status.year for status in calendar_status(store)),
    )


def _drop_problem(folder: Path) -> str:
    try:
        if not folder.is_dir():
            return _("the folder does not exist or is not connected")
        if not os.access(folder, os.W_OK):
            return _("this computer may not write to it")
    except OSError as error:
        return error.strerror or str(error)
    return ""


def _certificate_expiry(path: Path) -> date | None:
    from mibdesk.core.errors import UserError
    from mibdesk.core.signing.keys import certificates_from

    if not path.exists():
        return None
    try:
        found = certificates_from([path])
    except (UserError, OSError):
        return None
    return found[0].not_valid_after_utc.date() if found else None


def judge(facts: HealthFacts, today: date) -> list[HealthCheck]:
    """One check per subject, in the order the About screen shows them."""
    return [
        _versions(facts),
        _data_folder(facts),
        _database(facts),
        _backup(facts),
        _drop_folder(facts),
        _certificate(facts, today),
        _calendar(facts, today),
    ]


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:,.1f} MB"


def _versions(facts: HealthFacts) -> HealthCheck:
    text = " · ".join(f"{name} {value}" for name, value in facts.versions.items())
    return HealthCheck("versions", Level.INFO, _("Versions"), text)


def _data_folder(facts: HealthFacts) -> HealthCheck:
    title = _("Data folder")
    if facts.free_bytes < LOW_DISK_BYTES:
        text = _(
            "{path}: only {free} free on its disk. Backups need room; free some space."
        ).format(path=facts.data_folder, free=_megabytes(facts.free_bytes))
        return HealthCheck("data_folder", Level.WARNING, title, text)
    text = _("{path} ({free} free)").format(
        path=facts.data_folder, free=_megabytes(facts.free_bytes)
    )
    return HealthCheck("data_folder", Level.OK, title, text)


def _database(facts: HealthFacts) -> HealthCheck:
    title = _("Database")
    if facts.database_server:
        text = _(
            "On the server {url}; its checks and backups are the server administrator's."
        ).format(url=facts.database_server)
        return HealthCheck("database", Level.INFO, title, text)
    size = _megabytes(facts.database_bytes)
    if facts.integrity == "ok":
        text = _("{size}; the integrity check found no fault.").format(size=size)
        return HealthCheck("database", Level.OK, title, text)
    text = _(
        "{size}; the integrity check failed ({detail}). Stop entering data and let a head "
        "restore the last good backup (Settings, Backups)."
    ).format(size=size, detail=facts.integrity)
    return HealthCheck("database", Level.PROBLEM, title, text)


def _backup(facts: HealthFacts) -> HealthCheck:
    title = _("Last backup")
    if facts.database_server:
        text = _(
            "This office's database is on a PostgreSQL server: it is backed up there "
            "(pg_dump) by the server's administrator, not by mibdesk."
        )
        return HealthCheck("backup", Level.INFO, title, text)
    if facts.last_backup is None:
        text = _(
            "No backup in {folder} yet. Take one now (Settings, Back up now; or mibdesk-cli "
            "backup)."
        ).format(folder=facts.backup_folder)
        return HealthCheck("backup", Level.WARNING, title, text)
    taken = f"{facts.last_backup:%Y-%m-%d %H:%M}"
    if facts.last_change is not None and facts.last_change - facts.last_backup > BACKUP_LAG:
        text = _(
            "The last backup is from {taken}; changes made since then (the latest on "
            "{changed}) are in no backup. Check the backup folder {folder} and take a backup now."
        ).format(taken=taken, changed=f"{facts.last_change:%Y-%m-%d}", folder=facts.backup_folder)
        return HealthCheck("backup", Level.WARNING, title, text)
    kind = _(KIND_LABELS[facts.last_backup_kind]) if facts.last_backup_kind in KIND_LABELS else ""
    text = _("{taken} ({kind}), in {folder}").format(
        taken=taken, kind=kind, folder=facts.backup_folder
    )
    return HealthCheck("backup", Level.OK, title, text)


def _drop_folder(facts: HealthFacts) -> HealthCheck:
    title = _("Drop folder")
    if not facts.drop_folder:
        text = _(
            "No drop folder is set, so packages can be neither sent nor received. Set it in "
            "Settings."
        )
        return HealthCheck("drop_folder", Level.WARNING, title, text)
    if facts.drop_problem:
        text = _(
            "{path} cannot be used: {reason}. Check the network connection and the shared "
            "drive, or correct the folder in Settings."
        ).format(path=facts.drop_folder, reason=facts.drop_problem)
        return HealthCheck("drop_folder", Level.PROBLEM, title, text)
    text = _("{path} is reachable.").format(path=facts.drop_folder)
    return HealthCheck("drop_folder", Level.OK, title, text)


def _certificate(facts: HealthFacts, today: date) -> HealthCheck:
    title = _("Signing certificate")
    if not facts.key_present:
        text = _(
            "The office has no signing key yet; a head creates one before signing forms "
            "(mibdesk-cli keys create)."
        )
        return HealthCheck("certificate", Level.INFO, title, text)
    expires = facts.certificate_expires
    if expires is None:
        text = _(
            "The key file has no readable certificate copy beside it (keys/office.crt), so "
            "its expiry cannot be shown. Creating or importing the key again writes one."
        )
        return HealthCheck("certificate", Level.INFO, title, text)
    days = (expires - today).days
    if days < 0:
        text = _(
            "The office certificate expired on {date}: forms can no longer be signed. A head "
            "must create or import a new key."
        ).format(date=expires.isoformat())
        return HealthCheck("certificate", Level.PROBLEM, title, text)
    if days <= CERTIFICATE_WARNING_DAYS:
        text = _(
            "The office certificate expires on {date}, in {days} days. A head should create "
            "or import a new key now and give the new certificate to the city."
        ).format(date=expires.isoformat(), days=days)
        return HealthCheck("certificate", Level.WARNING, title, text)
    text = _("Valid until {date}.").format(date=expires.isoformat())
    return HealthCheck("certificate", Level.OK, title, text)


def _calendar(facts: HealthFacts, today: date) -> HealthCheck:
    title = _("Working-day calendar")
    year, years = today.year, facts.calendar_years
    if year not in years:
        text = _(
            "There is no working-day calendar for {year}, so deadlines cannot be counted. "
            "Import the calendar file from the city (Settings, Working-day calendar)."
        ).format(year=year)
        return HealthCheck("calendar", Level.PROBLEM, title, text)
    if year + 1 in years:
        text = _("Present for {year} and {next}.").format(year=year, next=year + 1)
        return HealthCheck("calendar", Level.OK, title, text)
    if (today.month, today.day) >= CALENDAR_WARNING_FROM:
        text = _(
            "There is no working-day calendar for {next} yet. Import the calendar file from "
            "the city before January (Settings, Working-day calendar)."
        ).format(next=year + 1)
        return HealthCheck("calendar", Level.WARNING, title, text)
    text = _("Present for {year}; the calendar for {next} is needed from 1 November.").format(
        year=year, next=year + 1
    )
    return HealthCheck("calendar", Level.OK, title, text)
