"""The outbox: an absent mail server loses nothing, a later send delivers (no server process)."""

import pytest
from sqlalchemy import create_engine, select, update

from davshare.mail import sender
from davshare.model import mail_outbox, mail_templates
from davshare.model.db import upgrade_schema, write_transaction
from davshare.model.service_tables import mail_outbox as outbox_table
from davshare.server.config import MailSettings
from tests.support.server import free_port


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'outbox.sqlite3'}")
    upgrade_schema(engine)
    yield engine
    engine.dispose()


def _queue(engine, recipient):
    subject, body = mail_templates.render("join_accepted", "fr", group="sales", link="")
    with write_transaction(engine) as conn:
        mail_outbox.enqueue(conn, recipient, subject, body)


def test_absent_mail_server_keeps_messages_and_a_later_send_delivers(engine, smtp):
    inbox, port = smtp
    _queue(engine, "late@example.com")
    absent = MailSettings(host="127.0.0.1", port=free_port(), security="none")
    assert sender.send_pending(engine, absent) == (0, 1)
    [waiting] = mail_outbox.unsent(engine)
    assert waiting.attempts == 1 and "cannot reach" in waiting.last_error
    # Not due yet: retried after a pause, not at once.
    assert sender.send_pending(
        engine, MailSettings(host="127.0.0.1", port=port, security="none")
    ) == (0, 0)
    with engine.begin() as conn:  # the pause has passed (a restart finds the same rows)
        conn.execute(update(outbox_table).values(next_attempt_at=0))
    live = MailSettings(host="127.0.0.1", port=port, security="none", sender="dav@example.com")
    assert sender.send_pending(engine, live) == (1, 0)
    message = inbox.wait_for("late@example.com", "sales")
    assert message["From"] == "dav@example.com" and "Bienvenue" in message["Subject"]
    assert mail_outbox.unsent(engine) == []
    with engine.connect() as conn:
        assert conn.scalar(select(outbox_table.c.sent_at)) is not None


def test_a_message_is_given_up_after_max_attempts(engine):
    _queue(engine, "never@example.com")
    absent = MailSettings(host="127.0.0.1", port=free_port(), security="none", max_attempts=2)
    for _ in range(3):
        sender.send_pending(engine, absent)
        with engine.begin() as conn:
            conn.execute(update(outbox_table).values(next_attempt_at=0))
    [kept] = mail_outbox.unsent(engine)
    assert kept.attempts == 2  # kept for the admin to see, no longer tried
