"""A fast PROPFIND Depth 1 over a collection's items, the request every client repeats.

Radicale builds each item's answer through its generic property machinery, at
roughly 90 µs an item; a 10,000-contact address book took longer than Radicale's
own file storage to list. When the client asks only for properties an item
answers from its row (etag, content type, last modified, resource type), the
item responses are written here straight from one SQL query, and Radicale
answers for the collection itself (Depth 0).
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import escape
from urllib.parse import quote

from sqlalchemy import select

from davshare.model.db import read_transaction
from davshare.model.tables import items
from davshare.storage.collection import Collection, http_date

_DAV = "{DAV:}"
_ITEM_PROPS = {"getetag", "getcontenttype", "getlastmodified", "resourcetype"}
# Collection properties that items answer 404 for, as Radicale does.
_COLLECTION_ONLY = {
    "{DAV:}displayname",
    "{DAV:}sync-token",
    "{http://calendarserver.org/ns/}getctag",
}


def requested_props(body: bytes) -> list[str] | None:
    """The Clark names asked for, if the body is a plain ``<prop>`` PROPFIND served here."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    prop = root.find(f"{_DAV}prop")
    if root.tag != f"{_DAV}propfind" or prop is None or len(root) != 1:
        return None
    names = [child.tag for child in prop]
    fast = all(
        n[len(_DAV) :] in _ITEM_PROPS
        if n.startswith(_DAV) and n not in _COLLECTION_ONLY
        else n in _COLLECTION_ONLY
        for n in names
    )
    return names if fast and names else None


def initial_sync_props(body: bytes) -> list[str] | None:
    """The props of an initial sync-collection REPORT (no token) served here, else None."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    if root.tag != f"{_DAV}sync-collection" or (root.findtext(f"{_DAV}sync-token") or "").strip():
        return None
    prop = root.find(f"{_DAV}prop")
    if prop is None or root.find(f"{_DAV}limit") is not None:
        return None
    names = [child.tag for child in prop]
    simple = all(n.startswith(_DAV) and n[len(_DAV) :] in _ITEM_PROPS for n in names)
    return names if simple and names else None


def initial_sync(
    collection: Collection, base_prefix: str, props: list[str], encoding: str
) -> bytes:
    """The whole answer of an initial sync-collection: every item, and the current token."""
    token = escape(collection.sync_token(), quote=False)
    head = b"<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns=\"DAV:\">"
    body = "".join(item_responses(collection, base_prefix, props, encoding)).encode()
    return head + body + f"<sync-token>{token}</sync-token></multistatus>".encode()


def content_type(component: str, encoding: str) -> str:
    if component == "VCARD":
        return f"text/vcard;charset={encoding}"
    return f"text/calendar;charset={encoding};component={component}"


def _found(name: str, row: object, encoding: str) -> str:
    local = name[len(_DAV) :]
    if local == "getetag":
        return f"<getetag>{escape(row.etag, quote=False)}</getetag>"  # type: ignore[attr-defined]
    if local == "getcontenttype":
        return f"<getcontenttype>{content_type(row.component, encoding)}</getcontenttype>"  # type: ignore[attr-defined]
    if local == "getlastmodified":
        return f"<getlastmodified>{http_date(row.modified_at)}</getlastmodified>"  # type: ignore[attr-defined]
    return "<resourcetype />"


def _missing(name: str) -> str:
    namespace, _, local = name[1:].partition("}")
    return f'<ns0:{local} xmlns:ns0="{escape(namespace)}" />'


def item_responses(
    collection: Collection, base_prefix: str, props: list[str], encoding: str
) -> Iterator[str]:
    """One ``<response>`` per item of ``collection``, answering ``props``."""
    found = [p for p in props if p not in _COLLECTION_ONLY]
    missing = "".join(_missing(p) for p in props if p in _COLLECTION_ONLY)
    not_found = (
        f"<propstat><prop>{missing}</prop><status>HTTP/1.1 404 Not Found</status></propstat>"
    )
    query = select(items.c.href, items.c.etag, items.c.component, items.c.modified_at).where(
        items.c.collection_id == collection.id, collection.visible()
    )
    prefix = quote(f"{base_prefix}/{collection.path}/")
    with read_transaction(collection.engine) as conn:
        for row in conn.execute(query.order_by(items.c.href)):
            parts = [f"<response><href>{prefix}{quote(row.href)}</href>"]
            if found:
                body = "".join(_found(p, row, encoding) for p in found)
                parts.append(
                    f"<propstat><prop>{body}</prop><status>HTTP/1.1 200 OK</status></propstat>"
                )
            if missing:
                parts.append(not_found)
            parts.append("</response>")
            yield "".join(parts)


def splice(collection_answer: bytes, responses: Iterator[str]) -> bytes:
    """Radicale's Depth 0 multistatus for the collection with the item responses appended."""
    end = collection_answer.rindex(b"</multistatus>")
    return collection_answer[:end] + "".join(responses).encode() + collection_answer[end:]
