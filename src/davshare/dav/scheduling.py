"""CalDAV scheduling's collections (RFC 6638): the outbox POST, the principal's and the
inbox's properties.

Thunderbird, Evolution and Apple's clients look up attendees' busy times by
POSTing a VFREEBUSY request to the schedule outbox named on the principal.
Invitations are delivered by the server when events are written
(``implicit_scheduling``) into the inbox, a calendar collection of iTIP messages
the owner reads and deletes.
"""

import datetime
import posixpath
import xml.etree.ElementTree as ET
from http import client
from urllib.parse import quote, unquote

import icalendar
from radicale import types

from davshare.dav import errors
from davshare.facts import freebusy
from davshare.model import scheduling
from davshare.model.accounts import normalize_login
from davshare.storage.backend import Storage

OUTBOX = scheduling.OUTBOX
INBOX = scheduling.INBOX
CALDAV = "urn:ietf:params:xml:ns:caldav"
_DEFAULT_CALENDAR = f"{{{CALDAV}}}schedule-default-calendar-URL"
_SCHEDULE_TAG = f"{{{CALDAV}}}schedule-tag"
_SCHEDULE_PROPS = {
    f"{{{CALDAV}}}schedule-outbox-URL": OUTBOX,
    f"{{{CALDAV}}}schedule-inbox-URL": INBOX,
}
_ADDRESS_SET = f"{{{CALDAV}}}calendar-user-address-set"


class BadRequest(ValueError):
    """The POSTed body is not a free/busy request; the message says why."""


def _utc(value: object) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise BadRequest("DTSTART and DTEND must be date-times")
    return value.astimezone(datetime.UTC) if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _request(text: str) -> icalendar.Component:
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as e:
        raise BadRequest(f"the body is not iCalendar: {e}") from e
    requests = calendar.walk("VFREEBUSY")
    if str(calendar.get("METHOD", "")).upper() != "REQUEST" or len(requests) != 1:
        raise BadRequest("only free/busy requests are handled: METHOD:REQUEST with one VFREEBUSY")
    return requests[0]


def _mailto(value: object) -> str:
    address = str(value)
    return normalize_login(address[7:] if address.lower().startswith("mailto:") else address)


def _recipient(
    storage: Storage,
    requester: str,
    attendee: str,
    window: tuple[datetime.datetime, datetime.datetime],
    organizer: str,
    uid: str,
) -> ET.Element:
    response = ET.Element(f"{{{CALDAV}}}response")
    ET.SubElement(
        ET.SubElement(response, f"{{{CALDAV}}}recipient"), "{DAV:}href"
    ).text = f"mailto:{attendee}"
    calendars = (
        freebusy.visible_calendars(storage, requester, attendee) if "@" in attendee else None
    )
    status = ET.SubElement(response, f"{{{CALDAV}}}request-status")
    if calendars is None:
        status.text = (
            "3.8;No authority" if storage.collection(attendee) else "3.7;Invalid calendar user"
        )
        return response
    status.text = "2.0;Success"
    periods = freebusy.busy_periods(calendars, *window)
    ET.SubElement(response, f"{{{CALDAV}}}calendar-data").text = freebusy.vfreebusy(
        periods, *window, attendee=attendee, organizer=organizer, uid=uid, method="REPLY"
    )
    return response


def outbox_post(storage: Storage, user: str, text: str) -> types.WSGIResponse:
    """Answer a free/busy request POSTed to ``user``'s outbox with a schedule-response."""
    try:
        request = _request(text)
        window = (_utc(request.decoded("DTSTART")), _utc(request.decoded("DTEND")))
    except (BadRequest, KeyError) as e:
        return errors.dav_error(
            client.BAD_REQUEST, "C:valid-calendar-data", f"Not a free/busy request: {e}"
        )
    organizer = str(request.get("ORGANIZER", f"mailto:{user}"))
    if _mailto(organizer) != user:
        return errors.dav_error(
            client.FORBIDDEN, "C:organizer-allowed", "The ORGANIZER must be yourself."
        )
    attendees = request.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    root = ET.Element(f"{{{CALDAV}}}schedule-response")
    uid = str(request.get("UID", ""))
    for attendee in attendees:
        root.append(_recipient(storage, user, _mailto(attendee), window, organizer, uid))
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return client.OK, {"Content-Type": "application/xml; charset=utf-8"}, body, None


def add_principal_properties(root: ET.Element, base_prefix: str, user: str) -> None:
    """Fill the scheduling properties of ``user``'s principal in a PROPFIND answer."""
    home = base_prefix + "/" + quote(user) + "/"
    for response in root.findall("{DAV:}response"):
        if (response.findtext("{DAV:}href") or "") not in (home, home.replace("%40", "@")):
            continue
        for propstat in response.findall("{DAV:}propstat"):
            prop = propstat.find("{DAV:}prop")
            for element in list(prop) if prop is not None else []:
                _fill(element, home, user, propstat, response)
            if prop is not None and len(prop) == 0:
                response.remove(propstat)


def _fill(
    element: ET.Element, home: str, user: str, propstat: ET.Element, response: ET.Element
) -> None:
    if element.tag == _ADDRESS_SET:  # the address first: clients take the first as the user's
        address = ET.Element("{DAV:}href")
        address.text = f"mailto:{user}"
        element.insert(0, address)
    elif element.tag in _SCHEDULE_PROPS and "404" in (propstat.findtext("{DAV:}status") or ""):
        propstat.find("{DAV:}prop").remove(element)  # type: ignore[union-attr]
        ok = _ok_prop(response)
        moved = ET.SubElement(ok, element.tag)
        ET.SubElement(moved, "{DAV:}href").text = home + _SCHEDULE_PROPS[element.tag] + "/"


def _ok_prop(response: ET.Element) -> ET.Element:
    for propstat in response.findall("{DAV:}propstat"):
        if "200" in (propstat.findtext("{DAV:}status") or ""):
            prop = propstat.find("{DAV:}prop")
            if prop is not None:
                return prop
    propstat = ET.Element("{DAV:}propstat")
    response.insert(1, propstat)
    prop = ET.SubElement(propstat, "{DAV:}prop")
    ET.SubElement(propstat, "{DAV:}status").text = "HTTP/1.1 200 OK"
    return prop


def add_inbox_properties(root: ET.Element, base_prefix: str, user: str) -> None:
    """Show ``user``'s inbox as a schedule inbox (not a calendar) with its default calendar."""
    inbox = base_prefix + "/" + quote(user) + "/" + INBOX + "/"
    for response in root.findall("{DAV:}response"):
        if (response.findtext("{DAV:}href") or "") not in (inbox, inbox.replace("%40", "@")):
            continue
        for kind in response.iter("{DAV:}resourcetype"):
            for child in list(kind):
                if child.tag == f"{{{CALDAV}}}calendar":
                    kind.remove(child)
            ET.SubElement(kind, f"{{{CALDAV}}}schedule-inbox")
        for propstat in response.findall("{DAV:}propstat"):
            prop = propstat.find("{DAV:}prop")
            asked = prop.find(_DEFAULT_CALENDAR) if prop is not None else None
            if prop is None or asked is None:
                continue
            prop.remove(asked)
            target = ET.SubElement(_ok_prop(response), _DEFAULT_CALENDAR)
            home = base_prefix + "/" + quote(user) + "/"
            ET.SubElement(target, "{DAV:}href").text = home + scheduling.DEFAULT_CALENDAR + "/"
            if len(prop) == 0:
                response.remove(propstat)


def add_schedule_tags(root: ET.Element, base_prefix: str, storage: Storage) -> None:
    """Fill ``CALDAV:schedule-tag`` (RFC 6638 3.2.10) of the scheduling objects listed."""
    for response in root.findall("{DAV:}response"):
        for propstat in response.findall("{DAV:}propstat"):
            prop = propstat.find("{DAV:}prop")
            asked = prop.find(_SCHEDULE_TAG) if prop is not None else None
            if prop is None or asked is None:  # Radicale answers it 404: davshare knows it
                continue
            path = unquote(response.findtext("{DAV:}href") or "")[len(base_prefix) :].strip("/")
            collection = storage.collection(posixpath.dirname(path))
            if collection is None or not collection.tag:
                continue
            tag = scheduling.schedule_tag(storage.engine, collection.id, posixpath.basename(path))
            if not tag:
                continue
            prop.remove(asked)
            ET.SubElement(_ok_prop(response), _SCHEDULE_TAG).text = f'"{tag}"'
            if len(prop) == 0:
                response.remove(propstat)
