"""Balance transfers in tables of their own: the city's issued versions (`city_transfer`)
and a county's received notices (`transfer_notice`), until now kept as JSON settings
(`city_transfer_issued/<year>/<scheme>`, `transfer_notices/<year>`). The settings' contents
move into the tables as they are, and the settings go.

Plain operations and SQL only: it runs the same on SQLite and PostgreSQL.

Revision ID: 0009
Revises: 0008
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ISSUED, RECEIVED = "city_transfer_issued/", "transfer_notices/"


def upgrade() -> None:
    issued = op.create_table(
        "city_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("doc_no", sa.String(length=80), nullable=False),
        sa.Column("doc_date", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.String(length=40), nullable=False),
        sa.Column("issued_by_name", sa.String(length=100), nullable=False),
        sa.Column("issued_at", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=40), nullable=False),
        sa.Column("profile_version", sa.Integer(), nullable=False),
        sa.Column("inputs_json", sa.Text(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("pdf_fingerprint", sa.String(length=19), nullable=False),
        sa.Column("sent_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "scheme", "version"),
    )
    received = op.create_table(
        "transfer_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=9), nullable=False),
        sa.Column("package_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("package_id"),
    )
    op.create_index("ix_transfer_notice_year", "transfer_notice", ["year"])
    bind = op.get_bind()
    settings = bind.execute(
        sa.text("SELECT key, value_json FROM setting WHERE key LIKE :a OR key LIKE :b"),
        {"a": ISSUED + "%", "b": RECEIVED + "%"},
    ).all()
    for key, value in settings:
        if key.startswith(ISSUED):
            _, year, scheme = key.split("/")
            rows = [_issued_row(int(year), scheme, e) for e in json.loads(value)["versions"]]
            if rows:
                op.bulk_insert(issued, rows)
        else:
            year = int(key.split("/")[1])
            rows = [_received_row(year, entry) for entry in json.loads(value)]
            if rows:
                op.bulk_insert(received, rows)
    bind.execute(
        sa.text("DELETE FROM setting WHERE key LIKE :a OR key LIKE :b"),
        {"a": ISSUED + "%", "b": RECEIVED + "%"},
    )


def _issued_row(year: int, scheme: str, entry: dict[str, Any]) -> dict[str, Any]:
    profile_id, profile_version = entry["profile"]
    return {
        "year": year,
        "scheme": scheme,
        "version": entry["version"],
        "doc_no": entry["doc_no"],
        "doc_date": entry["doc_date"],
        "reason": entry["reason"],
        "issued_by": entry["issued_by"],
        "issued_by_name": entry["issued_by_name"],
        "issued_at": entry["issued_at"],
        "profile_id": profile_id,
        "profile_version": profile_version,
        "inputs_json": json.dumps(entry["inputs"], sort_keys=True),
        "inputs_sha256": entry["inputs_sha256"],
        "result_json": json.dumps(entry["result"], ensure_ascii=False, sort_keys=True),
        "pdf_fingerprint": entry.get("pdf_fingerprint", ""),
        "sent_json": json.dumps(entry.get("sent", {}), sort_keys=True),
    }


def _received_row(year: int, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": year,
        "city": entry["city"],
        "package_id": entry["package_id"],
        "received_at": entry["received_at"],
        "data_json": json.dumps(entry["data"], ensure_ascii=False, sort_keys=True),
    }


def downgrade() -> None:
    bind = op.get_bind()
    by_key: dict[str, list[dict[str, Any]]] = {}
    for row in bind.execute(sa.text("SELECT * FROM city_transfer ORDER BY version")).mappings():
        entry = {
            "version": row["version"],
            "doc_no": row["doc_no"],
            "doc_date": row["doc_date"],
            "reason": row["reason"],
            "issued_by": row["issued_by"],
            "issued_by_name": row["issued_by_name"],
            "issued_at": row["issued_at"],
            "profile": [row["profile_id"], row["profile_version"]],
            "inputs": json.loads(row["inputs_json"]),
            "inputs_sha256": row["inputs_sha256"],
            "result": json.loads(row["result_json"]),
            "pdf_fingerprint": row["pdf_fingerprint"],
            "sent": json.loads(row["sent_json"]),
        }
        by_key.setdefault(f"{ISSUED}{row['year']}/{row['scheme']}", []).append(entry)
    kept = {key: {"versions": entries} for key, entries in by_key.items()}
    notices: dict[str, list[dict[str, Any]]] = {}
    for row in bind.execute(sa.text("SELECT * FROM transfer_notice ORDER BY id")).mappings():
        notices.setdefault(f"{RECEIVED}{row['year']}", []).append(
            {
                "city": row["city"],
                "package_id": row["package_id"],
                "received_at": row["received_at"],
                "data": json.loads(row["data_json"]),
            }
        )
    values = {**kept, **notices}
    for key, value in values.items():
        bind.execute(
            sa.text("INSERT INTO setting (key, value_json) VALUES (:k, :v)"),
            {"k": key, "v": json.dumps(value, ensure_ascii=False, sort_keys=True)},
        )
    op.drop_index("ix_transfer_notice_year", table_name="transfer_notice")
    op.drop_table("transfer_notice")
    op.drop_table("city_transfer")
