"""Sending the outbox by SMTP: ``davshare mail send-pending`` and the server's background thread."""

import logging
import os
import smtplib
import ssl
import threading
from email.message import EmailMessage

from sqlalchemy import Engine

from davshare.core import itip
from davshare.mail.settings import MailSettings
from davshare.model import mail_outbox

logger = logging.getLogger("davshare.mail")
TIMEOUT = 30


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
    if settings.security == "starttls":
        smtp.starttls(context=ssl.create_default_context())
    return smtp


def _email(settings: MailSettings, message: mail_outbox.Message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    if message.calendar:  # iMIP (RFC 6047 2.4): the iTIP message with its METHOD
        method = _method(message.calendar)
        facts = itip.facts_of(message.calendar)
        # Answers by mail go to the person the message speaks for, not to the server.
        person = next(iter(facts.attendees), "") if method == "REPLY" else facts.organizer
        if person:
            email["Reply-To"] = person
        email.add_alternative(
            message.calendar.encode(), "text", "calendar", params={"method": method}
        )
        email.add_attachment(message.calendar.encode(), "application", "ics", filename="invite.ics")
    return email


def _method(calendar: str) -> str:
    for line in calendar.splitlines():
        if line.upper().startswith("METHOD:"):
            return line[7:].strip().upper()
    return "PUBLISH"


def send_pending(engine: Engine, settings: MailSettings) -> tuple[int, int]:
    """Send every due message once; returns (sent, failed). Failures are retried later."""
    sent = failed = 0
    while True:
        due = mail_outbox.claim_due(engine, settings.max_attempts)
        if not due:
            return sent, failed
        try:
            smtp = _connect(settings)
        except (OSError, smtplib.SMTPException) as e:
            for message in due:
                mail_outbox.mark_failed(engine, message, f"cannot reach the mail server: {e}")
            return sent, failed + len(due)
        with smtp:
            try:
                if settings.username:
                    smtp.login(settings.username, settings.password)
            except smtplib.SMTPException as e:
                for message in due:
                    mail_outbox.mark_failed(engine, message, f"the mail server refused: {e}")
                return sent, failed + len(due)
            for message in due:
                try:
                    smtp.send_message(_email(settings, message))
                except (OSError, smtplib.SMTPException) as e:
                    mail_outbox.mark_failed(engine, message, str(e))
                    failed += 1
                else:
                    mail_outbox.mark_sent(engine, message.id)
                    sent += 1


# Held while the background sender uses the database; a process that forks (gunicorn's
# arbiter) takes it around each fork, so that no child is born while a connection is open
# (SQLite's locks would be confused in the child: its docs say never to fork with one).
DATABASE_IN_USE = threading.Lock()


def start_background(engine: Engine, settings: MailSettings) -> threading.Event:
    """Send the outbox every ``poll_seconds`` in a daemon thread; set the event to stop it.

    Between rounds the engine keeps no connection open (see ``DATABASE_IN_USE``).
    """
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            with DATABASE_IN_USE:
                try:
                    send_pending(engine, settings)
                except Exception:  # the sender must outlive any one failure
                    logger.exception("sending the outbox failed; retrying later")
                engine.dispose()
            stop.wait(settings.poll_seconds)

    threading.Thread(target=run, name="davshare-mail", daemon=True).start()
    logger.info(
        "mail sender started in process %d (SMTP %s:%d)", os.getpid(), settings.host, settings.port
    )
    return stop
