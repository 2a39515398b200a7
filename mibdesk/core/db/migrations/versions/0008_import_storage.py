"""What an import writes: the received package files' bytes move into the database
(`exchange_inbox_file`, written in the transaction that records the inbox row, instead of
one file each in the inbox folder), and the audit log loses the unique index on its hashes,
which nothing looks up (the chain is checked in id order).

Files an earlier version kept in the inbox folder stay there; a retry still reads them.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# SQLite's UNIQUE constraints have no names; reflected under this convention, the one on
# audit_entry.hash gets one that the batch operation can drop.
_NAMED = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    op.create_table(
        "exchange_inbox_file",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["exchange_inbox.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table("audit_entry", naming_convention=_NAMED) as batch:
            batch.drop_constraint("uq_audit_entry_hash", type_="unique")
        return
    for unique in sa.inspect(bind).get_unique_constraints("audit_entry"):
        if unique["column_names"] == ["hash"] and unique["name"]:
            op.drop_constraint(unique["name"], "audit_entry", type_="unique")


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.create_unique_constraint("uq_audit_entry_hash", ["hash"])
    op.drop_table("exchange_inbox_file")
