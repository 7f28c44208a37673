"""Scheduling helpers: meetings with attendees, their copies and the inbox, over DAV."""

import uuid
import xml.etree.ElementTree as ET

from tests.support.dav import NS, propfind, put, vevent


def meeting(uid, organizer, attendees, *, sequence=0, summary="Budget review", extra=""):
    """An event ``organizer`` invites ``attendees`` to (address -> PARTSTAT)."""
    lines = [
        f"SEQUENCE:{sequence}",
        f"ORGANIZER;CN=Organizer:mailto:{organizer}",
        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer}",
        *[f"ATTENDEE;PARTSTAT={p};RSVP=TRUE:mailto:{a}" for a, p in attendees.items()],
        extra.strip(),
    ]
    text = "\n".join(lines)
    return vevent(uid, summary, "20261210T100000Z", "20261210T110000Z", extra=text)


def unfolded(text):
    return text.replace("\r\n ", "").replace("\n ", "")


def attendee_line(text, who):
    """The ATTENDEE line naming ``who`` (the first one)."""
    for line in unfolded(text).splitlines():
        if line.startswith("ATTENDEE") and line.lower().endswith(f"mailto:{who}"):
            return line
    raise AssertionError(f"no ATTENDEE {who} in {text}")


def inbox(server, login):
    """The iTIP messages in ``login``'s inbox: href -> text."""
    session = server.session(login)
    response = propfind(session, f"{server.url}/{login}/.inbox/", "<D:getetag/>", depth="1")
    assert response.status_code == 207, response.text
    hrefs = [
        r.findtext("D:href", namespaces=NS)
        for r in ET.fromstring(response.content).findall("D:response", NS)
    ]
    found = {}
    for href in hrefs:
        if href.endswith(".ics"):
            found[href] = session.get(server.url + href).text
    return found


def invite(server, organizer, attendees, uid=None, **kwargs):
    uid = uid or f"meeting-{uuid.uuid4().hex[:8]}"
    url = f"{server.url}/{organizer}/calendar/{uid}.ics"
    response = put(server.session(organizer), url, meeting(uid, organizer, attendees, **kwargs))
    assert response.status_code in (201, 204), response.text
    return uid, url


def copy_url(server, login, uid):
    return f"{server.url}/{login}/calendar/{uid}.ics"
