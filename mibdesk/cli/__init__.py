"""mibdesk-cli: headless commands over the same services as the GUI.

Every command takes `--data-dir` (default: the per-user data folder) and, where it prints
results, `--json`. Passwords come from the environment variable MIBDESK_PASSWORD (scripted
use) or are asked for on the terminal; they are never taken as arguments.
Exit codes: 0 done, 1 refused or failed (the message says why), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mibdesk import __version__
from mibdesk.cli import (
    exchange_commands,
    figure_commands,
    office_commands,
    ops_commands,
    pdf_commands,
    plan_commands,
    settle_commands,
    transfer_commands,
    user_commands,
)
from mibdesk.cli.common import CommandFailed, print_error
from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mibdesk-cli",
        description=_("mibdesk without a window: the same office, the same rules."),
    )
    parser.add_argument("--version", action="version", version=f"mibdesk {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    office_commands.register(commands)
    user_commands.register(commands)
    figure_commands.register(commands)
    plan_commands.register(commands)
    pdf_commands.register(commands)
    ops_commands.register(commands)
    settle_commands.register(commands)
    transfer_commands.register(commands)
    exchange_commands.register(commands)  # after pdf_commands: shares `keys`
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = ops_commands.run_command(args)
    except (UserError, CommandFailed) as error:
        print_error(str(error))
        return 1
    except KeyboardInterrupt:
        print_error(_("Interrupted; nothing was half-written."))
        return 1
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
