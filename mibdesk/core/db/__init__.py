"""Storage: engine, ORM models, migrations. Only `mibdesk.core.repos` queries these models."""
