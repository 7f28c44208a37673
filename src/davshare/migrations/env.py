"""Alembic environment: runs on the connection davshare hands over."""

from alembic import context

from davshare.model import service_tables  # noqa: F401 - its tables join the metadata
from davshare.model.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `davshare db upgrade`")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
