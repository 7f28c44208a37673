"""scheduling (RFC 6638, RFC 6047): items' Schedule-Tag, iMIP answer tokens, the
outbox's iTIP attachment

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("schedule_tag", sa.String(length=40), nullable=False, server_default="")
        )
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "itip_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("organizer", sa.String(length=320), nullable=False),
        sa.Column("uid", sa.String(length=1024), nullable=False),
        sa.Column("attendee", sa.String(length=320), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_itip_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_itip_tokens_token")),
        sa.UniqueConstraint(
            "organizer", "uid", "attendee", name="uq_itip_tokens_organizer_uid_attendee"
        ),
    )


def downgrade() -> None:
    op.drop_table("itip_tokens")
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_column("calendar")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("schedule_tag")
