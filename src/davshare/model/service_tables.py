"""The tables of what runs around the data: plans, invitations and join requests, the
mail outbox, the web pages' sessions, and what a migration copied.

They share ``tables.metadata`` (one schema for queries and alembic).
"""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

from davshare.model.tables import metadata

# What a plan allows (SPEC A4); NULL: no cap. A group's caps are its admin's plan's.
plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("max_groups", Integer, nullable=True),
    Column("max_members", Integer, nullable=True),
    Column("group_storage", BigInteger, nullable=True),
    Column("personal_storage", BigInteger, nullable=True),
)

# An invitation to join a group, by address (SPEC G3); the account may not exist yet.
# Times are seconds since the epoch: compared in Python alike on SQLite and PostgreSQL.
invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("address", String(320), nullable=False, index=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("invited_by", String(320), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    # Sends (the first one included) since ``window_start``: resending is capped per day.
    Column("window_start", BigInteger, nullable=False),
    Column("sends", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("group_id", "address", name="uq_invitations_group_address"),
)

# A request to join a published, closed group, until its admin or a co-admin answers (G12).
join_requests = Table(
    "join_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("login", String(320), nullable=False),
    Column("message", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("group_id", "login", name="uq_join_requests_group_login"),
)

# Messages waiting for the SMTP sender: a request never waits for a mail server.
mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recipient", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    # The link the message carries, for the CLI when no SMTP server is configured.
    Column("link", Text, nullable=False, server_default=""),
    # An iTIP message (RFC 6047) sent as a text/calendar part with its METHOD; "": none.
    Column("calendar", Text, nullable=False, server_default=""),
    Column("attempts", Integer, nullable=False, server_default="0"),
    # Seconds since the epoch; also leased forward by a sender while it sends.
    Column("next_attempt_at", BigInteger, nullable=False, server_default="0", index=True),
    Column("sent_at", BigInteger, nullable=True, index=True),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Signed-in browsers of the web pages: the cookie's token is kept as a hash only.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("login", String(320), nullable=False, index=True),
    # Sent back in X-CSRF-Token with every change the session makes.
    Column("csrf", String(64), nullable=False),
    # A digest of the password hash at sign-in: a new password ends the session.
    Column("credential", String(64), nullable=False),
    # Seconds since the epoch.
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False, index=True),
)

# The etag each item had on the server ``davshare migrate dav`` copied it from, per
# destination collection (its uuid: a collection made again starts afresh), so that a
# second run fetches only what is missing here or changed there since.
migrate_etags = Table(
    "migrate_etags",
    metadata,
    Column("collection_uuid", String(32), primary_key=True),
    Column("href", String(1024), primary_key=True),
    Column("source_etag", String(255), nullable=False),
)

# Failed sign-ins per key ("login:<login>", "address:<client>"): ``sign_in_failures``.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("failures", Integer, nullable=False),
    # Seconds since the epoch: the last failure, and until when sign-ins are refused.
    Column("last_at", BigInteger, nullable=False),
    Column("blocked_until", BigInteger, nullable=False),
)

# The token of an e-mail invitation's answer links (RFC 6047 attendees outside the server):
# bound to one attendee of one organizer's event.
itip_tokens = Table(
    "itip_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("organizer", String(320), nullable=False),
    Column("uid", String(1024), nullable=False),
    Column("attendee", String(320), nullable=False),
    Column("summary", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("organizer", "uid", "attendee", name="uq_itip_tokens_organizer_uid_attendee"),
)
