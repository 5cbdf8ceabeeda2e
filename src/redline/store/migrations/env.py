"""Alembic environment: run programmatically by ``Store.upgrade()`` with an open connection."""

from __future__ import annotations

from alembic import context

from redline.store.schema import metadata, search_objects_filter

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run migrations through redline.store.open_store(...).upgrade()")

context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  compare_type=True,
                  # The FTS5 table and its shadow tables are made by migration 0003, not metadata.
                  include_name=search_objects_filter)
with context.begin_transaction():
    context.run_migrations()
