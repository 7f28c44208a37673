"""Honest ``DAV:current-user-privilege-set`` in PROPFIND answers (RFC 3744 5.4).

Radicale derives it from its coarse read/write rights; davshare replaces it
with what the rules allow, per collection and per item, listed explicitly
(never ``DAV:all`` alone): clients such as DAVx5 decide read-only from
``write-content`` and Outlook's synchronizer maps bind/unbind to create/delete.
"""

import posixpath
import xml.etree.ElementTree as ET
from collections import defaultdict
from urllib.parse import unquote

from radicale import pathutils

from davshare.core import policy
from davshare.facts import access
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection

_CUPS = "{DAV:}current-user-privilege-set"
_ORDER = [
    policy.Privilege.READ,
    policy.Privilege.WRITE_PROPERTIES,
    policy.Privilege.WRITE_CONTENT,
    policy.Privilege.BIND,
    policy.Privilege.UNBIND,
    policy.Privilege.WRITE,
]


def names(privileges: frozenset[policy.Privilege], calendar: bool) -> list[str]:
    """The Clark names of the privileges reported for ``privileges``, in their order."""
    privileges = policy.reported(privileges, calendar)
    found = ["{DAV:}" + p for p in _ORDER if p in privileges]
    if policy.Privilege.READ_FREE_BUSY in privileges:
        found.append("{urn:ietf:params:xml:ns:caldav}read-free-busy")
    return found


def _set_privileges(
    element: ET.Element, privileges: frozenset[policy.Privilege], calendar: bool
) -> None:
    for child in list(element):
        element.remove(child)
    for name in names(privileges, calendar):
        ET.SubElement(ET.SubElement(element, "{DAV:}privilege"), name)


def apply(root: ET.Element, base_prefix: str, user: str, storage: Storage) -> None:
    """Replace each current-user-privilege-set of a multistatus with what the rules allow."""
    by_parent: dict[str, list[tuple[str, ET.Element]]] = defaultdict(list)
    for response in root.findall("{DAV:}response"):
        element = response.find(f"{{DAV:}}propstat/{{DAV:}}prop/{_CUPS}")
        href = response.findtext("{DAV:}href") or ""
        if element is None:
            continue
        sane_path = pathutils.strip_path(unquote(href)[len(base_prefix) :])
        collection = storage.collection(sane_path) if sane_path.count("/") == 1 else None
        if collection is not None and collection.tag:
            _set_privileges(
                element,
                access.privileges(storage.engine, user, collection),
                collection.tag == "VCALENDAR",
            )
        elif sane_path.count("/") == 2:
            by_parent[posixpath.dirname(sane_path)].append((posixpath.basename(sane_path), element))
    for parent_path, entries in by_parent.items():
        parent = storage.collection(parent_path)
        if parent is not None and parent.tag:
            _rewrite_items(storage, user, parent, entries)


def _rewrite_items(
    storage: Storage, user: str, collection: Collection, entries: list[tuple[str, ET.Element]]
) -> None:
    engine = storage.engine
    requester = access.requester(engine, user)
    facts = access.collection_facts(engine, user, collection)
    items = access.items_facts(engine, collection, [name for name, _ in entries])
    for name, element in entries:
        item = items.get(name)
        if item is not None:
            _set_privileges(element, policy.item_privileges(requester, facts, item), False)
