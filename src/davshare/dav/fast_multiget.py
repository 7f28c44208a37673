"""A fast addressbook-multiget and calendar-multiget, what clients send after every sync.

Radicale answers a multiget through its generic property machinery and builds an XML
tree of every item before writing it out. When the client asks only for the etag, the
content type and the whole address or calendar data of items of the collection it
names, the answer is written here straight from the items as this viewer sees them
(``Collection.get_multi``: views, confidential fields and private events applied there,
as for every other read); anything else goes to Radicale.
"""

import xml.etree.ElementTree as ET
from html import escape
from urllib.parse import quote, unquote, urlparse

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from radicale import pathutils

from davshare.dav.fast_listing import content_type
from davshare.storage.collection import Collection

_DAV = "{DAV:}"
_CARDDAV = "{urn:ietf:params:xml:ns:carddav}"
_CALDAV = "{urn:ietf:params:xml:ns:caldav}"
# The report, the data property and the prefix Radicale's answers use, per collection tag.
_KINDS = {
    "VADDRESSBOOK": (f"{_CARDDAV}addressbook-multiget", f"{_CARDDAV}address-data", "CR"),
    "VCALENDAR": (f"{_CALDAV}calendar-multiget", f"{_CALDAV}calendar-data", "C"),
}
_SIMPLE = {f"{_DAV}getetag", f"{_DAV}getcontenttype"}


def requested(body: bytes, tag: str) -> tuple[list[str], list[str]] | None:
    """(the props, the hrefs) of a plain multiget on a collection tagged ``tag``, else None."""
    kind = _KINDS.get(tag)
    if kind is None or kind[0].rpartition("}")[2].encode() not in body[:4000]:
        return None
    report, data, _ = kind
    try:
        root = fromstring(body)
    except (ET.ParseError, DefusedXmlException):
        return None  # Radicale gives the answer to a body it cannot read
    if root.tag != report:
        return None
    props: list[str] = []
    hrefs: list[str] = []
    for child in root:
        if child.tag == f"{_DAV}href":
            hrefs.append(child.text or "")
        elif child.tag == f"{_DAV}prop" and not props:
            props = [p.tag for p in child]
            # address-data with chosen properties, calendar-data with expand: Radicale's.
            if any(len(p) or p.attrib for p in child if p.tag == data):
                return None
        else:
            return None
    if not props or not hrefs or any(p not in _SIMPLE and p != data for p in props):
        return None
    return props, hrefs


def names_in(collection: Collection, base_prefix: str, hrefs: list[str]) -> list[str] | None:
    """The item names ``hrefs`` point to, if every one is plainly an item of ``collection``."""
    prefix = f"{base_prefix}/{collection.path}/"
    names = []
    for href in hrefs:
        path = unquote(urlparse(href.strip()).path)
        name = path[len(prefix) :] if path.startswith(prefix) else ""
        if "/" in name or not pathutils.is_safe_path_component(name):
            return None  # another collection, the collection itself, "..": Radicale's
        names.append(name)
    return names


def answer(
    collection: Collection, base_prefix: str, props: list[str], names: list[str], encoding: str
) -> bytes:
    """The multistatus of the multiget: each item found with ``props``, 404 for the others."""
    _, data, prefix = _KINDS[collection.tag]
    namespace, _, local = data[1:].partition("}")
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<multistatus xmlns="DAV:" xmlns:{prefix}="{namespace}">'
    ]
    href_prefix = quote(f"{base_prefix}/{collection.path}/")
    for name, row, text, etag in collection.seen_rows(names):
        parts.append(f"<response><href>{href_prefix}{quote(name)}</href>")
        if row is None:
            parts.append("<status>HTTP/1.1 404 Not Found</status></response>")
            continue
        parts.append("<propstat><prop>")
        for prop in props:
            if prop == data:
                parts.append(f"<{prefix}:{local}>{escape(text, quote=False)}</{prefix}:{local}>")
            elif prop == f"{_DAV}getetag":
                parts.append(f"<getetag>{escape(etag, quote=False)}</getetag>")
            else:
                kind = content_type(row.component, encoding)
                parts.append(f"<getcontenttype>{kind}</getcontenttype>")
        parts.append("</prop><status>HTTP/1.1 200 OK</status></propstat></response>")
    parts.append("</multistatus>")
    return "".join(parts).encode(encoding)
