"""migrate etags

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "migrate_etags",
        sa.Column("collection_uuid", sa.String(length=32), nullable=False),
        sa.Column("href", sa.String(length=1024), nullable=False),
        sa.Column("source_etag", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("collection_uuid", "href", name=op.f("pk_migrate_etags")),
    )


def downgrade() -> None:
    op.drop_table("migrate_etags")
