"""Budget adjustments; who recorded a quota; the plan workflow, decisions and suggestions.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quota_adjustment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scheme", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("doc_no", sa.String(80), nullable=False),
        sa.Column("doc_date", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_quota_adjustment_year", "quota_adjustment", ["scheme", "year"])
    with op.batch_alter_table("quota") as batch:
        batch.add_column(sa.Column("recorded_by", sa.String(40), nullable=False, server_default=""))
        batch.add_column(sa.Column("recorded_at", sa.String(32), nullable=False, server_default=""))
    with op.batch_alter_table("fund_plan") as batch:
        batch.add_column(sa.Column("reviewed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("signed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("decided_on", sa.String(10), nullable=True))
        batch.add_column(sa.Column("decision_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("created_at", sa.String(32), nullable=False, server_default=""))
        batch.create_foreign_key("fk_fund_plan_reviewed_by", "user_account", ["reviewed_by"], ["id"])
        batch.create_foreign_key("fk_fund_plan_signed_by", "user_account", ["signed_by"], ["id"])
    with op.batch_alter_table("fund_plan_line") as batch:
        batch.add_column(sa.Column("suggested", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("suggestion_method", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("decision_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("fund_plan_line") as batch:
        for column in ("decision_reason", "suggestion_method", "suggested"):
            batch.drop_column(column)
    with op.batch_alter_table("fund_plan") as batch:
        batch.drop_constraint("fk_fund_plan_signed_by", type_="foreignkey")
        batch.drop_constraint("fk_fund_plan_reviewed_by", type_="foreignkey")
        for column in ("created_at", "decision_note", "decided_on", "signed_by", "reviewed_by"):
            batch.drop_column(column)
    with op.batch_alter_table("quota") as batch:
        batch.drop_column("recorded_at")
        batch.drop_column("recorded_by")
    op.drop_index("ix_quota_adjustment_year", "quota_adjustment")
    op.drop_table("quota_adjustment")
