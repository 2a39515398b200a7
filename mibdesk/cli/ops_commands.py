"""Day-to-day operations: `health`, `diagnostics export`; and what runs around every command
(the resource check, the log file, a crash report for an unexpected error)."""

from __future__ import annotations

import argparse
import traceback
from pathlib import Path
from typing import Any

from mibdesk.cli.common import CommandFailed, add_common, data_dir, emit, opened_office
from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.logs import start_logging, write_crash_report
from mibdesk.core.paths import DataPaths
from mibdesk.core.resources import check_resources


def register(commands: Any) -> None:
    health = commands.add_parser("health", help=_("the office's health: the About screen's checks"))
    add_common(health)
    health.set_defaults(handler=run_health)

    diagnostics = commands.add_parser("diagnostics", help=_("diagnostics for support"))
    sub = diagnostics.add_subparsers(dest="diagnostics_command", required=True)
    export = sub.add_parser(
        "export", help=_("one zip: logs, versions, settings without secrets, database check")
    )
    add_common(export)
    export.add_argument("-o", "--output", required=True, type=Path, help=_("the zip to write"))
    export.set_defaults(handler=run_diagnostics_export)


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command: resources checked first, logged to `<data folder>/logs/cli.log`
    when the data folder exists; an unexpected error becomes a crash report and a message."""
    check_resources()
    folder = data_dir(args) if hasattr(args, "data_dir") else None
    logs = DataPaths(folder).logs if folder is not None and folder.is_dir() else None
    if logs is not None:
        start_logging(logs, "cli")
    try:
        return int(args.handler(args) or 0)
    except (UserError, CommandFailed, KeyboardInterrupt):
        raise
    except Exception as error:
        report = write_crash_report(logs, error, f"mibdesk-cli {args.command}") if logs else None
        if report is None:  # nowhere to save it: the details go to the console
            traceback.print_exception(error)
        raise CommandFailed(
            _(
                "An unexpected error stopped the command; nothing was half-written. "
                "{saved}If it happens again, export the diagnostics (mibdesk-cli diagnostics "
                "export) and send them to support."
            ).format(
                saved=_("A report was saved to {path}. ").format(path=report) if report else ""
            )
        ) from error


def run_health(args: argparse.Namespace) -> int:
    from mibdesk.core.services.health import LEVEL_LABELS, Level, health_report

    with opened_office(args) as store:
        report = health_report(store)
    lines = [
        _("[{level}] {title}: {text}").format(
            level=_(LEVEL_LABELS[check.level]), title=check.title, text=check.text
        )
        for check in report.checks
    ]
    emit(args, report, "\n".join(lines))
    return 1 if report.worst == Level.PROBLEM else 0


def run_diagnostics_export(args: argparse.Namespace) -> int:
    from mibdesk.core.services.diagnostics import export_diagnostics

    result = export_diagnostics(data_dir(args), args.output)
    text = _("Diagnostics written to {path} ({n} files). Send this file to support.").format(
        path=result.path, n=len(result.files)
    )
    if result.problems:
        text += "\n" + _("Not everything could be gathered: {problems}").format(
            problems="; ".join(result.problems)
        )
    emit(args, result, text)
    return 0
