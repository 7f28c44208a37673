"""Writing item rows: every change bumps its collection's revision and enters the change log.

The one place that keeps sync tokens honest: the storage (DAV writes), the
members' address book and linked contacts all write through here. For
contacts it also keeps the views' index (``item_props``) current, records
through which views and confidential shares a change cannot be seen, and
carries a change of a contact over to its linked copies (SPEC Q3, R6).
"""

import time
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from davshare.model import confidential, contact_props, redaction, views
from davshare.model.errors import NotFound
from davshare.model.tables import changes, collections, item_props, items, linked_items, shares


def bump_revision(conn: Connection, collection_id: int) -> int:
    """The collection's next revision; on PostgreSQL this also locks its row until commit,
    which is what serialises writers of one collection (and only of that one)."""
    revision = conn.scalar(
        update(collections)
        .where(collections.c.id == collection_id)
        .values(revision=collections.c.revision + 1, modified_at=func.now())
        .returning(collections.c.revision)
    )
    if revision is None:
        raise NotFound("the collection was deleted during the request")
    return int(revision)


def log_change(
    conn: Connection, collection_id: int, revision: int, href: str, hidden_for: str = ""
) -> None:
    """Record that ``href`` changed (or went) at ``revision``, for incremental sync.

    ``hidden_for``: the lenses (space-separated) whose viewers must not hear of it.
    """
    conn.execute(
        insert(changes).values(
            collection_id=collection_id,
            revision=revision,
            href=href,
            hidden_for=hidden_for,
            changed_at=int(time.time()),
        )
    )


def _redacted_shares(conn: Connection, collection_id: int) -> list[tuple[int, str]]:
    """(share id, confidential specs) of the shares of a collection that hide properties."""
    rows = conn.execute(
        select(shares.c.id, shares.c.confidential).where(
            shares.c.collection_id == collection_id, shares.c.confidential != "[]"
        )
    )
    return [(int(i), c) for i, c in rows]


def _hidden_for(
    conn: Connection,
    collection_id: int,
    candidates: list[views.View],
    before: set[int],
    after: set[int],
    old_text: str | None,
    new_text: str | None,
) -> str:
    """The lenses a change of a contact cannot be seen through."""
    hidden = [v.lens for v in candidates if v.id not in before | after]
    if old_text is not None and new_text is not None:
        for share_id, specs_text in _redacted_shares(conn, collection_id):
            specs = confidential.loads(specs_text)
            if confidential.strip(old_text, specs) == confidential.strip(new_text, specs):
                hidden.append(f"s{share_id}")
    return _lenses(hidden)


def _lenses(names: list[str]) -> str:
    """``hidden_for`` as stored: " v3 s5 " (spaces around, for a LIKE '% v3 %')."""
    return f" {' '.join(names)} " if names else ""


def _index(conn: Connection, collection_id: int, item_id: int, text: str) -> None:
    conn.execute(delete(item_props).where(item_props.c.item_id == item_id))
    rows = [
        {"item_id": item_id, "collection_id": collection_id, "name": name, "value": value}
        for name, value in contact_props.extract(text)
    ]
    if rows:
        conn.execute(insert(item_props), rows)


def write_item(
    conn: Connection,
    collection_id: int,
    href: str,
    values: dict[str, Any],
    creator: str,
    revision: int | None = None,
    fresh: bool = False,
    author: str = "",
) -> int:
    """Create or replace the item at ``href`` (``values``: its columns); logs the change.

    ``creator``: who writes it (kept as its creator when it is new; as who modified it
    last in any case, unless ``author`` names someone else: a restore keeps the creator).

    ``revision``: one the caller already took with ``bump_revision`` (to check
    something under the collection's lock first). ``fresh``: the collection was
    created in this transaction (no old item, views, shares nor links to look
    up). Returns the item's id.
    """
    revision = revision or bump_revision(conn, collection_id)
    where = (items.c.collection_id == collection_id) & (items.c.href == href)
    old = None if fresh else conn.execute(select(items.c.id, items.c.text).where(where)).first()
    contact = values.get("component") == "VCARD"
    candidates = views.views_of(conn, collection_id) if contact and not fresh else []
    before = views.matching(conn, collection_id, old.id, candidates) if old else set()
    author = author or creator
    if old is not None:
        item_id = int(old.id)
        conn.execute(
            update(items)
            .where(items.c.id == item_id)
            .values(
                {**values, "revision": revision, "modified_at": func.now(), "modified_by": author}
            )
        )
    else:
        row = {
            **values,
            "collection_id": collection_id,
            "href": href,
            "revision": revision,
            "creator": creator,
            "modified_by": author,
            "created_at": func.now(),
        }
        item_id = int(conn.execute(insert(items).values(row)).inserted_primary_key[0])  # type: ignore[index]
    hidden = ""
    if contact and fresh:
        _index(conn, collection_id, item_id, values["text"])
    elif contact:
        _index(conn, collection_id, item_id, values["text"])
        after = views.matching(conn, collection_id, item_id, candidates)
        old_text = old.text if old is not None else None
        hidden = _hidden_for(
            conn, collection_id, candidates, before, after, old_text, values["text"]
        )
        _follow(conn, item_id, values)
    elif old is not None and redaction.hidden_change(old.text, values["text"]):
        hidden = _lenses([redaction.LENS])  # only hidden details of a private event changed
    log_change(conn, collection_id, revision, href, hidden)
    return item_id


def delete_item(
    conn: Connection, collection_id: int, href: str, revision: int | None = None
) -> None:
    """Delete the item at ``href``; logs the deletion (``revision`` as for ``write_item``)."""
    revision = revision or bump_revision(conn, collection_id)
    where = (items.c.collection_id == collection_id) & (items.c.href == href)
    old = conn.execute(select(items.c.id, items.c.component).where(where)).first()
    hidden = ""
    if old is not None and old.component == "VCARD":
        candidates = views.views_of(conn, collection_id)
        before = views.matching(conn, collection_id, old.id, candidates)
        hidden = _lenses([v.lens for v in candidates if v.id not in before])
        for target_collection, target_href in _copies(conn, int(old.id)):
            delete_item(conn, target_collection, target_href)
    conn.execute(delete(items).where(where))
    log_change(conn, collection_id, revision, href, hidden)


# -- linked copies (SPEC R6) ---------------------------------------------------


def _copies(conn: Connection, source_id: int) -> list[tuple[int, str]]:
    """(collection id, href) of the linked copies of an item."""
    rows = conn.execute(
        select(items.c.collection_id, items.c.href)
        .join(linked_items, linked_items.c.target_item_id == items.c.id)
        .where(linked_items.c.source_item_id == source_id)
    )
    return [(int(c), h) for c, h in rows]


def _follow(conn: Connection, source_id: int, values: dict[str, Any]) -> None:
    """Carry a new version of a contact over to its linked copies, minus their hidden fields."""
    rows = conn.execute(
        select(items.c.collection_id, items.c.href, items.c.creator, linked_items.c.confidential)
        .join(linked_items, linked_items.c.target_item_id == items.c.id)
        .where(linked_items.c.source_item_id == source_id)
    ).all()
    for row in rows:
        specs = confidential.loads(row.confidential)
        write_item(conn, row.collection_id, row.href, copy_values(values, specs), row.creator)


def copy_values(values: dict[str, Any], specs: tuple[confidential.Spec, ...]) -> dict[str, Any]:
    """The columns of a linked copy: the source's, without its confidential properties."""
    text = confidential.strip(values["text"], specs)
    return {**values, "text": text, "etag": confidential.etag(text)}
