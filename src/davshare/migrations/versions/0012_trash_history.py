"""trash, history, bursts of changes and the groups' activity log (issue 20)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bursts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=320), nullable=False),
        sa.Column("client", sa.String(length=255), server_default="", nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("last_at", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default="0", nullable=False),
        sa.Column("overwritten", sa.Integer(), server_default="0", nullable=False),
        sa.Column("told", sa.Boolean(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bursts")),
    )
    op.create_index("ix_bursts_collection_login", "bursts", ["collection_id", "login", "last_at"])
    op.create_table(
        "item_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("trashed_collection_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("href", sa.String(length=1024), nullable=False),
        sa.Column("uid", sa.String(length=1024), nullable=False),
        sa.Column("component", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("creator", sa.String(length=320), server_default="", nullable=False),
        sa.Column("written_by", sa.String(length=320), server_default="", nullable=False),
        sa.Column("written_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("replaced_by", sa.String(length=320), server_default="", nullable=False),
        sa.Column("replaced_at", sa.BigInteger(), nullable=False),
        sa.Column("client", sa.String(length=255), server_default="", nullable=False),
        sa.Column("burst_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_versions")),
    )
    op.create_index(
        "ix_item_versions_collection_href", "item_versions", ["collection_id", "href", "state"]
    )
    op.create_index("ix_item_versions_state_replaced", "item_versions", ["state", "replaced_at"])
    op.create_index(
        op.f("ix_item_versions_trashed_collection_id"), "item_versions", ["trashed_collection_id"]
    )
    op.create_index(op.f("ix_item_versions_burst_id"), "item_versions", ["burst_id"])
    op.create_table(
        "version_props",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["item_versions.id"],
            name=op.f("fk_version_props_version_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_props")),
    )
    op.create_index(op.f("ix_version_props_version_id"), "version_props", ["version_id"])
    op.create_index("ix_version_props_lookup", "version_props", ["collection_id", "name", "value"])
    op.create_table(
        "trashed_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("tag", sa.String(length=16), nullable=False),
        sa.Column("props", sa.Text(), nullable=False),
        sa.Column("deleted_by", sa.String(length=320), server_default="", nullable=False),
        sa.Column("deleted_at", sa.BigInteger(), nullable=False),
        sa.Column("client", sa.String(length=255), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trashed_collections")),
    )
    op.create_index(op.f("ix_trashed_collections_owner"), "trashed_collections", ["owner"])
    op.create_index(op.f("ix_trashed_collections_group_id"), "trashed_collections", ["group_id"])
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=True),
        sa.Column("collection", sa.String(length=255), server_default="", nullable=False),
        sa.Column("href", sa.String(length=1024), server_default="", nullable=False),
        sa.Column("subject", sa.String(length=255), server_default="", nullable=False),
        sa.Column("private", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("client", sa.String(length=255), server_default="", nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    op.create_index("ix_activity_group_at", "activity", ["group_id", "at"])


def downgrade() -> None:
    for table in ("activity", "trashed_collections", "version_props", "item_versions", "bursts"):
        op.drop_table(table)
