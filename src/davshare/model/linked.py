"""Private contacts shared into a group's address book (SPEC R6).

The group's copy is written through ``item_rows`` like any item; it keeps
the sharer as creator, leaves out the properties they keep confidential, and
``item_rows`` carries every later edit (or the deletion) of the source over to it.
"""

from sqlalchemy import Connection, insert, select

from davshare.model import confidential, item_rows, quotas
from davshare.model.errors import AlreadyExists, InvalidInput, NotFound
from davshare.model.tables import items, linked_items

_COPIED = (
    "uid",
    "text",
    "component",
    "time_start",
    "time_end",
    "fn",
    "sort_name",
    "emails",
    "addresses",
    "org",
    "tels",
    "categories",
)


def link(
    conn: Connection,
    source_collection_id: int,
    source_href: str,
    target_collection_id: int,
    sharer: str,
    hidden: tuple[confidential.Spec, ...],
) -> str:
    """Copy a contact into a group's address book and keep the copy following it; its href."""
    source = conn.execute(
        select(items).where(
            items.c.collection_id == source_collection_id, items.c.href == source_href
        )
    ).first()
    if source is None:
        raise NotFound(f"your address book has no contact {source_href!r}")
    if source.component != "VCARD":
        raise InvalidInput("only contacts can be shared into a group this way")
    already = conn.scalar(
        select(items.c.href)
        .join(linked_items, linked_items.c.target_item_id == items.c.id)
        .where(
            linked_items.c.source_item_id == source.id,
            items.c.collection_id == target_collection_id,
        )
    )
    if already is not None:
        raise AlreadyExists(f"this contact is already in the group's address book, as {already}")
    taken = conn.scalar(
        select(items.c.href).where(
            items.c.collection_id == target_collection_id,
            (items.c.href == source_href) | (items.c.uid == source.uid),
        )
    )
    if taken is not None:
        raise AlreadyExists(
            f"the group's address book already holds this contact ({taken}): "
            "edit that one, or delete it first"
        )
    values = item_rows.copy_values({c: getattr(source, c) for c in _COPIED}, hidden)
    revision = item_rows.bump_revision(conn, target_collection_id)
    size = len(values["text"].encode())
    quotas.check_storage(conn, target_collection_id, source_href, size)  # SPEC A4
    target_id = item_rows.write_item(
        conn, target_collection_id, source_href, values, sharer, revision
    )
    conn.execute(
        insert(linked_items).values(
            source_item_id=source.id,
            target_item_id=target_id,
            sharer=sharer,
            confidential=confidential.dumps(hidden),
        )
    )
    return source_href


def is_linked(conn: Connection, collection_id: int, href: str) -> bool:
    """Whether the item at ``href`` is a linked copy."""
    return (
        conn.scalar(
            select(linked_items.c.id)
            .join(items, items.c.id == linked_items.c.target_item_id)
            .where(items.c.collection_id == collection_id, items.c.href == href)
        )
        is not None
    )
