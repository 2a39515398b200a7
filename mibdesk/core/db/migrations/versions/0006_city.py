"""The city office: published quota allocations, the city's applications to finance, and
indexes for the month-by-month overview of what the counties sent.

Plain `op.create_*` only (no batch operations): it runs the same on SQLite and PostgreSQL.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_county_report_period", "county_report", ["period", "scheme"])
    op.create_index("ix_county_plan_period", "county_plan", ["period", "scheme"])
    op.create_table(
        "city_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("doc_no", sa.String(length=80), nullable=False),
        sa.Column("doc_date", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("working_json", sa.Text(), nullable=False),
        sa.Column("published_by", sa.String(length=40), nullable=False),
        sa.Column("published_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_city_allocation_year", "city_allocation", ["scheme", "year"])
    op.create_table(
        "city_allocation_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=9), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("package_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["allocation_id"], ["city_allocation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("allocation_id", "county"),
    )
    op.create_table(
        "city_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=10), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("applied_on", sa.String(length=10), nullable=True),
        sa.Column("applied_by", sa.String(length=40), nullable=False),
        sa.Column("pdf_fingerprint", sa.String(length=19), nullable=False),
        sa.Column("funded_amount", sa.BigInteger(), nullable=True),
        sa.Column("funded_on", sa.String(length=10), nullable=True),
        sa.Column("funded_doc", sa.String(length=80), nullable=False),
        sa.Column("funded_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scheme", "period", "number"),
    )
    op.create_table(
        "city_application_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["city_application.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["county_plan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("application_id", "plan_id"),
    )
    op.create_index(
        op.f("ix_city_application_item_plan_id"), "city_application_item", ["plan_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_city_application_item_plan_id"), table_name="city_application_item")
    op.drop_table("city_application_item")
    op.drop_table("city_application")
    op.drop_table("city_allocation_line")
    op.drop_index("ix_city_allocation_year", table_name="city_allocation")
    op.drop_table("city_allocation")
    op.drop_index("ix_county_plan_period", table_name="county_plan")
    op.drop_index("ix_county_report_period", table_name="county_report")
