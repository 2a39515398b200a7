"""Year-end settlement: the city's worksheet per year and what it typed into it, and the
settlement notices a county received.

Plain `op.create_*` only (no batch operations): it runs the same on SQLite and PostgreSQL.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settlement_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("saved_by", sa.String(length=40), nullable=False),
        sa.Column("saved_at", sa.String(length=32), nullable=False),
        sa.Column("finalised_by", sa.String(length=40), nullable=False),
        sa.Column("finalised_at", sa.String(length=32), nullable=False),
        sa.Column("profile_version", sa.Integer(), nullable=False),
        sa.Column("input_text", sa.Text(), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_fingerprint", sa.String(length=19), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year"),
    )
    op.create_table(
        "settlement_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=9), nullable=False),
        sa.Column("scheme", sa.String(length=10), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["settlement_sheet.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sheet_id", "county", "scheme", "field"),
    )
    op.create_table(
        "settlement_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=9), nullable=False),
        sa.Column("package_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("package_id"),
    )
    op.create_index(op.f("ix_settlement_notice_year"), "settlement_notice", ["year"])


def downgrade() -> None:
    op.drop_index(op.f("ix_settlement_notice_year"), table_name="settlement_notice")
    op.drop_table("settlement_notice")
    op.drop_table("settlement_entry")
    op.drop_table("settlement_sheet")
