"""What a database holds, counted for ``davshare status``, the health check and metrics."""

from dataclasses import dataclass

from sqlalchemy import Engine, func, select, text

from davshare.model.db import alembic_config, read_transaction
from davshare.model.service_tables import mail_outbox
from davshare.model.tables import collections, domains, groups, items, users


@dataclass(frozen=True)
class Outbox:
    """The mail outbox: waiting to be sent, given up after too many attempts, sent."""

    waiting: int
    given_up: int
    sent: int


def counts(engine: Engine) -> dict[str, int]:
    """How many accounts, server admins, domains, groups, collections and items there are."""
    queries = {
        "accounts": select(func.count()).select_from(users),
        "server admins": select(func.count()).select_from(users).where(users.c.is_server_admin),
        "domains": select(func.count()).select_from(domains),
        "groups": select(func.count()).select_from(groups),
        "collections": select(func.count()).select_from(collections),
        "items": select(func.count()).select_from(items),
    }
    with read_transaction(engine) as conn:
        return {name: int(conn.scalar(query) or 0) for name, query in queries.items()}


def sign_in_backends(engine: Engine) -> dict[str, int]:
    """How many accounts sign in through each backend (local, ldap, imap, htpasswd)."""
    query = select(users.c.sign_in_backend, func.count()).group_by(users.c.sign_in_backend)
    with read_transaction(engine) as conn:
        return {name: int(count) for name, count in conn.execute(query)}


def outbox(engine: Engine, max_attempts: int) -> Outbox:
    """The state of the mail outbox."""
    unsent = mail_outbox.c.sent_at.is_(None)
    box = select(func.count()).select_from(mail_outbox)
    tried_out = mail_outbox.c.attempts >= max_attempts
    with read_transaction(engine) as conn:
        return Outbox(
            waiting=int(conn.scalar(box.where(unsent, ~tried_out)) or 0),
            given_up=int(conn.scalar(box.where(unsent, tried_out)) or 0),
            sent=int(conn.scalar(box.where(mail_outbox.c.sent_at.is_not(None))) or 0),
        )


def schema_revision(engine: Engine) -> tuple[str, str]:
    """The database's schema revision and the newest one this version knows."""
    from alembic.script import ScriptDirectory

    with read_transaction(engine) as conn:
        current = conn.scalar(text("SELECT version_num FROM alembic_version")) or "none"
    head = ScriptDirectory.from_config(alembic_config()).get_current_head() or "none"
    return str(current), str(head)


def answers(engine: Engine) -> bool:
    """Whether the database answers a trivial query now."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means: not healthy
        return False
