"""Writing item rows: every change bumps its collection's revision and enters the change log.

The one place that keeps sync tokens honest: the storage (DAV writes) and the
members' address book both write through here.
"""

from typing import Any

from sqlalchemy import Connection, delete, func, insert, update

from davshare.model.errors import NotFound
from davshare.model.tables import changes, collections, items


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


def log_change(conn: Connection, collection_id: int, revision: int, href: str) -> None:
    """Record that ``href`` changed (or went) at ``revision``, for incremental sync."""
    conn.execute(insert(changes).values(collection_id=collection_id, revision=revision, href=href))


def write_item(
    conn: Connection,
    collection_id: int,
    href: str,
    values: dict[str, Any],
    creator: str,
    revision: int | None = None,
) -> None:
    """Create or replace the item at ``href`` (``values``: its columns); logs the change.

    ``revision``: one the caller already took with ``bump_revision`` (to check
    something under the collection's lock first).
    """
    revision = revision or bump_revision(conn, collection_id)
    where = (items.c.collection_id == collection_id) & (items.c.href == href)
    changed = {**values, "revision": revision, "modified_at": func.now()}
    if conn.execute(update(items).where(where).values(changed)).rowcount == 0:
        row = {
            **values,
            "collection_id": collection_id,
            "href": href,
            "revision": revision,
            "creator": creator,
        }
        conn.execute(insert(items).values(row))
    log_change(conn, collection_id, revision, href)


def delete_item(
    conn: Connection, collection_id: int, href: str, revision: int | None = None
) -> None:
    """Delete the item at ``href``; logs the deletion (``revision`` as for ``write_item``)."""
    revision = revision or bump_revision(conn, collection_id)
    conn.execute(delete(items).where(items.c.collection_id == collection_id, items.c.href == href))
    log_change(conn, collection_id, revision, href)
