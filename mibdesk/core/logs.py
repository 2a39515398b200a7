"""Log files and crash reports in the office's `logs/` folder (stdlib logging only).

`start_logging(folder, program)` sends records of level INFO and up to `<folder>/<program>.log`,
rotated at 1 MB with 5 older files kept. The GUI writes `gui.log` and the command line
`cli.log`, so two programs never rotate the same file. Starting costs one small append.

`write_crash_report(folder, error, where)` writes `crash-<time>.txt` (time, versions, where,
traceback) beside the logs; the newest `KEEP_CRASH_REPORTS` are kept.

What is logged are events and errors, never passwords, keys or figures: diagnostics send the
whole folder to support.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path

from mibdesk import __version__

LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
KEEP_CRASH_REPORTS = 20
CRASH_PREFIX = "crash-"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
HANDLER_NAME = "mibdesk-log-file"  # the root handler start_logging adds

log = logging.getLogger(__name__)


def start_logging(folder: Path, program: str) -> Path | None:
    """Log to `<folder>/<program>.log`; the log file, or None when the folder cannot be
    written (then Python's last-resort handler prints warnings to the console). A second call
    replaces the file of the first."""
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    path = folder / f"{program}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file = RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        log.warning("no log file in %s: %s", folder, error)
        return None
    file.set_name(HANDLER_NAME)
    file.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(file)
    root.setLevel(logging.INFO)
    log.info("mibdesk %s %s started (process %d)", __version__, program, os.getpid())
    return path


def program_versions() -> dict[str, str]:
    """mibdesk, Python, the Qt binding, SQLite and the operating system, as text."""
    import platform
    import sqlite3
    from importlib import metadata

    try:
        qt = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        qt = "-"
    return {
        "mibdesk": __version__,
        "Python": f"{platform.python_version()} ({platform.architecture()[0]})",
        "PySide6 (Qt)": qt,
        "SQLite": sqlite3.sqlite_version,
        "System": platform.platform(),
        "Environment": "bundle" if getattr(sys, "frozen", False) else sys.prefix,
    }


def write_crash_report(folder: Path, error: BaseException, where: str) -> Path | None:
    """Write a crash report of `error` (raised in `where`) into `folder`; its path, or None
    when it cannot be written. Logs the error with its traceback too; never raises."""
    log.error("unexpected error in %s", where, exc_info=error)
    now = datetime.now().astimezone()
    lines = [
        f"mibdesk crash report {now.isoformat(timespec='seconds')}",
        f"where: {where} (thread {threading.current_thread().name}, process {os.getpid()})",
        *(f"{name}: {value}" for name, value in program_versions().items()),
        "",
        *traceback.format_exception(error),
    ]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = _free_name(folder, f"{CRASH_PREFIX}{now:%Y%m%d-%H%M%S}")
        path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", encoding="utf-8")
        _prune_crash_reports(folder)
    except OSError as problem:
        log.error("crash report not written to %s: %s", folder, problem)
        return None
    return path


def _free_name(folder: Path, stem: str) -> Path:
    path, counter = folder / f"{stem}.txt", 1
    while path.exists():
        counter += 1
        path = folder / f"{stem}-{counter}.txt"
    return path


def _prune_crash_reports(folder: Path) -> None:
    reports = sorted(
        folder.glob(f"{CRASH_PREFIX}*.txt"), key=lambda p: p.stat().st_mtime_ns, reverse=True
    )
    for old in reports[KEEP_CRASH_REPORTS:]:
        old.unlink(missing_ok=True)
