"""Townships, the history of every figure, amendments, explanations, returned reports.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "township",
        sa.Column("code", sa.String(9), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "report_amendment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer(),
            sa.ForeignKey("monthly_report.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("opened_at", sa.String(32), nullable=False),
        sa.Column("approved_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("report_id", "number"),
    )
    op.create_table(
        "report_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer(),
            sa.ForeignKey("monthly_report.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("line", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(9), nullable=False),
        sa.Column("old_value", sa.BigInteger(), nullable=True),
        sa.Column("new_value", sa.BigInteger(), nullable=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column(
            "amendment_id", sa.Integer(), sa.ForeignKey("report_amendment.id"), nullable=True
        ),
    )
    op.create_index("ix_report_change_cell", "report_change", ["report_id", "line", "unit"])
    op.create_table(
        "report_explanation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer(),
            sa.ForeignKey("monthly_report.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("problem_key", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.UniqueConstraint("report_id", "problem_key"),
    )
    with op.batch_alter_table("monthly_report") as batch:
        batch.add_column(sa.Column("returned_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("monthly_report") as batch:
        batch.drop_column("returned_reason")
    for table in ("report_explanation", "report_change", "report_amendment", "township"):
        op.drop_table(table)
