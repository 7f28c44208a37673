"""A fast Depth-0 PROPFIND of an address book or a calendar: the poll every client repeats.

DAVx5, Thunderbird and the others ask each collection for its CTag or sync-token every
few minutes, on every device. Radicale answers through its generic property machinery
and davshare then re-reads the answer to put in the honest privileges; when the client
asks only for the properties below, the answer is written here from the collection
as this viewer sees it (its token and CTag, its display name in a mount) and the
privileges the rules give them (``facts.access``). Anything else goes to Radicale.
"""

import xml.etree.ElementTree as ET
from html import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from radicale import xmlutils

from davshare.core import policy
from davshare.dav import privileges_report
from davshare.storage.collection import Collection

_DAV = "{DAV:}"
_PREFIXES = {
    "DAV:": "D",
    "http://calendarserver.org/ns/": "CS",
    "urn:ietf:params:xml:ns:carddav": "CR",
    "urn:ietf:params:xml:ns:caldav": "C",
    "http://apple.com/ns/ical/": "ICAL",
}
_COMPUTED = {
    f"{_DAV}getetag",
    f"{_DAV}resourcetype",
    f"{_DAV}displayname",
    f"{_DAV}getcontenttype",
    f"{_DAV}sync-token",
    f"{_DAV}current-user-privilege-set",
    "{http://calendarserver.org/ns/}getctag",
}
# Properties stored with the collection, answered 404 when it has none.
_STORED = {
    "{http://apple.com/ns/ical/}calendar-color",
    "{http://apple.com/ns/ical/}calendar-order",
    "{urn:ietf:params:xml:ns:caldav}calendar-description",
    "{urn:ietf:params:xml:ns:carddav}addressbook-description",
}
_KINDS = {"VADDRESSBOOK": "CR:addressbook", "VCALENDAR": "C:calendar"}


def requested(body: bytes) -> list[str] | None:
    """The Clark names of a plain ``<prop>`` PROPFIND answered here, else None."""
    try:
        root = fromstring(body)
    except (ET.ParseError, DefusedXmlException):
        return None
    if root.tag != f"{_DAV}propfind" or len(root) != 1 or root[0].tag != f"{_DAV}prop":
        return None
    names = [child.tag for child in root[0]]
    if not names or any(n not in _COMPUTED and n not in _STORED for n in names):
        return None
    return list(dict.fromkeys(names))


def _tag(name: str) -> str:
    namespace, _, local = name[1:].partition("}")
    return f"{_PREFIXES[namespace]}:{local}"


def _element(name: str, content: str = "") -> str:
    tag = _tag(name)
    return f"<{tag}>{content}</{tag}>" if content else f"<{tag} />"


def _value(
    name: str, collection: Collection, privileges: frozenset[policy.Privilege]
) -> str | None:
    """The content of property ``name`` (XML), None when the collection has none."""
    local = name.partition("}")[2]
    if name in _STORED:
        stored = collection.get_meta(xmlutils.make_human_tag(name))
        return escape(stored, quote=False) if stored else None
    if local in ("getetag", "getctag"):
        return escape(collection.etag, quote=False)
    if local == "sync-token":
        return escape(collection.sync_token(), quote=False)
    if local == "displayname":
        shown = collection.get_meta("D:displayname") or collection.path
        return escape(shown, quote=False)
    if local == "getcontenttype":
        return xmlutils.MIMETYPES[collection.tag]
    if local == "resourcetype":
        return f"<{_KINDS[collection.tag]} /><D:collection />"
    calendar = collection.tag == "VCALENDAR"
    granted = privileges_report.names(privileges, calendar)
    return "".join(f"<D:privilege>{_element(p)}</D:privilege>" for p in granted)


def answer(
    collection: Collection,
    base_prefix: str,
    props: list[str],
    privileges: frozenset[policy.Privilege],
) -> bytes:
    """The multistatus of the collection alone, answering ``props``."""
    found, missing = [], []
    for name in props:
        value = _value(name, collection, privileges)
        if value is None:
            missing.append(_element(name))
        else:
            found.append(_element(name, value) if value else _element(name))
    declared = " ".join(f'xmlns:{prefix}="{ns}"' for ns, prefix in _PREFIXES.items())
    href = xmlutils.make_href(base_prefix, f"/{collection.path}/")
    parts = [f"<?xml version='1.0' encoding='utf-8'?>\n<D:multistatus {declared}>"]
    parts.append(f"<D:response><D:href>{href}</D:href>")
    for status, children in (("200 OK", found), ("404 Not Found", missing)):
        if children:
            parts.append(f"<D:propstat><D:prop>{''.join(children)}</D:prop>")
            parts.append(f"<D:status>HTTP/1.1 {status}</D:status></D:propstat>")
    parts.append("</D:response></D:multistatus>")
    return "".join(parts).encode()
