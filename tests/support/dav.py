"""Small helpers to speak WebDAV over plain HTTP in tests."""

import xml.etree.ElementTree as ET

import requests

NS = {
    "D": "DAV:",
    "C": "urn:ietf:params:xml:ns:caldav",
    "CR": "urn:ietf:params:xml:ns:carddav",
    "CS": "http://calendarserver.org/ns/",
}


def vcard(uid: str, name: str, *, email: str = "", city: str = "", extra: str = "") -> str:
    """A vCard 3.0 text."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{name};;;;"]
    if email:
        lines.append(f"EMAIL;TYPE=WORK:{email}")
    if city:
        lines.append(f"ADR;TYPE=WORK:;;1 Main St;{city};;;France")
    if extra:
        lines.extend(extra.strip().splitlines())
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def vevent(
    uid: str,
    summary: str,
    start: str = "20261201T100000Z",
    end: str = "20261201T110000Z",
    extra: str = "",
) -> str:
    """An iCalendar object with one event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//davshare tests//EN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{start}",
        f"DTEND:{end}",
        f"SUMMARY:{summary}",
    ]
    if extra:
        lines.extend(extra.strip().splitlines())
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def vtodo(uid: str, summary: str, extra: str = "") -> str:
    """An iCalendar object with one task."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//davshare tests//EN",
        "BEGIN:VTODO",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"SUMMARY:{summary}",
        "STATUS:NEEDS-ACTION",
    ]
    if extra:
        lines.extend(extra.strip().splitlines())
    lines += ["END:VTODO", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def put(session: requests.Session, url: str, text: str, **headers: str) -> requests.Response:
    """PUT a vCard or iCalendar text."""
    kind = "text/vcard" if text.startswith("BEGIN:VCARD") else "text/calendar"
    return session.put(
        url, data=text.encode(), headers={"Content-Type": kind + "; charset=utf-8", **headers}
    )


def propfind(
    session: requests.Session, url: str, props: str, depth: str = "0"
) -> requests.Response:
    """PROPFIND with the given ``<prop>`` children (XML text using D:, C:, CR:, CS: prefixes)."""
    body = (
        '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" '
        'xmlns:CR="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/">'
        f"<D:prop>{props}</D:prop></D:propfind>"
    )
    return session.request(
        "PROPFIND", url, data=body, headers={"Depth": depth, "Content-Type": "application/xml"}
    )


def sync_collection(
    session: requests.Session, url: str, token: str = ""
) -> tuple[str, dict[str, str]]:
    """A sync-collection REPORT; returns (new token, {href: status text})."""
    body = (
        '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:">'
        f"<D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    response = session.request(
        "REPORT", url, data=body, headers={"Content-Type": "application/xml"}
    )
    assert response.status_code == 207, response.text
    root = ET.fromstring(response.content)
    changes = {}
    for r in root.findall("D:response", NS):
        href = r.findtext("D:href", namespaces=NS) or ""
        status = (
            r.findtext("D:status", namespaces=NS)
            or r.findtext("D:propstat/D:status", namespaces=NS)
            or ""
        )
        changes[href] = status
    return root.findtext("D:sync-token", namespaces=NS) or "", changes


def need_privilege(response: requests.Response) -> str:
    """The privilege named in a 403 ``DAV:need-privileges`` body ("" if there is none)."""
    if response.status_code != 403:
        return ""
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError:
        return ""
    privilege = root.find("D:need-privileges/D:resource/D:privilege", NS)
    if privilege is None or len(privilege) == 0:
        return ""
    return privilege[0].tag.split("}")[1]
