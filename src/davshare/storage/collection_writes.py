"""Writes of collections: create (with all its items at once), drop, properties, prefs."""

import json
import uuid
from collections.abc import Iterable

from radicale import item as radicale_item
from sqlalchemy import Connection, delete, func, insert, or_, select, update

from davshare.model import item_rows, quotas
from davshare.model.errors import UidConflict
from davshare.model.history import Settings
from davshare.model.item_fields import href_for_uid, searchable_fields
from davshare.model.tables import changes, collection_prefs, collections, items
from davshare.storage import tracking


def parent(path: str) -> str:
    """The path of the collection holding ``path`` ("" for a home)."""
    return path.rpartition("/")[0]


def ensure_parents(conn: Connection, sane_path: str) -> None:
    """Create the collections above ``sane_path`` that do not exist yet."""
    above = parent(sane_path)
    exists = select(collections.c.id).where(collections.c.path == above)
    if above and conn.execute(exists).first() is None:
        ensure_parents(conn, above)
        insert_collection(conn, above, {})


def insert_collection(conn: Connection, sane_path: str, props: dict[str, str]) -> int:
    """A new empty collection; returns its id."""
    result = conn.execute(
        insert(collections).values(
            path=sane_path,
            parent_path=parent(sane_path),
            owner=sane_path.split("/", 1)[0],
            tag=props.get("tag", ""),
            props=json.dumps(props, sort_keys=True),
            revision=0,
            uuid=uuid.uuid4().hex,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def insert_items(
    conn: Connection,
    collection_id: int,
    tag: str,
    new_items: Iterable[radicale_item.Item],
    creator: str,
) -> list[str]:
    """Write the items of a whole-collection PUT; returns their hrefs (SPEC A4 checked)."""
    revision = item_rows.bump_revision(conn, collection_id)
    hrefs: list[str] = []
    for item in new_items:
        href = href_for_uid(item.uid or uuid.uuid4().hex, tag)
        if href in hrefs:
            raise UidConflict(item.uid, href)
        text = item.serialize()
        values = dict(
            uid=item.uid or href.rsplit(".", 1)[0],
            etag=radicale_item.get_etag(text),
            text=text,
            **searchable_fields(item),
        )
        item_rows.write_item(conn, collection_id, href, values, creator, revision, fresh=True)
        hrefs.append(href)
    quotas.check_written(conn, collection_id)  # for all of them at once
    return hrefs


def drop_collection(conn: Connection, sane_path: str, kept: Settings | None = None) -> None:
    """Delete a collection with everything in it and below it (kept in the trash with
    ``kept``, issue 20)."""
    prefix = sane_path + "/"
    doomed = select(collections.c.id).where(
        or_(
            collections.c.path == sane_path,
            collections.c.path.startswith(prefix, autoescape=True),
        )
    )
    ids = [row_id for (row_id,) in conn.execute(doomed)]
    if not ids:
        return
    if kept is not None:
        tracking.before_drop(conn, kept, ids, sane_path.split("/", 1)[0])
    conn.execute(delete(changes).where(changes.c.collection_id.in_(ids)))
    conn.execute(delete(items).where(items.c.collection_id.in_(ids)))
    conn.execute(delete(collections).where(collections.c.id.in_(ids)))


def set_props(conn: Connection, collection_id: int, props: dict[str, str]) -> None:
    """Replace the properties of a collection."""
    conn.execute(
        update(collections)
        .where(collections.c.id == collection_id)
        .values(props=json.dumps(props, sort_keys=True), modified_at=func.now())
    )


def set_pref(conn: Connection, collection_id: int, login: str, **values: object) -> None:
    """One person's own settings of a mounted collection (display name, colour, hidden)."""
    where = (collection_prefs.c.collection_id == collection_id) & (
        collection_prefs.c.login == login
    )
    if conn.execute(update(collection_prefs).where(where).values(**values)).rowcount == 0:
        conn.execute(
            insert(collection_prefs).values(collection_id=collection_id, login=login, **values)
        )
