"""Export diagnostics: one zip file an office sends to support.

The zip holds `versions.json`; `office.json` (name, code, level, profile, data folder and
whatever could not be gathered); `settings.json` with every secret-looking setting hidden;
`health.json` (every health check, the full integrity result among them); `backups.json`
(name, time, kind, size of each backup); and `logs/` (log files and crash reports). Never
the database, backups themselves, key files, passwords or figures.

It still works when the office cannot be opened (a damaged database, a newer schema): then
it says why in `office.json` and carries the logs, versions and the database file's
integrity result, which is when support needs them most.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mibdesk.core.db.engine import integrity_check
from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.logs import program_versions
from mibdesk.core.paths import DataPaths
from mibdesk.core.services.backup import backup_dir, create_backup, list_backups
from mibdesk.core.services.health import health_report
from mibdesk.core.services.settings import SettingValue, load_settings
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store, open_store

SECRET_WORDS = ("password", "secret", "token", "key")
HIDDEN = "(hidden)"


@dataclass(frozen=True)
class DiagnosticsExport:
    path: Path
    files: tuple[str, ...]  # the names inside the zip
    problems: tuple[str, ...]  # what could not be gathered, and why


def redacted(settings: dict[str, SettingValue]) -> dict[str, SettingValue]:
    """The settings with the value of every key that names a secret replaced by HIDDEN."""
    return {
        key: HIDDEN if any(word in key.lower() for word in SECRET_WORDS) else value
        for key, value in settings.items()
    }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _office_parts(store: Store) -> dict[str, str]:
    """The JSON members that need the open office."""
    info = office_info(store)
    report = health_report(store)
    return {
        "office.json": _dump({**asdict(info), "data_folder": store.paths.root, "problems": []}),
        "settings.json": _dump(redacted(load_settings(store))),
        "health.json": _dump(asdict(report)),
        "backups.json": _dump([asdict(b) for b in list_backups(backup_dir(store))]),
    }


def _fallback_parts(paths: DataPaths, problem: str) -> dict[str, str]:
    """The JSON members when the office cannot be opened."""
    database = paths.database
    verdict = integrity_check(database) if database.exists() else _("no database file")
    return {
        "office.json": _dump(
            {"data_folder": paths.root, "integrity": verdict, "problems": [problem]}
        ),
        "backups.json": _dump([asdict(b) for b in list_backups(paths.backups)]),
    }


def export_diagnostics(
    data_dir: Path, target: Path, *, store: Store | None = None
) -> DiagnosticsExport:
    """Write the diagnostics zip of the office in `data_dir` to `target` (replaced whole).

    `store`: the office if it is open already; otherwise it is opened here (and closed).
    """
    import zipfile

    paths = DataPaths(data_dir)
    problems: list[str] = []
    try:
        if store is not None:
            parts = _office_parts(store)
        else:
            opened = open_store(
                data_dir, backup_before_migration=lambda s: create_backup(s, "pre-migration")
            )
            try:
                parts = _office_parts(opened)
            finally:
                opened.close()
    except UserError as error:
        problems.append(str(error))
        parts = _fallback_parts(paths, str(error))
    parts["versions.json"] = _dump(program_versions())
    logs = sorted(p for p in paths.logs.glob("*") if p.is_file()) if paths.logs.is_dir() else []
    temp = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in sorted(parts.items()):
                archive.writestr(name, text)
            for log_file in logs:
                archive.write(log_file, f"logs/{log_file.name}")
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise UserError(
            _("Could not write {path}: {reason}").format(path=target, reason=error)
        ) from error
    names = (*sorted(parts), *(f"logs/{p.name}" for p in logs))
    return DiagnosticsExport(target, names, tuple(problems))
