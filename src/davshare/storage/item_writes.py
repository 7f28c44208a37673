"""Writes of items: create or replace, delete, move — each one transaction.

Each write locks the collection's revision row first, then repeats under that lock
the decision the application made on the href (``check_precondition``) and the
checks of the viewer's lens (``lenses``), so a concurrent change answers 412.
"""

from radicale import item as radicale_item
from radicale import storage as radicale_storage
from sqlalchemy import Connection, Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from davshare.core import context
from davshare.model import confidential, item_rows, quotas
from davshare.model.db import write_transaction
from davshare.model.errors import PreconditionFailed, UidConflict
from davshare.model.history import Settings
from davshare.model.item_fields import searchable_fields
from davshare.model.tables import item_props, items
from davshare.storage import tracking, view_checks
from davshare.storage.collection import Collection
from davshare.storage.items import uid_of_text


def check_precondition(conn: Connection, collection: Collection, href: str) -> None:
    """Repeat, under the collection's lock, the decision the application made on this href."""
    ctx, path = context.current(), collection.item_path(href)
    etag, creator = ctx.expected_etags.get(path), ctx.expected_creators.get(path)
    if etag is None and creator is None:
        return
    row = conn.execute(
        select(items.c.etag, items.c.creator, items.c.text, items.c.component).where(
            items.c.collection_id == collection.id, items.c.href == href
        )
    ).first()
    now = (context.ABSENT, context.ABSENT)
    if row is not None:
        # The etag the viewer was given: of the contact without its confidential fields.
        seen = row.etag
        if collection.lens.confidential and row.component == "VCARD":
            seen = confidential.etag(collection.viewer_text(row.text))
        now = (seen, row.creator)
    if (etag is not None and now[0] != etag) or (creator is not None and now[1] != creator):
        raise PreconditionFailed(f"{path} changed during the request")


def upload(
    engine: Engine,
    collection: Collection,
    href: str,
    item: radicale_item.Item,
    kept: Settings | None = None,
) -> tuple[radicale_item.Item, radicale_item.Item | None]:
    """Create or replace the item at ``href``; returns (new item, replaced item or None).

    ``kept``: what history keeps of the replaced version (issue 20); None: nothing."""
    text = text_to_store(item)
    values = dict(uid=item.uid, text=text, **searchable_fields(item))
    if context.current().schedule_tag is not None:
        values["schedule_tag"] = context.current().schedule_tag
    old = next(iter(collection.get_multi([href])))[1]
    creator = context.current().user or collection.stored_owner
    lens = collection.lens
    try:
        with write_transaction(engine) as conn:
            # Lock the collection first, then check: a concurrent writer waits here.
            revision = item_rows.bump_revision(conn, collection.id)
            stored = view_checks.check_write(conn, collection, href)  # before: it says less
            check_precondition(conn, collection, href)
            if lens.confidential and item.name == "VCARD" and stored is not None:
                values["text"] = confidential.merge(text, stored, lens.confidential)
            values["etag"] = radicale_item.get_etag(values["text"])
            size = len(values["text"].encode())
            quotas.check_storage(conn, collection.id, href, size)  # SPEC A4
            if kept is not None:
                tracking.before_write(conn, kept, collection, href, values["text"])
            item_id = item_rows.write_item(conn, collection.id, href, values, creator, revision)
            view_checks.check_still_visible(conn, collection, href, item_id)
    except IntegrityError as e:
        existing = collection.href_of_uid(item.uid) or "?"
        raise UidConflict(item.uid, existing) from e
    text, etag = values["text"], values["etag"]
    if lens.confidential and item.name == "VCARD":
        text = collection.viewer_text(text)
        etag = confidential.etag(text)
    new_item = radicale_item.Item(
        collection=collection,
        href=href,
        text=text,
        etag=etag,
        uid=item.uid,
        name=item.name,
        component_name=item.component_name,
        time_range=(values["time_start"], values["time_end"]),
    )
    return new_item, old


def delete_one(
    engine: Engine, collection: Collection, href: str, kept: Settings | None = None
) -> None:
    """Delete one item, recording the deletion for sync (and in the trash, ``kept``)."""
    with write_transaction(engine) as conn:
        revision = item_rows.bump_revision(conn, collection.id)
        check_precondition(conn, collection, href)
        if kept is not None:
            tracking.before_delete(conn, kept, collection, href)
        item_rows.delete_item(conn, collection.id, href, revision)


def move(
    engine: Engine,
    item: radicale_item.Item,
    to_collection: radicale_storage.BaseCollection,
    to_href: str,
) -> None:
    """Move ``item`` to ``to_href`` of ``to_collection`` (within one space or between two)."""
    source = item.collection
    assert isinstance(source, Collection) and isinstance(to_collection, Collection)
    assert item.href is not None
    with write_transaction(engine) as conn:
        to_revision = item_rows.bump_revision(conn, to_collection.id)
        view_checks.check_write(conn, to_collection, to_href)  # no overwriting a hidden contact
        quotas.check_move(conn, source.id, to_collection.id, to_href, len(item.serialize()))
        at_target = (items.c.collection_id == to_collection.id) & (items.c.href == to_href)
        conn.execute(delete(items).where(at_target))
        from_revision = (
            item_rows.bump_revision(conn, source.id)
            if source.id != to_collection.id
            else to_revision
        )
        conn.execute(
            update(items)
            .where(items.c.collection_id == source.id, items.c.href == item.href)
            .values(
                collection_id=to_collection.id,
                href=to_href,
                revision=to_revision,
                modified_at=func.now(),
            )
        )
        conn.execute(
            update(item_props)
            .where(item_props.c.item_id.in_(select(items.c.id).where(at_target)))
            .values(collection_id=to_collection.id)
        )
        moved = conn.scalar(select(items.c.id).where(at_target))
        view_checks.check_still_visible(conn, to_collection, to_href, int(moved or 0))
        item_rows.log_change(conn, source.id, from_revision, item.href)
        item_rows.log_change(conn, to_collection.id, to_revision, to_href)


def text_to_store(item: radicale_item.Item) -> str:
    """The client's own text when the request carried exactly this item, else vobject's.

    Radicale re-serialises what it parses, which has been seen to damage data
    (vCard 4 data: URIs, escaped colons in URLs); what a client stored is what
    every client reads back.
    """
    raw = context.current().raw_body
    if raw is not None and uid_of_text(raw) == item.uid:
        return raw if raw.endswith("\n") else raw + "\r\n"
    return item.serialize()
