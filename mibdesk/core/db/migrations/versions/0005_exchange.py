"""The file drop: peers and their keys, outbox, inbox ledger, streams; what the city receives.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('county_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office', sa.String(length=9), nullable=False),
    sa.Column('scheme', sa.String(length=10), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('package_id', sa.String(length=32), nullable=False),
    sa.Column('pdf_file', sa.String(length=200), nullable=False),
    sa.Column('submitted_at', sa.String(length=32), nullable=False),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('decided_on', sa.String(length=10), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('disbursed_amount', sa.BigInteger(), nullable=True),
    sa.Column('disbursed_on', sa.String(length=10), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office', 'scheme', 'period', 'version')
    )
    op.create_table('county_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office', sa.String(length=9), nullable=False),
    sa.Column('scheme', sa.String(length=10), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('package_id', sa.String(length=32), nullable=False),
    sa.Column('sent_at', sa.String(length=32), nullable=False),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office', 'scheme', 'period', 'revision')
    )
    op.create_table('exchange_inbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_sha256', sa.String(length=64), nullable=False),
    sa.Column('package_id', sa.String(length=32), nullable=False),
    sa.Column('sender', sa.String(length=9), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_json', sa.Text(), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('applied_at', sa.String(length=32), nullable=True),
    sa.Column('acked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('package_sha256')
    )
    op.create_index(op.f('ix_exchange_inbox_package_id'), 'exchange_inbox', ['package_id'], unique=False)
    op.create_index('ix_exchange_inbox_stream', 'exchange_inbox', ['sender', 'sequence'], unique=False)
    op.create_table('exchange_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.String(length=32), nullable=False),
    sa.Column('recipient', sa.String(length=9), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_json', sa.Text(), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('delivered_at', sa.String(length=32), nullable=True),
    sa.Column('acked_at', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('package_id'),
    sa.UniqueConstraint('recipient', 'sequence')
    )
    op.create_table('exchange_peer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('pdf_certificate', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('found_at', sa.String(length=32), nullable=False),
    sa.Column('decided_at', sa.String(length=32), nullable=True),
    sa.Column('decided_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_id')
    )
    op.create_index(op.f('ix_exchange_peer_office'), 'exchange_peer', ['office'], unique=False)
    op.create_table('exchange_seen_file',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('exchange_stream',
    sa.Column('peer', sa.String(length=9), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('last_manifest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('peer', 'direction')
    )
    op.create_table('county_plan_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=40), nullable=False),
    sa.Column('requested', sa.BigInteger(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('approved', sa.BigInteger(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['county_plan.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'line')
    )
    op.create_table('county_report_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=9), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['county_report.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id', 'line', 'unit')
    )


def downgrade() -> None:
    op.drop_table('county_report_value')
    op.drop_table('county_plan_line')
    op.drop_table('exchange_stream')
    op.drop_table('exchange_seen_file')
    op.drop_index(op.f('ix_exchange_peer_office'), table_name='exchange_peer')
    op.drop_table('exchange_peer')
    op.drop_table('exchange_outbox')
    op.drop_index('ix_exchange_inbox_stream', table_name='exchange_inbox')
    op.drop_index(op.f('ix_exchange_inbox_package_id'), table_name='exchange_inbox')
    op.drop_table('exchange_inbox')
    op.drop_table('county_report')
    op.drop_table('county_plan')
