"""Where an office's files live inside its data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "mibdesk"


def default_data_dir() -> Path:
    """The per-user data folder (platformdirs), e.g. %LOCALAPPDATA%\\mibdesk on Windows."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_demo_dir() -> Path:
    return default_data_dir() / "demo"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "mibdesk.sqlite"

    @property
    def database_url_file(self) -> Path:
        """Present when the office's database is on a server (a city's PostgreSQL): one line,
        its URL; absent for the default SQLite file (docs/decisions.md "City office")."""
        return self.root / "database-url.txt"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def lock(self) -> Path:
        """Held (an OS lock) by the one process that may write to the office."""
        return self.root / "mibdesk.lock"

    @property
    def set_aside(self) -> Path:
        """Databases moved out of the way by a restore; never deleted by the program."""
        return self.root / "set-aside"
