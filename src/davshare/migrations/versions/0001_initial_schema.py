"""initial schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("parent_path", sa.String(length=1024), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("tag", sa.String(length=16), server_default="", nullable=False),
        sa.Column("props", sa.Text(), server_default="{}", nullable=False),
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("uuid", sa.String(length=32), nullable=False),
        sa.Column(
            "modified_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collections")),
        sa.UniqueConstraint("path", name=op.f("uq_collections_path")),
    )
    with op.batch_alter_table("collections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collections_owner"), ["owner"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_collections_parent_path"), ["parent_path"], unique=False
        )

    op.create_table(
        "domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domains")),
        sa.UniqueConstraint("name", name=op.f("uq_domains_name")),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("href", sa.String(length=1024), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_changes_collection_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_changes_collection_revision", ["collection_id", "revision"], unique=False
        )

    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("href", sa.String(length=1024), nullable=False),
        sa.Column("uid", sa.String(length=1024), nullable=False),
        sa.Column("etag", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("component", sa.String(length=16), nullable=False),
        sa.Column("time_start", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("time_end", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("fn", sa.Text(), server_default="", nullable=False),
        sa.Column("emails", sa.Text(), server_default="", nullable=False),
        sa.Column("addresses", sa.Text(), server_default="", nullable=False),
        sa.Column("org", sa.Text(), server_default="", nullable=False),
        sa.Column("tels", sa.Text(), server_default="", nullable=False),
        sa.Column("categories", sa.Text(), server_default="", nullable=False),
        sa.Column("creator", sa.String(length=320), server_default="", nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column(
            "modified_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_items_collection_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint("collection_id", "href", name="uq_items_collection_href"),
        sa.UniqueConstraint("collection_id", "uid", name="uq_items_collection_uid"),
    )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_items_collection_time", ["collection_id", "time_start", "time_end"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=320), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), server_default="", nullable=False),
        sa.Column("profile", sa.String(length=16), server_default="add_delete", nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("is_server_admin", sa.Boolean(), server_default="0", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(["domain_id"], ["domains.id"], name=op.f("fk_users_domain_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login", name=op.f("uq_users_login")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_domain_id"), ["domain_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_domain_id"))

    op.drop_table("users")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_collection_time")

    op.drop_table("items")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index("ix_changes_collection_revision")

    op.drop_table("changes")
    op.drop_table("domains")
    with op.batch_alter_table("collections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collections_parent_path"))
        batch_op.drop_index(batch_op.f("ix_collections_owner"))

    op.drop_table("collections")
