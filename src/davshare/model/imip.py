"""E-mail invitations for people outside this server (iMIP, RFC 6047), and their answers.

A REQUEST or CANCEL to an address no account of this server has goes to the mail outbox
with the iTIP message attached, in the organizer's language; a REQUEST carries answer
links whose token is bound to that attendee and that organizer's event, so an answer by
link changes that attendee's PARTSTAT in the organizer's copy and nothing else.
"""

import datetime
import secrets
from dataclasses import dataclass

import icalendar
from sqlalchemy import Connection, Engine, insert, select

from davshare.core import itip, itip_messages
from davshare.model import invitations, mail_outbox, mail_templates, schedule_delivery, scheduling
from davshare.model.db import write_transaction
from davshare.model.errors import InvalidInput, NotFound
from davshare.model.service_tables import itip_tokens

SENT = "1.1"
ANSWERS = {"accepted": "ACCEPTED", "tentative": "TENTATIVE", "declined": "DECLINED"}
ANSWER_PATH = "/event-answers"


@dataclass(frozen=True)
class Answered:
    """What an answer by link changed."""

    summary: str
    organizer: str
    attendee: str
    partstat: str


def _summary(calendar: icalendar.Calendar) -> str:
    for component in itip.components(calendar):
        if "RECURRENCE-ID" not in component:
            return str(component.get("SUMMARY", "")) or "(no title)"
    return "(no title)"


def _when(calendar: icalendar.Calendar) -> str:
    for component in itip.components(calendar):
        if "DTSTART" in component:
            start = component.decoded("DTSTART")
            if isinstance(start, datetime.datetime) and start.tzinfo is not None:
                return start.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
            return str(start)
    return ""


def _token(conn: Connection, organizer: str, uid: str, attendee: str, summary: str) -> str:
    where = (
        (itip_tokens.c.organizer == organizer)
        & (itip_tokens.c.uid == uid)
        & (itip_tokens.c.attendee == attendee)
    )
    found = conn.scalar(select(itip_tokens.c.token).where(where))
    if found is not None:
        return str(found)
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(itip_tokens).values(
            token=token, organizer=organizer, uid=uid, attendee=attendee, summary=summary
        )
    )
    return token


def answer_link(token: str, answer: str) -> str:
    """The page where an attendee answers ``answer`` (one of ``ANSWERS``)."""
    return invitations.api_url(f"{ANSWER_PATH}?token={token}&answer={answer}")


def send(conn: Connection, organizer: str, attendee: str, calendar: icalendar.Calendar) -> str:
    """E-mail the organizer's object to ``attendee`` as a REQUEST (a CANCEL if they were
    dropped from every instance); the delivery status."""
    copy = itip_messages.attendee_copy(calendar, attendee)
    if copy is None:
        return cancel(conn, organizer, attendee, calendar)
    facts, summary = itip.read(calendar), _summary(calendar)
    token = _token(conn, organizer, facts.uid, attendee, summary)
    links = {a: answer_link(token, a) for a in ("accepted", "tentative", "declined")}
    subject, body = mail_templates.render(
        "itip_request",
        invitations.language_of(conn, organizer),
        organizer=organizer,
        summary=summary,
        when=_when(calendar),
        accept=links["accepted"],
        tentative=links["tentative"],
        decline=links["declined"],
    )
    message = itip_messages.serialize(itip_messages.message(copy, "REQUEST"))
    mail_outbox.enqueue(conn, attendee, subject, body, links["accepted"], message)
    return SENT


def cancel(conn: Connection, organizer: str, attendee: str, calendar: icalendar.Calendar) -> str:
    """E-mail ``attendee`` that the object they were sent is cancelled."""
    copy = itip_messages.attendee_copy(calendar, attendee) or calendar
    subject, body = mail_templates.render(
        "itip_cancel",
        invitations.language_of(conn, organizer),
        organizer=organizer,
        summary=_summary(calendar),
        when=_when(calendar),
    )
    message = itip_messages.serialize(itip_messages.message(copy, "CANCEL"))
    mail_outbox.enqueue(conn, attendee, subject, body, "", message)
    return SENT


def send_reply(conn: Connection, attendee: str, organizer: str, answer: icalendar.Calendar) -> str:
    """E-mail an account's answer to an organizer outside the server."""
    partstat = itip.read(answer).attendees.get(attendee, {})
    subject, body = mail_templates.render(
        "itip_reply",
        invitations.language_of(conn, attendee),
        attendee=attendee,
        answer=", ".join(sorted(set(partstat.values()))).lower(),
        summary=_summary(answer),
        when=_when(answer),
    )
    message = itip_messages.serialize(answer)
    mail_outbox.enqueue(conn, organizer, subject, body, "", message)
    return SENT


def token_facts(conn: Connection, token: str) -> tuple[str, str, str, str]:
    """(organizer, uid, attendee, summary) of an answer token; 404 when it is unknown."""
    row = conn.execute(select(itip_tokens).where(itip_tokens.c.token == token)).first()
    if row is None:
        raise NotFound("this answer link is not known (the invitation may have been withdrawn)")
    return str(row.organizer), str(row.uid), str(row.attendee), str(row.summary)


def answer(engine: Engine, token: str, choice: str) -> Answered:
    """Record the answer an attendee gave by link in the organizer's copy."""
    partstat = ANSWERS.get(choice)
    if partstat is None:
        raise InvalidInput(f"unknown answer {choice!r}: use {', '.join(ANSWERS)}")
    with write_transaction(engine) as conn:
        organizer, uid, attendee, summary = token_facts(conn, token)
        stored = scheduling.organizer_copy(conn, organizer, uid)
        calendar = itip.parse(stored.text) if stored is not None else None
        copy = itip_messages.attendee_copy(calendar, attendee) if calendar else None
        if copy is None:
            raise NotFound(f"{organizer} cancelled this event or no longer invites you")
        reply = itip_messages.reply(copy, attendee, partstat)
        schedule_delivery.reply(conn, attendee, organizer, reply)
    return Answered(summary, organizer, attendee, partstat)
