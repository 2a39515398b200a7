"""Alembic environment: always run with a connection handed in by mibdesk.core.db.migrate."""

from alembic import context

from mibdesk.core.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite ALTER TABLE support
)
with context.begin_transaction():
    context.run_migrations()
