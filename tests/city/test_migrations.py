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
    assert migrate.current_revision(engine) == migrate.head_revision() == "0009"
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


ISSUED_2026 = {
    "versions": [
        {
            "version": 1,
            "doc_no": "绍医保〔2027〕3号",
            "doc_date": "2027-01-20",
            "reason": "",
            "issued_by": "zhangli",
            "issued_by_name": "张丽",
            "issued_at": "2027-01-20T10:00:00+08:00",
            "profile": ["shaoxing", 1],
            "inputs": {"pooled_fund": 100, "citywide_spending": 1200, "balances": {}},
            "inputs_sha256": "a" * 64,
            "result": {"method": "shaoxing_share", "total": 0, "working": [], "counties": []},
            "pdf_fingerprint": "ABCD-EFGH-JKLM-NPQR",
            "sent": {"330602": "f" * 32},
        }
    ]
}
NOTICES_2026 = [
    {
        "city": "330600",
        "package_id": "e" * 32,
        "received_at": "2027-01-21T09:00:00+08:00",
        "data": {"year": 2026, "scheme": "EMP", "version": 1, "county": {"transfer": 12_300}},
    }
]


def test_transfers_move_from_settings_to_their_tables_and_back(engine: Engine) -> None:
    """0009 moves the issued versions and received notices, as they were, out of their JSON
    settings into `city_transfer` and `transfer_notice`; a downgrade puts them back."""
    import json

    from alembic import command
    from sqlalchemy.orm import Session

    from mibdesk.core.repos import transfers

    migrate.upgrade(engine, "0008")
    kept = {
        "city_transfer_issued/2026/EMP": ISSUED_2026,
        "transfer_notices/2026": NOTICES_2026,
        "language": "zh_CN",
    }
    with engine.begin() as connection:
        for key, value in kept.items():
            connection.execute(
                text("INSERT INTO setting (key, value_json) VALUES (:k, :v)"),
                {"k": key, "v": json.dumps(value, ensure_ascii=False)},
            )
    migrate.upgrade(engine)
    with Session(engine) as session:
        assert transfers.issued(session, 2026, "EMP") == ISSUED_2026["versions"]
        assert transfers.received(session, 2026) == [
            ("330600", "e" * 32, "2027-01-21T09:00:00+08:00", NOTICES_2026[0]["data"])
        ]
    with engine.connect() as connection:
        keys = {key for (key,) in connection.execute(text("SELECT key FROM setting"))}
    assert keys == {"language"}
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    with engine.connect() as connection:
        back = {
            key: json.loads(value)
            for key, value in connection.execute(text("SELECT key, value_json FROM setting"))
        }
    assert back == kept
