"""``DAV:quota-used-bytes`` and ``DAV:quota-available-bytes`` in PROPFIND answers (RFC 4331).

Radicale answers them "404 not found"; davshare fills them on collections with
the usage of the space the collection counts against (the owner's personal
space, or the group's) and moves them into the "200 OK" propstat. Without a
cap, only the usage is reported.
"""

import xml.etree.ElementTree as ET
from urllib.parse import unquote

from radicale import pathutils

from davshare.model import quotas
from davshare.storage.backend import Storage

USED = "{DAV:}quota-used-bytes"
AVAILABLE = "{DAV:}quota-available-bytes"
PROPERTIES = (b"quota-used-bytes", b"quota-available-bytes")


def _ok_prop(response: ET.Element) -> ET.Element:
    for propstat in response.findall("{DAV:}propstat"):
        if " 200 " in (propstat.findtext("{DAV:}status") or ""):
            prop = propstat.find("{DAV:}prop")
            if prop is not None:
                return prop
    propstat = ET.SubElement(response, "{DAV:}propstat")
    prop = ET.SubElement(propstat, "{DAV:}prop")
    ET.SubElement(propstat, "{DAV:}status").text = "HTTP/1.1 200 OK"
    return prop


def _fill(response: ET.Element, used: int, available: int | None) -> None:
    values = {USED: used, AVAILABLE: available}
    for propstat in response.findall("{DAV:}propstat"):
        prop = propstat.find("{DAV:}prop")
        if prop is None or " 200 " in (propstat.findtext("{DAV:}status") or ""):
            continue
        for name, value in values.items():
            element = prop.find(name)
            if element is None or value is None:
                continue
            prop.remove(element)
            ET.SubElement(_ok_prop(response), name).text = str(value)
        if len(prop) == 0:
            response.remove(propstat)


def apply(root: ET.Element, base_prefix: str, storage: Storage) -> None:
    """Fill the quota properties asked for on collections of a multistatus."""
    for response in root.findall("{DAV:}response"):
        if response.find(f".//{USED}") is None and response.find(f".//{AVAILABLE}") is None:
            continue
        href = response.findtext("{DAV:}href") or ""
        sane_path = pathutils.strip_path(unquote(href)[len(base_prefix) :])
        collection = storage.collection(sane_path) if sane_path.count("/") == 1 else None
        if collection is not None and collection.tag:
            _fill(response, *quotas.usage_report(storage.engine, collection.id))
