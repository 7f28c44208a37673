"""the viewer's time zone; who last modified an item, and when it was created; contacts'
sort key (accents folded), indexed

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from davshare.model.item_fields import sort_name

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("modified_by", sa.String(length=320), nullable=False, server_default="")
        )
        # NULL for the items stored before this revision: when they were created is unknown.
        batch_op.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("sort_name", sa.String(length=255), nullable=False, server_default="")
        )
        batch_op.create_index("ix_items_collection_sort", ["collection_id", "sort_name"])
    _fill_sort_names()


def _fill_sort_names() -> None:
    """The sort key of the contacts already stored, from their indexed name."""
    items = sa.table("items", sa.column("id"), sa.column("fn"), sa.column("sort_name"))
    conn = op.get_bind()
    rows = conn.execute(sa.select(items.c.id, items.c.fn).where(items.c.fn != "")).all()
    for row_id, fn in rows:
        conn.execute(
            sa.update(items)
            .where(items.c.id == row_id)
            .values(sort_name=sort_name(fn.split("\n", 1)[0]))
        )


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_collection_sort")
        batch_op.drop_column("sort_name")
        batch_op.drop_column("created_at")
        batch_op.drop_column("modified_by")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
