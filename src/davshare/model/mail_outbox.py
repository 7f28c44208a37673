"""The outbox: messages stored with the change that causes them, sent later by ``davshare.mail``.

A request never waits for a mail server; a sender claims due messages for a
while (a lease), so two server processes do not send one message twice, and a
restart finds what was not sent yet.
"""

import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update

from davshare.core import policy
from davshare.model.db import read_transaction, write_transaction
from davshare.model.service_tables import mail_outbox

LEASE_SECONDS = 300


@dataclass(frozen=True)
class Message:
    """One message of the outbox."""

    id: int
    recipient: str
    subject: str
    body: str
    link: str
    attempts: int
    last_error: str = ""
    # An iTIP message (RFC 6047) attached as text/calendar; "": none.
    calendar: str = ""


def enqueue(
    conn: Connection, recipient: str, subject: str, body: str, link: str = "", calendar: str = ""
) -> None:
    """Store a message to send, in the caller's transaction."""
    conn.execute(
        insert(mail_outbox).values(
            recipient=recipient,
            subject=subject,
            body=body,
            link=link,
            calendar=calendar,
            next_attempt_at=0,
        )
    )


def _message(row: object) -> Message:
    fields = ("id", "recipient", "subject", "body", "link", "attempts", "last_error", "calendar")
    return Message(**{f: getattr(row, f) for f in fields})


def claim_due(engine: Engine, max_attempts: int, limit: int = 20) -> list[Message]:
    """Messages due now, leased to the caller so no other sender takes them meanwhile."""
    now = int(time.time())
    with write_transaction(engine) as conn:
        rows = conn.execute(
            select(mail_outbox)
            .where(
                mail_outbox.c.sent_at.is_(None),
                mail_outbox.c.next_attempt_at <= now,
                mail_outbox.c.attempts < max_attempts,
            )
            .order_by(mail_outbox.c.id)
            .limit(limit)
            # Senders of other processes and hosts take other messages meanwhile
            # (PostgreSQL; SQLite has one writer at a time anyway).
            .with_for_update(skip_locked=True)
        ).all()
        ids = [row.id for row in rows]
        if ids:
            conn.execute(
                update(mail_outbox)
                .where(mail_outbox.c.id.in_(ids))
                .values(next_attempt_at=now + LEASE_SECONDS)
            )
    return [_message(row) for row in rows]


def mark_sent(engine: Engine, message_id: int) -> None:
    """Record that the message left."""
    with write_transaction(engine) as conn:
        conn.execute(
            update(mail_outbox)
            .where(mail_outbox.c.id == message_id)
            .values(sent_at=int(time.time()), last_error="")
        )


def mark_failed(engine: Engine, message: Message, error: str) -> None:
    """Record a failed send; the message is tried again later (see policy.mail_retry_delay)."""
    attempts = message.attempts + 1
    with write_transaction(engine) as conn:
        conn.execute(
            update(mail_outbox)
            .where(mail_outbox.c.id == message.id)
            .values(
                attempts=attempts,
                last_error=error[:1000],
                next_attempt_at=int(time.time()) + policy.mail_retry_delay(attempts),
            )
        )


def unsent(engine: Engine) -> list[Message]:
    """Every message not sent yet, oldest first (the CLI shows their links)."""
    with read_transaction(engine) as conn:
        query = select(mail_outbox).where(mail_outbox.c.sent_at.is_(None))
        return [_message(row) for row in conn.execute(query.order_by(mail_outbox.c.id))]
