"""The tables of how people sign in besides their password (issue 15): app passwords,
two factors with their recovery codes, and the log of recent sign-ins.

They share ``tables.metadata`` (one schema for queries and alembic). Times are seconds
since the epoch, compared in Python alike on SQLite and PostgreSQL.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from davshare.model.tables import metadata

# A device's own password (``app_passwords``): the public id starts the password and
# finds its row, so that a sign-in verifies one hash; only the hash is kept.
app_passwords = Table(
    "app_passwords",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(320), nullable=False, index=True),
    Column("public_id", String(16), nullable=False),
    Column("name", String(100), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("last_used_at", BigInteger, nullable=True),
    Column("last_used_from", String(64), nullable=False, server_default=""),
    UniqueConstraint("login", "public_id", name="uq_app_passwords_login_public_id"),
    UniqueConstraint("login", "name", name="uq_app_passwords_login_name"),
)

# A person's TOTP secret (``two_factors``); on once ``confirmed_at`` is set.
two_factors = Table(
    "two_factors",
    metadata,
    Column("login", String(320), primary_key=True),
    Column("secret", String(64), nullable=False),
    Column("confirmed_at", BigInteger, nullable=True),
    # The time step of the last code accepted: a code is never accepted twice.
    Column("last_step", BigInteger, nullable=False, server_default="0"),
    # Wrong codes in a row, and until when codes are refused after too many.
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("blocked_until", BigInteger, nullable=False, server_default="0"),
)

# Codes that replace the second factor once each (a lost phone); hashed like passwords.
recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(320), nullable=False, index=True),
    Column("public_id", String(16), nullable=False),
    Column("code_hash", Text, nullable=False),
    Column("used_at", BigInteger, nullable=True),
)

# Recent sign-ins of each account, through which door, from where, and how they ended.
sign_ins = Table(
    "sign_ins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(320), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("door", String(8), nullable=False),
    Column("address", String(64), nullable=False),
    Column("client", String(200), nullable=False),
    Column("success", Boolean, nullable=False),
    # The app password used ("": the account's password), or why it was refused.
    Column("detail", String(120), nullable=False, server_default=""),
    Index("ix_sign_ins_login_at", "login", "at"),
)
