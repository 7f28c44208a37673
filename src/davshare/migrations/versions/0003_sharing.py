"""sharing

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "domain_share_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("allowed", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_share_rules")),
        sa.UniqueConstraint("domain", "allowed", name="uq_domain_share_rules_domain_allowed"),
    )
    with op.batch_alter_table("domain_share_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_domain_share_rules_domain"), ["domain"], unique=False)

    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("sharee", sa.String(length=320), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("rights", sa.String(length=24), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_shares_collection_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_shares_group_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
        sa.UniqueConstraint("collection_id", "group_id", name="uq_shares_collection_group"),
        sa.UniqueConstraint("collection_id", "sharee", name="uq_shares_collection_sharee"),
    )
    with op.batch_alter_table("shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shares_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shares_sharee"), ["sharee"], unique=False)

    with op.batch_alter_table("collection_prefs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden", sa.Boolean(), server_default="0", nullable=False))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("given_name", sa.String(length=255), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("family_name", sa.String(length=255), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("organisation", sa.String(length=255), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("photo", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("photo")
        batch_op.drop_column("organisation")
        batch_op.drop_column("family_name")
        batch_op.drop_column("given_name")

    with op.batch_alter_table("collection_prefs", schema=None) as batch_op:
        batch_op.drop_column("hidden")

    with op.batch_alter_table("shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shares_sharee"))
        batch_op.drop_index(batch_op.f("ix_shares_group_id"))

    op.drop_table("shares")
    with op.batch_alter_table("domain_share_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domain_share_rules_domain"))

    op.drop_table("domain_share_rules")
