"""Migrations on both databases: every revision upgrades to head with its data, the schema
equals the models, the city's revision 0006 goes down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import fresh_url
from sqlalchemy import Engine, inspect, text

from mibdesk.core.db import migrate
from mibdesk.core.db.engine import make_engine


@pytest.fixture
def engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    with fresh_url(backend, str(tmp_path / "schema.sqlite")) as url:
        made = make_engine(url)
        yield made
        made.dispose()


def test_an_empty_database_has_no_revision(engine: Engine) -> None:
    assert migrate.current_revision(engine) is None
    assert migrate.needs_upgrade(engine)


@pytest.mark.parametrize("revision", migrate.known_revisions())
def test_every_revision_upgrades_to_head_with_its_data(engine: Engine, revision: str) -> None:
    migrate.upgrade(engine, revision)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO setting (key, value_json) VALUES ('language', '\"en\"')")
        )
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision() == "0008"
    with engine.connect() as connection:
        value = connection.execute(text("SELECT value_json FROM setting")).scalar()
    assert value == '"en"'


def test_the_schema_is_the_models(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mibdesk.core.db.models import Base

    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_the_city_revision_goes_down_and_up(engine: Engine) -> None:
    from alembic import command

    migrate.upgrade(engine)
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    tables = set(inspect(engine).get_table_names())
    assert "city_application" not in tables and "county_report" in tables
    migrate.upgrade(engine)
    assert {"city_allocation", "city_application_item"} <= set(inspect(engine).get_table_names())


def test_the_settlement_revision_goes_down_and_up(engine: Engine) -> None:
    from alembic import command

    migrate.upgrade(engine)
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    tables = set(inspect(engine).get_table_names())
    assert "settlement_sheet" not in tables and "city_application" in tables
    migrate.upgrade(engine)
    assert {"settlement_sheet", "settlement_entry", "settlement_notice"} <= set(
        inspect(engine).get_table_names()
    )


def test_the_import_storage_revision_goes_down_and_up(engine: Engine) -> None:
    """0008 keeps received files in the database and drops the audit hashes' unique index;
    going down puts the index back, and both come again on the way up."""
    from alembic import command

    def audit_uniques() -> list[list[str]]:
        return [u["column_names"] for u in inspect(engine).get_unique_constraints("audit_entry")]

    migrate.upgrade(engine)
    assert "exchange_inbox_file" in inspect(engine).get_table_names()
    assert audit_uniques() == []
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    assert "exchange_inbox_file" not in inspect(engine).get_table_names()
    assert audit_uniques() == [["hash"]]
    migrate.upgrade(engine)
    assert "exchange_inbox_file" in inspect(engine).get_table_names()
    assert audit_uniques() == []
