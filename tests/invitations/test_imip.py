"""Invitations to people outside the server by e-mail (iMIP, RFC 6047), answered by link.

Gilles invites Alexandre (his domain), Sophie (another domain served here) and a
customer outside the server; the customer's mail goes through a real SMTP server on
127.0.0.1, its link is answered over HTTP, and Gilles sees all three answers.
"""

import re
import uuid
from collections.abc import Iterator

import pytest
import requests

from davshare.model import invitations
from tests.conftest import BACKENDS, database_url
from tests.support.dav import put
from tests.support.mail import Inbox, mail_options, smtp
from tests.support.scheduling import attendee_line, copy_url, invite, meeting
from tests.support.server import Server

__all__ = ["smtp"]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, smtp: tuple[Inbox, int]) -> Iterator[Server]:
    """A server whose outbox goes to ``smtp`` and whose links lead to itself."""
    _, port = smtp
    instance = Server(database_url(request, request.param), **mail_options(port, "{url}"))
    instance.start()
    yield instance
    instance.stop()


def parts(message):
    """(plain text, the text/calendar part, the .ics attachment) of an invitation."""
    found = {}
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/plain", "text/calendar", "application/ics"):
            found[kind] = part.get_payload(decode=True).decode()
    return found.get("text/plain", ""), found.get("text/calendar", ""), found.get("application/ics")


def answer_link(text, answer):
    return re.search(rf"(http://\S+answer={answer})", text)[1]


def accept_by_dav(server, login, uid):
    session = server.session(login)
    copy = session.get(copy_url(server, login, uid)).text
    accepted = copy.replace(
        attendee_line(copy, login), f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{login}"
    )
    assert put(session, copy_url(server, login, uid), accepted).status_code == 204


def test_gilles_sees_the_answers_of_colleagues_and_of_a_customer_by_mail(server, smtp):
    mail, _ = smtp
    gilles, alexandre = server.new_user("example.com"), server.new_user("example.com")
    sophie = server.new_user("sud.org")
    invitations.set_language(server.engine, gilles, "fr")
    customer = f"client-{uuid.uuid4().hex[:6]}@customer.example"
    attendees = {a: "NEEDS-ACTION" for a in (alexandre, sophie, customer)}
    uid, url = invite(server, gilles, attendees, summary="Revue de contrat")
    assert "SCHEDULE-STATUS=1.1" in attendee_line(server.session(gilles).get(url).text, customer)

    message = mail.wait_for(customer, "Revue de contrat")
    assert message["Subject"] == "Invitation : Revue de contrat"
    assert message["Reply-To"] == gilles  # an answer by mail goes to him, not to the server
    text, calendar, attachment = parts(message)
    assert "vous invite" in text and gilles in text
    assert "METHOD:REQUEST" in calendar and uid in calendar and attachment == calendar
    assert mail.to(alexandre) == [] and mail.to(sophie) == []  # they are served here

    for login in (alexandre, sophie):
        accept_by_dav(server, login, uid)
    page = requests.get(answer_link(text, "declined"))
    assert page.status_code == 200 and "Revue de contrat" in page.text and "<form" in page.text
    untouched = server.session(gilles).get(url).text  # opening the link answered nothing
    assert "PARTSTAT=NEEDS-ACTION" in attendee_line(untouched, customer)
    token = re.search(r"token=([^&\s]+)", text)[1]
    target = answer_link(text, "declined").split("?")[0]
    answered = requests.post(target, data={"token": token, "answer": "declined"})
    assert answered.status_code == 200 and gilles in answered.text

    stored = server.session(gilles).get(url).text
    assert "PARTSTAT=ACCEPTED" in attendee_line(stored, alexandre)
    assert "PARTSTAT=ACCEPTED" in attendee_line(stored, sophie)
    assert "PARTSTAT=DECLINED" in attendee_line(stored, customer)


def test_unknown_token_or_answer_changes_nothing(server, smtp):
    mail, _ = smtp
    gilles = server.new_user("example.com")
    customer = f"client-{uuid.uuid4().hex[:6]}@customer.example"
    _, url = invite(server, gilles, {customer: "NEEDS-ACTION"})
    text, _, _ = parts(mail.wait_for(customer, "Budget review"))
    token = re.search(r"token=([^&\s]+)", text)[1]
    target = answer_link(text, "accepted").split("?")[0]
    before = server.session(gilles).get(url).text
    assert requests.post(target, data={"token": "forged", "answer": "accepted"}).status_code == 404
    assert requests.post(target, data={"token": token, "answer": "maybe"}).status_code == 400
    assert requests.get(target, params={"token": "forged"}).status_code == 404
    assert server.session(gilles).get(url).text == before


def test_cancellation_and_removal_are_mailed(server, smtp):
    mail, _ = smtp
    gilles = server.new_user("example.com")
    stays = f"stays-{uuid.uuid4().hex[:6]}@customer.example"
    removed = f"removed-{uuid.uuid4().hex[:6]}@customer.example"
    uid, url = invite(server, gilles, {stays: "NEEDS-ACTION", removed: "NEEDS-ACTION"})
    mail.wait_for(removed, "Invitation")
    smaller = meeting(uid, gilles, {stays: "NEEDS-ACTION"}, summary="Budget review", sequence=1)
    assert put(server.session(gilles), url, smaller).status_code == 204
    _, calendar, _ = parts(mail.wait_for(removed, "Cancelled"))
    assert "METHOD:CANCEL" in calendar and "STATUS:CANCELLED" in calendar
    assert server.session(gilles).delete(url).status_code in (200, 204)
    _, calendar, _ = parts(mail.wait_for(stays, "Cancelled"))
    assert "METHOD:CANCEL" in calendar and uid in calendar


def test_an_account_answering_an_organizer_outside_replies_by_mail(server, smtp):
    mail, _ = smtp
    alexandre = server.new_user("example.com")
    boss = f"boss-{uuid.uuid4().hex[:6]}@customer.example"
    uid = f"outside-{uuid.uuid4().hex[:8]}"
    url = copy_url(server, alexandre, uid)
    received = meeting(uid, boss, {alexandre: "NEEDS-ACTION"}, summary="Kick-off")
    assert put(server.session(alexandre), url, received).status_code == 201  # his client files it
    accept_by_dav(server, alexandre, uid)
    message = mail.wait_for(boss, "Kick-off")
    assert alexandre in message["Subject"] and message["Reply-To"] == alexandre
    _, calendar, _ = parts(message)
    assert "METHOD:REPLY" in calendar and "PARTSTAT=ACCEPTED" in calendar
    assert calendar.count("ATTENDEE") == 1  # his answer only
