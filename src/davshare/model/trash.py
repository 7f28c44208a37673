"""The trash: deleted items and collections kept for ``[trash] retention_days``, put back
by a restore, and emptied by ``purge`` (the server runs it by itself, issue 20).

What is in the trash does not count in quotas (``docs/trash-and-history.md``): it is
taken out of the way of the person who deleted it, and a restore checks the quota as
any write does.
"""

import json
from dataclasses import dataclass
from typing import Any

from radicale import item as radicale_item
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    and_,
    delete,
    insert,
    literal,
    not_,
    or_,
    select,
)

from davshare.model import activity, change_log, history
from davshare.model.db import write_transaction
from davshare.model.errors import StateConflict
from davshare.model.history import Change, Settings
from davshare.model.history_tables import item_versions, trashed_collections, version_props
from davshare.model.item_fields import searchable_fields
from davshare.model.tables import collections, item_props, items

DAY = 86_400


def keep_collections(conn: Connection, ids: list[int], change: Change) -> None:
    """Keep the collections ``ids`` (about to be dropped) with their items in the trash."""
    rows = conn.execute(
        select(collections).where(collections.c.id.in_(ids), collections.c.tag != "")
    ).all()
    for row in rows:
        trashed = conn.execute(
            insert(trashed_collections).values(
                old_id=row.id,
                path=row.path,
                owner=row.owner,
                group_id=row.group_id,
                tag=row.tag,
                props=row.props,
                deleted_by=change.login,
                deleted_at=change.at,
                client=change.client,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        _keep_items(conn, int(row.id), int(trashed), change)


def _keep_items(conn: Connection, collection_id: int, trashed: int, change: Change) -> None:
    kept = select(
        *history.KEPT_COLUMNS[:-1],  # all but modified_at: its epoch is not SQL's
        literal(trashed),
        literal(change.login),
        literal(change.at),
        literal(change.client),
        literal("deleted"),
    ).where(items.c.collection_id == collection_id)
    columns = ["item_id", "collection_id", "href", "uid", "component", "text", "creator"]
    columns += ["written_by", "trashed_collection_id", "replaced_by", "replaced_at", "client"]
    columns.append("state")
    conn.execute(insert(item_versions).from_select(columns, kept))
    conn.execute(
        insert(version_props).from_select(
            ["version_id", "collection_id", "name", "value"],
            select(
                item_versions.c.id,
                item_props.c.collection_id,
                item_props.c.name,
                item_props.c.value,
            )
            .join(item_props, item_props.c.item_id == item_versions.c.item_id)
            .where(item_versions.c.trashed_collection_id == trashed),
        )
    )


def deleted_in(
    conn: Connection, collection_id: int, visible: ColumnElement[bool]
) -> list[Row[Any]]:
    """The items deleted from the collection (still in the trash), the latest first."""
    return history.kept_in(conn, collection_id, "deleted", visible)


def values_of(text: str, version_id: int) -> dict[str, Any]:
    """The ``items`` columns of a kept text written back: a new etag, the same UID."""
    item = radicale_item.Item(collection_path="", text=text)
    etag = radicale_item.get_etag(f"{text}/restored/{version_id}")
    return dict(uid=item.uid, text=text, etag=etag, **searchable_fields(item))


def check_free(conn: Connection, collection_id: int, href: str, uid: str) -> None:
    """409 when the href or the UID of an item to restore is taken meanwhile."""
    taken = conn.execute(
        select(items.c.href).where(
            items.c.collection_id == collection_id, or_(items.c.href == href, items.c.uid == uid)
        )
    ).first()
    if taken is not None:
        raise StateConflict(
            f"{taken.href} holds an item with this name or UID now: delete or rename it first",
            "restore_conflict",
        )


@dataclass(frozen=True)
class Purged:
    """What a purge removed."""

    items: int
    versions: int
    collections: int
    entries: int
    changes: int = 0


def purge(conn: Connection, settings: Settings, now: int) -> Purged:
    """Remove what is past its retention, and what no collection holds any more."""
    trash_before = now - int(settings.trash_days * DAY)
    history_before = now - int(settings.history_days * DAY)
    lost = and_(
        item_versions.c.trashed_collection_id.is_(None),
        not_(item_versions.c.collection_id.in_(select(collections.c.id))),
    )
    deleted = item_versions.c.state == "deleted"
    gone_items = _remove(conn, deleted & (item_versions.c.replaced_at < trash_before))
    old = (item_versions.c.state == "old") & (item_versions.c.replaced_at < history_before)
    gone_versions = _remove(conn, or_(old, lost))
    expired = select(trashed_collections.c.id).where(
        trashed_collections.c.deleted_at < trash_before
    )
    gone_collections = [i for (i,) in conn.execute(expired)]
    if gone_collections:
        _remove(conn, item_versions.c.trashed_collection_id.in_(gone_collections))
        conn.execute(
            delete(trashed_collections).where(trashed_collections.c.id.in_(gone_collections))
        )
    entries = activity.purge(conn, now - int(settings.activity_days * DAY))
    pruned = 0
    if settings.change_log_days > 0:
        pruned = change_log.prune(conn, now - int(settings.change_log_days * DAY))
    return Purged(gone_items, gone_versions, len(gone_collections), entries, pruned)


def _remove(conn: Connection, condition: ColumnElement[bool]) -> int:
    ids = [i for (i,) in conn.execute(select(item_versions.c.id).where(condition))]
    if ids:  # their views' index goes too (SQLite: only with foreign keys on, so say it)
        conn.execute(delete(version_props).where(version_props.c.version_id.in_(ids)))
        conn.execute(delete(item_versions).where(item_versions.c.id.in_(ids)))
    return len(ids)


def trashed_of(conn: Connection, owners: list[str]) -> list[Row[Any]]:
    """The deleted collections of these owners (logins, "@group"), the latest first."""
    return list(
        conn.execute(
            select(trashed_collections)
            .where(trashed_collections.c.owner.in_(owners))
            .order_by(trashed_collections.c.deleted_at.desc(), trashed_collections.c.id.desc())
        )
    )


def trashed(conn: Connection, trashed_id: int) -> Row[Any] | None:
    """One deleted collection."""
    return conn.execute(
        select(trashed_collections).where(trashed_collections.c.id == trashed_id)
    ).first()


def props_of(row: Row[Any]) -> dict[str, str]:
    """A deleted collection's properties."""
    return dict(json.loads(row.props))


def empty(engine: Engine, settings: Settings, now: int) -> Purged:
    """``purge`` in a transaction of its own (the server's timer, ``davshare trash purge``)."""
    with write_transaction(engine) as conn:
        return purge(conn, settings, now)
