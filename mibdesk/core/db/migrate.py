"""Schema migrations (Alembic), run at start-up after a verified backup.

A database whose schema is newer than this program knows is refused rather than touched.
`REVISIONS` lists the migrations in order so that the everyday start (nothing to migrate)
reads one row instead of importing Alembic; a test keeps it equal to Alembic's own history.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from mibdesk.core.errors import StoreError
from mibdesk.core.i18n import _

if TYPE_CHECKING:
    from alembic.config import Config

REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")
_MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def known_revisions() -> list[str]:
    """Every revision this program knows, oldest first (from Alembic's scripts)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def head_revision() -> str:
    return REVISIONS[-1]


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (None for an empty one)."""
    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except (OperationalError, ProgrammingError):  # no table: SQLite / PostgreSQL
            return None
    return str(row[0]) if row else None


def needs_upgrade(engine: Engine) -> bool:
    """True when the database is behind; StoreError when it is ahead of this program."""
    current = current_revision(engine)
    if current is not None and current not in REVISIONS:
        raise StoreError(
            _(
                "This database was written by a newer version of mibdesk (schema {rev}). "
                "Install the newer version; this one will not open it, to avoid damaging it."
            ).format(rev=current)
        )
    return current != head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` in one transaction."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
