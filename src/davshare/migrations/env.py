"""Alembic environment: runs on the connection davshare hands over."""

from alembic import context

from davshare.model import security_tables, service_tables  # noqa: F401 - tables join metadata
from davshare.model.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `davshare db upgrade`")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
