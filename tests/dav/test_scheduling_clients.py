"""Scheduling as the caldav library does it (RFC 6638): invite, find the invitation in the
inbox, accept it, and the organizer sees the answer — accounts of two mail domains."""

import uuid

import caldav
import pytest

from tests.support.server import PASSWORD

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//davshare tests//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261101T000000Z
DTSTART:20261215T090000Z
DTEND:20261215T100000Z
SUMMARY:Quarterly planning
END:VEVENT
END:VCALENDAR
"""


def principal(server, login):
    client = caldav.DAVClient(url=server.url + "/", username=login, password=PASSWORD)
    return client.principal()


def calendar_of(found):
    """The account's default calendar (its events calendar, not the task list)."""
    return next(c for c in found.calendars() if str(c.url).rstrip("/").endswith("/calendar"))


def partstats(event):
    """Attendee address -> PARTSTAT in an event's master component."""
    event.load()
    attendees = event.icalendar_component.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return {str(a)[7:].lower(): str(a.params.get("PARTSTAT")) for a in attendees}


@pytest.fixture
def people(server):
    return (
        server.new_user("example.com"),
        server.new_user("example.com"),
        server.new_user("sud.org"),
    )


def test_caldav_library_invites_and_attendees_accept_from_their_inbox(server, people):
    gilles, alexandre, sophie = people
    uid = f"planning-{uuid.uuid4().hex[:8]}"
    organizer = principal(server, gilles)
    event = calendar_of(organizer).save_with_invites(
        EVENT.format(uid=uid), [f"mailto:{alexandre}", f"mailto:{sophie}"]
    )
    for login, answer in ((alexandre, "accept_invite"), (sophie, "tentatively_accept_invite")):
        attendee = principal(server, login)
        invitations = [i for i in attendee.schedule_inbox().get_items() if i.is_invite_request()]
        assert len(invitations) == 1 and uid in invitations[0].data
        getattr(invitations[0], answer)(calendar=calendar_of(attendee))
        (copy,) = [e for e in calendar_of(attendee).events() if uid in e.data]
        assert copy.url.path.endswith(f"/{login}/calendar/{uid}.ics".replace("@", "%40")) or (
            copy.url.path.endswith(f"/{login}/calendar/{uid}.ics")
        )
    answers = partstats(event)
    assert answers[alexandre] == "ACCEPTED"
    assert answers[sophie] == "TENTATIVE"
    replies = [i for i in organizer.schedule_inbox().get_items() if i.is_invite_reply()]
    assert len(replies) == 1  # one message per event: the newest reply replaces the older


def test_caldav_library_sees_the_cancellation(server, people):
    gilles, alexandre, _ = people
    uid = f"cancelled-{uuid.uuid4().hex[:8]}"
    event = calendar_of(principal(server, gilles)).save_with_invites(
        EVENT.format(uid=uid), [f"mailto:{alexandre}"]
    )
    attendee = principal(server, alexandre)
    assert any(uid in e.data for e in calendar_of(attendee).events())
    event.delete()
    assert not any(uid in e.data for e in calendar_of(attendee).events())
    (message,) = attendee.schedule_inbox().get_items()
    message.load()
    assert message.icalendar_instance.get("METHOD") == "CANCEL"
