"""Busy times without details (SPEC G5, S1): outbox, free/busy URL, private events."""

import uuid
import xml.etree.ElementTree as ET

import pytest

from tests.support.api import ApiClient
from tests.support.dav import NS, propfind, put, sync_collection, vevent

CALDAV = "urn:ietf:params:xml:ns:caldav"
WINDOW = ("20261201T000000Z", "20261205T000000Z")
SECRET = "LOCATION:Board room\nATTENDEE;CN=Carol:mailto:carol@example.com\nDESCRIPTION:Merger"


def _api(server, login):
    return ApiClient(server.url, server.session(login))


def _request(organizer, *attendees):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "METHOD:REQUEST",
        "BEGIN:VFREEBUSY",
        f"UID:{uuid.uuid4()}",
        "DTSTAMP:20261120T000000Z",
        f"DTSTART:{WINDOW[0]}",
        f"DTEND:{WINDOW[1]}",
        f"ORGANIZER:mailto:{organizer}",
        *[f"ATTENDEE:mailto:{a}" for a in attendees],
        "END:VFREEBUSY",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def _ask_outbox(server, requester, *attendees):
    response = server.session(requester).post(
        f"{server.url}/{requester}/.outbox/",
        data=_request(requester, *attendees),
        headers={"Content-Type": "text/calendar; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    answers = {}
    for r in ET.fromstring(response.content).findall(f"{{{CALDAV}}}response"):
        who = r.findtext(f"{{{CALDAV}}}recipient/{{DAV:}}href")
        answers[who[7:]] = (
            r.findtext(f"{{{CALDAV}}}request-status"),
            r.findtext(f"{{{CALDAV}}}calendar-data") or "",
        )
    return answers


@pytest.fixture
def colleagues(server):
    busy, asker, stranger = server.new_user(), server.new_user(), server.new_user()
    group = f"g-{uuid.uuid4().hex[:8]}"
    _api(server, busy).ok("POST", "/groups", {"name": group})
    _api(server, busy).ok("POST", f"/groups/{group}/members", {"login": asker})
    put(
        server.session(busy),
        f"{server.url}/{busy}/calendar/standup.ics",
        vevent(
            "standup",
            "Secret standup",
            start="20261201T090000Z",
            end="20261201T093000Z",
            extra="RRULE:FREQ=DAILY;COUNT=3\n" + SECRET,
        ),
    )
    return busy, asker, stranger


def test_g5_group_members_see_each_others_busy_times_through_the_outbox(server, colleagues):
    busy, asker, stranger = colleagues
    answers = _ask_outbox(server, asker, busy, stranger, "nobody@nowhere.example")
    status, data = answers[busy]
    assert status == "2.0;Success"
    assert "METHOD:REPLY" in data and data.count("FREEBUSY;FBTYPE=BUSY:") == 3
    assert "20261203T090000Z/20261203T093000Z" in data
    for secret in ("Secret", "Board room", "carol@", "Merger"):
        assert secret not in data
    assert answers[stranger][0] == "3.8;No authority"
    assert answers["nobody@nowhere.example"][0] == "3.7;Invalid calendar user"


def test_outbox_refuses_other_organizers_and_bad_bodies(server, colleagues):
    busy, asker, _ = colleagues
    forged = server.session(asker).post(
        f"{server.url}/{asker}/.outbox/", data=_request(busy, asker)
    )
    assert forged.status_code == 403 and "ORGANIZER" in forged.text
    bad = server.session(asker).post(
        f"{server.url}/{asker}/.outbox/", data="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    )
    assert bad.status_code == 400 and "free/busy request" in bad.text
    other = server.session(asker).post(f"{server.url}/{busy}/.outbox/", data=_request(asker, busy))
    assert other.status_code == 403


def test_principal_advertises_scheduling_for_clients(server):
    login = server.new_user()
    props = "<C:schedule-outbox-URL/><C:schedule-inbox-URL/><C:calendar-user-address-set/>"
    root = ET.fromstring(propfind(server.session(login), f"{server.url}/{login}/", props).content)
    assert root.findtext(".//C:schedule-outbox-URL/D:href", namespaces=NS).endswith("/.outbox/")
    assert root.findtext(".//C:schedule-inbox-URL/D:href", namespaces=NS).endswith("/.inbox/")
    addresses = [h.text for h in root.findall(".//C:calendar-user-address-set/D:href", NS)]
    assert f"mailto:{login}" in addresses
    assert "404" not in ET.tostring(root).decode()
    assert (
        "calendar-auto-schedule"
        in server.session(login).options(f"{server.url}/{login}/").headers["DAV"]
    )


def test_free_busy_url_for_outlook(server, colleagues):
    busy, asker, stranger = colleagues
    api = _api(server, asker)
    response = api.call("GET", f"/freebusy/{busy}.vfb", start="2026-12-01", end="2026-12-05")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(
        "text/calendar"
    )
    assert response.text.count("FREEBUSY;FBTYPE=BUSY:") == 3 and "Secret" not in response.text
    assert _api(server, stranger).call("GET", f"/freebusy/{busy}.vfb").status_code == 403
    assert api.call("GET", f"/freebusy/{busy}", start="not a date").status_code == 400


def test_s1_freebusy_share_opens_busy_times_to_a_non_member(server, colleagues):
    busy, _, stranger = colleagues
    _api(server, busy).ok("PUT", f"/collections/calendar/shares/{stranger}", {"rights": "freebusy"})
    status, data = _ask_outbox(server, stranger, busy)[busy]
    assert (
        status == "2.0;Success"
        and data.count("FREEBUSY;FBTYPE=BUSY:") == 3
        and "Secret" not in data
    )


@pytest.mark.parametrize(("rights", "details"), [("read", False), ("read_write", True)])
def test_private_events_show_details_only_to_owner_and_full_sharees(server, rights, details):
    owner, sharee = server.new_user(), server.new_user()
    _api(server, owner).ok("PUT", f"/collections/calendar/shares/{sharee}", {"rights": rights})
    put(
        server.session(owner),
        f"{server.url}/{owner}/calendar/p.ics",
        vevent("p", "Doctor", extra="CLASS:PRIVATE\n" + SECRET),
    )
    put(server.session(owner), f"{server.url}/{owner}/calendar/q.ics", vevent("q", "Team lunch"))
    mount = f"{server.url}/{sharee}/calendar~{owner}/"
    private = server.session(sharee).get(mount + "p.ics")
    public = server.session(sharee).get(mount + "q.ics")
    assert "Team lunch" in public.text
    for secret in ("Doctor", "Board room", "carol@", "Merger"):
        assert (secret in private.text) is details
    assert ("SUMMARY:Private event" in private.text) is not details
    assert "DTSTART:20261201T100000Z" in private.text
    owner_view = server.session(owner).get(f"{server.url}/{owner}/calendar/p.ics")
    assert "Doctor" in owner_view.text
    assert (private.headers["ETag"] == owner_view.headers["ETag"]) is details
    report = (
        '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        '<D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/>'
        "</C:filter></C:calendar-query>"
    )
    listed = (
        server.session(sharee).request("REPORT", mount, data=report, headers={"Depth": "1"}).text
    )
    assert ("Doctor" in listed) is details and ("Board room" in listed) is details


def test_g5_s4_a_change_to_a_private_events_details_is_not_reported_to_busy_only_readers(server):
    owner, sharee = server.new_user(), server.new_user()
    _api(server, owner).ok("PUT", f"/collections/calendar/shares/{sharee}", {"rights": "read"})
    own = f"{server.url}/{owner}/calendar/p.ics"
    put(server.session(owner), own, vevent("p", "Doctor", extra="CLASS:PRIVATE"))
    mount = f"{server.url}/{sharee}/calendar~{owner}/"
    session = server.session(sharee)
    token, _ = sync_collection(session, mount)
    etag = session.get(mount + "p.ics").headers["ETag"]
    put(server.session(owner), own, vevent("p", "Dentist", extra="CLASS:PRIVATE"))
    assert sync_collection(session, mount, token) == (token, {})
    assert session.get(mount + "p.ics").headers["ETag"] == etag
    # Moving it is a change they see.
    moved = vevent(
        "p", "Dentist", start="20261202T100000Z", end="20261202T110000Z", extra="CLASS:PRIVATE"
    )
    put(server.session(owner), own, moved)
    new_token, changes = sync_collection(session, mount, token)
    assert new_token != token and len(changes) == 1
