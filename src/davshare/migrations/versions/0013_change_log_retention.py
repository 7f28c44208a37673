"""the change log kept for a retention: when each change was made, and per collection
the revision below which tokens are too old

Revision ID: 0013
Revises: 0012
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.add_column(
            sa.Column("changed_at", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.create_index("ix_changes_changed_at", ["changed_at"])
    # What is logged already counts from now: no client's token is refused at the upgrade.
    op.execute(sa.text("UPDATE changes SET changed_at = :now").bindparams(now=int(time.time())))
    with op.batch_alter_table("collections") as batch:
        batch.add_column(
            sa.Column("pruned_revision", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("collections") as batch:
        batch.drop_column("pruned_revision")
    with op.batch_alter_table("changes") as batch:
        batch.drop_index("ix_changes_changed_at")
        batch.drop_column("changed_at")
