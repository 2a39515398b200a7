"""Monthly reports and their values, quotas, fund-use plans and their lines.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monthly_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scheme", sa.String(10), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("prepared_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("approved_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("submitted_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("scheme", "period"),
    )
    op.create_table(
        "report_value",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer(),
            sa.ForeignKey("monthly_report.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("line", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(9), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("report_id", "line", "unit"),
    )
    op.create_index("ix_report_value_line", "report_value", ["line", "unit"])
    op.create_table(
        "quota",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scheme", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("doc_no", sa.String(80), nullable=False),
        sa.Column("doc_date", sa.String(10), nullable=False),
        sa.UniqueConstraint("scheme", "year", "line"),
    )
    op.create_table(
        "fund_plan",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scheme", sa.String(10), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("prepared_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("submitted_at", sa.String(32), nullable=True),
        sa.Column("approved_amount", sa.BigInteger(), nullable=True),
        sa.Column("disbursed_amount", sa.BigInteger(), nullable=True),
        sa.Column("disbursed_on", sa.String(10), nullable=True),
        sa.UniqueConstraint("scheme", "period", "version"),
    )
    op.create_table(
        "fund_plan_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "plan_id", sa.Integer(), sa.ForeignKey("fund_plan.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("line", sa.String(40), nullable=False),
        sa.Column("requested", sa.BigInteger(), nullable=False),
        sa.Column("approved", sa.BigInteger(), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.UniqueConstraint("plan_id", "line"),
    )


def downgrade() -> None:
    for table in ("fund_plan_line", "fund_plan", "quota", "report_value", "monthly_report"):
        op.drop_table(table)
