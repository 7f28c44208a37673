"""A collection's items for the web pages: one page at a time, searched and sorted in SQL.

``GET /collections/<name>/items?q=&offset=&limit=``: for an address book, the contacts
whose name, e-mail, phone or organisation contains ``q`` — the indexed fields a CardDAV
search uses — sorted by name, one page (at most ``MAX_LIMIT``) read and parsed, with
the total; fast however big the book. Calendars and task lists (their own views are the
calendar and the task list) are listed by title, one page at a time too.
``GET /collections/<name>/items/<href>``: one item's summary. Each comes with who
created and last modified it and when, and what the caller may do with it.
"""

from datetime import datetime
from typing import Any

from radicale import item as radicale_item
from sqlalchemy import true
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.item_rights import Rights, readable_collection
from davshare.api.responses import json_response
from davshare.core import vtext
from davshare.model import errors, item_authors
from davshare.model.tables import items
from davshare.storage import prefilter
from davshare.storage.collection import Collection

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_CALENDAR_ITEMS = 5000
SEARCHED = ("fn", "emails", "tels", "org")


def _text(component: Any, name: str) -> str:
    value = getattr(component, name.lower(), None)
    if value is None:
        return ""
    found = value.value
    if isinstance(found, list):  # ORG, N and the like
        return " ".join(str(v) for v in found if v)
    return str(found)


def contact_summary(text: str) -> dict[str, Any]:
    """What a list shows of one contact, read from its lines (no full parse: a page of
    a big address book costs a page of line reads)."""
    found: dict[str, list[str]] = {"FN": [], "EMAIL": [], "TEL": [], "ORG": []}
    for _, line, _ in vtext.logical_lines(text.splitlines()):
        prop = vtext.parse_line(line)
        if prop is not None and prop.name in found:
            found[prop.name].append(prop.value)
    org = found["ORG"][0] if found["ORG"] else ""
    return {
        "title": vtext.unescape(found["FN"][0]) if found["FN"] else "",
        "emails": [vtext.unescape(v) for v in found["EMAIL"]],
        "phones": [vtext.unescape(v) for v in found["TEL"]],
        "organisation": " ".join(vtext.unescape(p) for p in vtext.split_escaped(org, ";") if p),
        "when": "",
    }


def summary(item: radicale_item.Item) -> dict[str, Any]:
    """What a list shows of one item."""
    if not item.component_name or item.name == "VCARD":
        return contact_summary(item.serialize())
    vobject_item = item.vobject_item
    component = next(
        (
            c
            for c in vobject_item.getChildren()
            if getattr(c, "name", "") in ("VEVENT", "VTODO", "VJOURNAL")
        ),
        vobject_item,
    )
    when = _text(component, "DTSTART") or _text(component, "DUE")
    return {"title": _text(component, "SUMMARY"), "emails": [], "phones": [],
            "organisation": "", "when": when}  # fmt: skip


def _when(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _listed(
    call: Call, collection: Collection, found: list[radicale_item.Item]
) -> list[dict[str, Any]]:
    hrefs = [i.href for i in found if i.href]
    rights = Rights(call, collection, hrefs)
    authors = item_authors.authors(call.engine, collection.id, hrefs)
    listed = []
    for item in found:
        if item.href is None:
            continue
        item_rights = rights.of(item.href)
        who = authors.get(item.href)
        listed.append(
            {
                "href": item.href,
                "uid": item.uid,
                "etag": item.etag,
                "kind": item.component_name,
                **summary(item),
                "creator": item_rights.creator or None,
                "created_at": _when(who.created_at) if who else None,
                "modified_by": (who.modified_by or None) if who else None,
                "modified_at": _when(who.modified_at) if who else None,
                "editors": item_rights.editors,
                "may_modify": item_rights.may_modify,
                "may_delete": item_rights.may_delete,
                "may_choose_editors": item_rights.may_choose_editors,
            }
        )
    return listed


def _number(call: Call, name: str, default: int, highest: int) -> int:
    raw = call.request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > highest:
        raise errors.InvalidInput(f"{name} must be a whole number from 0 to {highest}")
    return int(raw)


def list_items(call: Call, name: str) -> Response:
    """One page of a collection's items, searched with ``?q=``, with the total."""
    collection = readable_collection(call, name)
    query = call.request.args.get("q", "").strip()
    offset = _number(call, "offset", 0, 10**9)
    limit = max(1, _number(call, "limit", DEFAULT_LIMIT, MAX_LIMIT))
    if collection.tag == "VADDRESSBOOK":
        condition = prefilter.contains(query, SEARCHED) if query else true()
        found, total = collection.page(condition, [items.c.sort_name], limit, offset)
        listed = _listed(call, collection, found)
    else:
        every = _listed(call, collection, list(collection.get_all())[:MAX_CALENDAR_ITEMS])
        if query:
            every = [i for i in every if query.lower() in i["title"].lower()]
        every.sort(key=lambda i: (i["title"].lower(), i["href"]))
        total, listed = len(every), every[offset : offset + limit]
    return json_response(
        {
            "collection": name,
            "dav_path": f"/{collection.path}/",
            "items": listed,
            "total": total,
            "offset": offset,
            "limit": limit,
            "truncated": offset + len(listed) < total,
        }
    )


def one_item(call: Call, name: str, href: str) -> Response:
    """One item's summary, its authors and what the caller may do with it."""
    collection = readable_collection(call, name)
    _, found = next(iter(collection.get_multi([href])))
    if found is None:
        raise errors.NotFound(f"no item {href!r} in {name}: it may have been deleted meanwhile")
    return json_response(_listed(call, collection, [found])[0])


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/collections/<name>/items", list_items),
    ("GET", "/collections/<name>/items/<href>", one_item),
]
