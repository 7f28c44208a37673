"""Implicit scheduling between accounts of this server (RFC 6638 3, 4), by plain DAV requests.

Organizers and attendees are accounts of two mail domains served here; every delivery
is checked in the attendee's calendar and inbox, and every answer in the organizer's copy.
"""

import uuid
import xml.etree.ElementTree as ET

import icalendar
import pytest

from tests.support.api import ApiClient
from tests.support.dav import NS, need_privilege, propfind, put
from tests.support.scheduling import attendee_line, copy_url, inbox, invite, meeting, unfolded

CALDAV = "urn:ietf:params:xml:ns:caldav"


@pytest.fixture
def team(server):
    """An organizer and a colleague in one domain, a colleague in another domain."""
    organizer = server.new_user("example.com")
    colleague = server.new_user("example.com")
    partner = server.new_user("partner.org")
    return organizer, colleague, partner


def test_invitation_reaches_attendees_of_both_domains(server, team):
    organizer, colleague, partner = team
    nobody = f"nobody-{uuid.uuid4().hex[:6]}@example.com"
    uid, url = invite(
        server,
        organizer,
        {colleague: "NEEDS-ACTION", partner: "NEEDS-ACTION", nobody: "NEEDS-ACTION"},
    )
    for login in (colleague, partner):
        copy = server.session(login).get(copy_url(server, login, uid))
        assert copy.status_code == 200, copy.text
        assert "PARTSTAT=NEEDS-ACTION" in attendee_line(copy.text, login)
        assert "SCHEDULE-STATUS" not in copy.text and "METHOD" not in copy.text
        assert copy.headers.get("Schedule-Tag")
        messages = list(inbox(server, login).values())
        assert len(messages) == 1 and "METHOD:REQUEST" in messages[0] and uid in messages[0]
    stored = server.session(organizer).get(url)
    assert "SCHEDULE-STATUS=1.2" in attendee_line(stored.text, colleague)
    assert "SCHEDULE-STATUS=1.2" in attendee_line(stored.text, partner)
    assert "SCHEDULE-STATUS=3.7" in attendee_line(stored.text, nobody)
    assert stored.headers.get("Schedule-Tag")


def test_inbox_is_a_schedule_inbox_and_keeps_messages_until_deleted(server, team):
    organizer, colleague, _ = team
    uid, _ = invite(server, organizer, {colleague: "NEEDS-ACTION"})
    session = server.session(colleague)
    listing = propfind(session, f"{server.url}/{colleague}/", "<D:resourcetype/>", depth="1")
    kinds = {
        r.findtext("D:href", namespaces=NS): r.find(".//D:resourcetype", NS)
        for r in ET.fromstring(listing.content).findall("D:response", NS)
    }
    inbox_kind = next(k for href, k in kinds.items() if href.endswith("/.inbox/"))
    assert inbox_kind.find(f"{{{CALDAV}}}schedule-inbox") is not None
    assert inbox_kind.find(f"{{{CALDAV}}}calendar") is None
    props = propfind(
        session, f"{server.url}/{colleague}/.inbox/", "<C:schedule-default-calendar-URL/>"
    )
    assert f"/{colleague}/calendar/".replace("@", "%40") in props.text.replace("@", "%40")
    ((href, _),) = inbox(server, colleague).items()
    assert inbox(server, colleague) == inbox(server, colleague)  # reading does not remove
    refused = put(
        session, f"{server.url}/{colleague}/.inbox/forged.ics", meeting("x", colleague, {})
    )
    assert refused.status_code == 403 and need_privilege(refused) == "bind"
    assert session.delete(server.url + href).status_code in (200, 204)
    assert inbox(server, colleague) == {}
    assert session.get(copy_url(server, colleague, uid)).status_code == 200  # the event stays


def test_attendee_accepts_and_the_organizer_copy_records_it(server, team):
    organizer, colleague, partner = team
    uid, url = invite(server, organizer, {colleague: "NEEDS-ACTION", partner: "NEEDS-ACTION"})
    before = server.session(organizer).get(url)
    session = server.session(colleague)
    copy = session.get(copy_url(server, colleague, uid))
    accepted = copy.text.replace(
        attendee_line(copy.text, colleague), f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{colleague}"
    )
    assert put(session, copy_url(server, colleague, uid), accepted).status_code == 204
    after = server.session(organizer).get(url)
    assert "PARTSTAT=ACCEPTED" in attendee_line(after.text, colleague)
    assert "PARTSTAT=NEEDS-ACTION" in attendee_line(after.text, partner)
    # The reply changed the organizer's copy (ETag) but not its Schedule-Tag (RFC 6638 3.2.10).
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["Schedule-Tag"] == before.headers["Schedule-Tag"]
    replies = [t for t in inbox(server, organizer).values() if "METHOD:REPLY" in t]
    assert len(replies) == 1 and colleague in replies[0] and partner not in replies[0]


def test_schedule_tag_mismatch_answers_412_and_changes_nothing(server, team):
    organizer, colleague, _ = team
    uid, url = invite(server, organizer, {colleague: "NEEDS-ACTION"})
    session = server.session(organizer)
    stored = session.get(url)
    changed = meeting(uid, organizer, {colleague: "NEEDS-ACTION"}, summary="Moved", sequence=1)
    stale = put(session, url, changed, **{"If-Schedule-Tag-Match": '"not-the-tag"'})
    assert stale.status_code == 412
    assert session.get(url).text == stored.text
    assert "Moved" not in server.session(colleague).get(copy_url(server, colleague, uid)).text
    tag = stored.headers["Schedule-Tag"]
    listed = propfind(session, f"{server.url}/{organizer}/calendar/", "<C:schedule-tag/>", "1")
    assert tag in listed.text  # the property (RFC 6638 3.2.10) is the header's value
    refused = session.delete(url, headers={"If-Schedule-Tag-Match": '"not-the-tag"'})
    assert refused.status_code == 412 and session.get(url).text == stored.text
    fresh = put(session, url, changed, **{"If-Schedule-Tag-Match": tag})
    assert fresh.status_code == 204, fresh.text
    assert fresh.headers["Schedule-Tag"] != tag and "ETag" not in fresh.headers
    assert "Moved" in server.session(colleague).get(copy_url(server, colleague, uid)).text


def test_updates_removed_attendees_and_cancellation_reach_every_copy(server, team):
    organizer, colleague, partner = team
    uid, url = invite(server, organizer, {colleague: "NEEDS-ACTION", partner: "NEEDS-ACTION"})
    moved = meeting(uid, organizer, {colleague: "NEEDS-ACTION"}, summary="Later", sequence=1)
    assert put(server.session(organizer), url, moved).status_code == 204
    assert server.session(partner).get(copy_url(server, partner, uid)).status_code == 404
    assert any("METHOD:CANCEL" in t for t in inbox(server, partner).values())
    copy = server.session(colleague).get(copy_url(server, colleague, uid)).text
    assert "SUMMARY:Later" in copy and "SEQUENCE:1" in copy
    assert server.session(organizer).delete(url).status_code in (200, 204)
    assert server.session(colleague).get(copy_url(server, colleague, uid)).status_code == 404
    (message,) = inbox(server, colleague).values()
    assert "METHOD:CANCEL" in message and "STATUS:CANCELLED" in message


def test_attendee_deleting_their_copy_declines(server, team):
    organizer, colleague, _ = team
    uid, url = invite(server, organizer, {colleague: "NEEDS-ACTION"})
    session = server.session(colleague)
    assert session.delete(copy_url(server, colleague, uid)).status_code in (200, 204)
    stored = server.session(organizer).get(url).text
    assert "PARTSTAT=DECLINED" in attendee_line(stored, colleague)


def test_schedule_agent_client_is_left_to_the_client(server, team):
    organizer, colleague, partner = team
    uid = f"client-{uuid.uuid4().hex[:8]}"
    text = meeting(uid, organizer, {partner: "NEEDS-ACTION"}).replace(
        "END:VEVENT", f"ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:{colleague}\r\nEND:VEVENT"
    )
    url = f"{server.url}/{organizer}/calendar/{uid}.ics"
    assert put(server.session(organizer), url, text).status_code == 201
    assert server.session(colleague).get(copy_url(server, colleague, uid)).status_code == 404
    assert server.session(partner).get(copy_url(server, partner, uid)).status_code == 200
    assert "SCHEDULE-STATUS" not in attendee_line(
        server.session(organizer).get(url).text, colleague
    )


def test_spoofed_organizer_is_refused_and_nothing_is_delivered(server, team):
    organizer, colleague, partner = team
    uid = f"spoof-{uuid.uuid4().hex[:8]}"
    url = f"{server.url}/{colleague}/calendar/{uid}.ics"
    response = put(
        server.session(colleague), url, meeting(uid, organizer, {partner: "NEEDS-ACTION"})
    )
    assert response.status_code == 403
    assert ET.fromstring(response.content).find(f"{{{CALDAV}}}valid-organizer") is not None
    assert server.session(colleague).get(url).status_code == 404
    assert server.session(partner).get(copy_url(server, partner, uid)).status_code == 404
    assert inbox(server, partner) == {}


RECURRING = """RRULE:FREQ=DAILY;COUNT=3
END:VEVENT
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261101T000000Z
RECURRENCE-ID:20261211T100000Z
DTSTART:20261211T140000Z
DTEND:20261211T150000Z
SUMMARY:Budget review (afternoon)
ORGANIZER:mailto:{organizer}
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer}
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{colleague}
"""


def test_recurring_event_with_an_overridden_instance(server, team):
    organizer, colleague, _ = team
    uid = f"series-{uuid.uuid4().hex[:8]}"
    extra = RECURRING.format(uid=uid, organizer=organizer, colleague=colleague)
    uid, url = invite(server, organizer, {colleague: "NEEDS-ACTION"}, uid=uid, extra=extra)
    session = server.session(colleague)
    copy = session.get(copy_url(server, colleague, uid)).text
    assert "RRULE:FREQ=DAILY;COUNT=3" in copy and "RECURRENCE-ID:20261211T100000Z" in copy
    # Decline the moved instance only, and add a tentative instance the organizer never moved.
    calendar = icalendar.Calendar.from_ical(copy)
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            for attendee in event.get("ATTENDEE"):
                if attendee.lower() == f"mailto:{colleague}":
                    attendee.params["PARTSTAT"] = "DECLINED"
    third = icalendar.Event.from_ical(
        "\r\n".join(
            [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                "DTSTAMP:20261102T000000Z",
                "RECURRENCE-ID:20261212T100000Z",
                "DTSTART:20261212T100000Z",
                "DTEND:20261212T110000Z",
                "SUMMARY:Budget review",
                f"ORGANIZER:mailto:{organizer}",
                f"ATTENDEE;PARTSTAT=TENTATIVE:mailto:{colleague}",
                "END:VEVENT",
            ]
        )
    )
    calendar.add_component(third)
    answered = calendar.to_ical().decode()
    assert put(session, copy_url(server, colleague, uid), answered).status_code == 204
    stored = unfolded(server.session(organizer).get(url).text)
    parts = {}
    for block in stored.split("BEGIN:VEVENT")[1:]:
        rid = next((x for x in block.splitlines() if x.startswith("RECURRENCE-ID")), "master")
        parts[rid.split(":")[-1]] = block
    assert "PARTSTAT=NEEDS-ACTION" in attendee_line(parts["master"], colleague)
    assert "PARTSTAT=DECLINED" in attendee_line(parts["20261211T100000Z"], colleague)
    assert "PARTSTAT=TENTATIVE" in attendee_line(parts["20261212T100000Z"], colleague)
    assert "DTSTART:20261212T100000Z" in parts["20261212T100000Z"]


def _busy_lines(server, login):
    """The FREEBUSY lines ``login``'s outbox answers for their own December 10th."""
    request = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//davshare tests//EN",
            "METHOD:REQUEST",
            "BEGIN:VFREEBUSY",
            f"UID:{uuid.uuid4()}",
            "DTSTAMP:20261101T000000Z",
            "DTSTART:20261210T000000Z",
            "DTEND:20261211T000000Z",
            f"ORGANIZER:mailto:{login}",
            f"ATTENDEE:mailto:{login}",
            "END:VFREEBUSY",
            "END:VCALENDAR",
        ]
    )
    response = server.session(login).post(
        f"{server.url}/{login}/.outbox/",
        data=request,
        headers={"Content-Type": "text/calendar; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    return [line for line in unfolded(response.text).splitlines() if "FREEBUSY;" in line]


def test_invitations_count_as_busy_until_declined(server, team):
    organizer, colleague, _ = team
    uid, _ = invite(server, organizer, {colleague: "NEEDS-ACTION"})
    assert len(_busy_lines(server, colleague)) == 1  # the inbox's copy does not count twice
    session = server.session(colleague)
    copy = session.get(copy_url(server, colleague, uid)).text
    declined = copy.replace(
        attendee_line(copy, colleague), f"ATTENDEE;PARTSTAT=DECLINED:mailto:{colleague}"
    )
    assert put(session, copy_url(server, colleague, uid), declined).status_code == 204
    assert _busy_lines(server, colleague) == []


def test_organizer_in_a_group_calendar_schedules_as_themselves_only(server, team):
    organizer, colleague, partner = team
    group = f"g-{uuid.uuid4().hex[:8]}"
    admin = ApiClient(server.url, server.session(organizer))
    admin.ok("POST", "/groups", {"name": group})
    admin.ok("POST", f"/groups/{group}/members", {"login": colleague})
    admin.ok("PUT", f"/groups/{group}/collections/calendar/grants/*", {"rights": "add"})
    uid = f"group-{uuid.uuid4().hex[:8]}"
    url = f"{server.url}/{organizer}/calendar@{group}/{uid}.ics"
    text = meeting(uid, organizer, {partner: "NEEDS-ACTION"})
    assert put(server.session(organizer), url, text).status_code == 201
    accept = server.session(partner)
    copy = accept.get(copy_url(server, partner, uid)).text  # delivered without any share
    answered = copy.replace(
        attendee_line(copy, partner), f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{partner}"
    )
    assert put(accept, copy_url(server, partner, uid), answered).status_code == 204
    seen = server.session(colleague).get(f"{server.url}/{colleague}/calendar@{group}/{uid}.ics")
    assert "PARTSTAT=ACCEPTED" in attendee_line(seen.text, partner)  # the group's copy
    # A member may not invite in the organizer's name, even where they may write.
    forged = f"{server.url}/{colleague}/calendar@{group}/forged.ics"
    response = put(
        server.session(colleague), forged, meeting("forged", organizer, {partner: "NEEDS-ACTION"})
    )
    assert response.status_code == 403 and "valid-organizer" in response.text
    assert server.session(partner).get(copy_url(server, partner, "forged")).status_code == 404
