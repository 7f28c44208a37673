"""Putting back what the trash and history keep (issue 20), each restore one transaction.

A deleted item comes back at its href with its UID and a new etag, so every client's next
sync brings it as a new item; a burst is undone in one step (its deletions restored, its
overwrites reverted to the version before the burst); a deleted collection comes back
with its items. The callers (the API, the CLI) decide who may (``core/policy.py``).
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Row, delete, select, true, update

from davshare.model import activity, history, item_rows, quotas, trash, views
from davshare.model.db import write_transaction
from davshare.model.errors import NotFound, StateConflict
from davshare.model.history import Change, Settings
from davshare.model.history_tables import item_versions, trashed_collections
from davshare.model.tables import collections
from davshare.storage import collection_writes, tracking
from davshare.storage.collection import Collection


def visible_versions(collection: Collection) -> ColumnElement[bool]:
    """The SQL condition on ``item_versions`` of what the collection's viewer sees of its
    history and trash: the view they see the items through (SPEC Q2)."""
    view = collection.lens.view
    if view is None:
        return true()
    return views.condition(collection.id, view.filter, history.VERSIONS)


@dataclass
class Restored:
    """What a restore put back, and what it left because its place is taken now."""

    hrefs: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _put_back(conn: Connection, collection: Collection, row: Row[Any], change: Change) -> None:
    """Write a kept version at its href (a new etag), its creator kept; log it."""
    values = trash.values_of(row.text, int(row.id))
    quotas.check_storage(conn, collection.id, row.href, len(row.text.encode()))  # SPEC A4
    item_rows.write_item(
        conn, collection.id, row.href, values, row.creator or change.login, author=change.login
    )
    tracking.log(conn, collection, row.href, row.text, "restored", change)


def _forget(conn: Connection, version_id: int) -> None:
    conn.execute(delete(item_versions).where(item_versions.c.id == version_id))


def restore_deleted(
    engine: Engine, collection: Collection, version_ids: list[int], strict: bool = True
) -> Restored:
    """Put deleted items of ``collection`` back; ``strict``: 409 when a place is taken,
    else such items are skipped (and stay in the trash)."""
    change, done = history.change_now(collection.stored_owner), Restored()
    with write_transaction(engine) as conn:
        item_rows.bump_revision(conn, collection.id)  # the collection's lock, first
        for version_id in version_ids:
            row = history.version(conn, collection.id, version_id, visible_versions(collection))
            if row is None or row.state != "deleted":
                raise NotFound(f"nothing {version_id} in this collection's trash")
            try:
                trash.check_free(conn, collection.id, row.href, row.uid)
            except StateConflict:
                if strict:
                    raise
                done.skipped.append(row.href)
                continue
            _put_back(conn, collection, row, change)
            _forget(conn, int(row.id))
            done.hrefs.append(row.href)
    return done


def restore_version(
    engine: Engine, collection: Collection, href: str, version_id: int, kept: Settings
) -> None:
    """Write an earlier version of the item at ``href`` over it, keeping the current one in
    its history (a restore is a write like any other, and can be undone the same way)."""
    change = history.change_now(collection.stored_owner)
    with write_transaction(engine) as conn:
        item_rows.bump_revision(conn, collection.id)
        row = history.version(conn, collection.id, version_id, visible_versions(collection))
        if row is None or row.state != "old" or row.href != href:
            raise NotFound(f"no version {version_id} of {href}")
        current = history.stored(conn, collection.id, href)
        if current is None:
            raise NotFound(f"{href} is deleted: restore it from the trash")
        if kept.history_on:
            history.keep(conn, current, "old", change, None)
            history.prune(conn, collection.id, href, kept.versions)
        _put_back(conn, collection, row, change)


def undo_burst(engine: Engine, collection: Collection, burst_id: int, kept: Settings) -> Restored:
    """Undo one burst: its deletions restored, its overwrites reverted to what was before."""
    with write_transaction(engine) as conn:
        rows = conn.execute(
            select(item_versions.c.id, item_versions.c.state, item_versions.c.href)
            .where(
                item_versions.c.burst_id == burst_id,
                item_versions.c.collection_id == collection.id,
                item_versions.c.trashed_collection_id.is_(None),
            )
            .order_by(item_versions.c.id)
        ).all()
    deleted = [int(r.id) for r in rows if r.state == "deleted"]
    first_of: dict[str, int] = {}
    for r in rows:
        if r.state == "old":
            first_of.setdefault(r.href, int(r.id))
    done = restore_deleted(engine, collection, deleted, strict=False)
    for href, version_id in first_of.items():
        try:
            restore_version(engine, collection, href, version_id, kept)
            done.hrefs.append(href)
        except NotFound:
            done.skipped.append(href)
    return done


def restore_collection(engine: Engine, trashed_id: int) -> str:
    """Put a deleted collection back at its path with its items; returns the path."""
    change = history.change_now()
    with write_transaction(engine) as conn:
        row = trash.trashed(conn, trashed_id)
        if row is None:
            raise NotFound(f"no deleted collection {trashed_id}")
        taken = conn.execute(select(collections.c.id).where(collections.c.path == row.path))
        if taken.first() is not None:
            raise StateConflict(
                f"{row.path} exists again: delete or rename it first", "restore_conflict"
            )
        collection_writes.ensure_parents(conn, row.path)
        new_id = collection_writes.insert_collection(conn, row.path, trash.props_of(row))
        if row.group_id is not None:
            conn.execute(
                update(collections).where(collections.c.id == new_id).values(group_id=row.group_id)
            )
        kept = conn.execute(
            select(item_versions).where(item_versions.c.trashed_collection_id == trashed_id)
        ).all()
        revision = item_rows.bump_revision(conn, new_id)
        for item in kept:
            values = trash.values_of(item.text, int(item.id))
            item_rows.write_item(
                conn,
                new_id,
                item.href,
                values,
                item.creator,
                revision,
                fresh=True,
                author=change.login or item.creator,
            )
        conn.execute(
            delete(item_versions).where(item_versions.c.trashed_collection_id == trashed_id)
        )
        conn.execute(delete(trashed_collections).where(trashed_collections.c.id == trashed_id))
        if row.group_id is not None:
            name = row.path.rsplit("/", 1)[-1]
            where = activity.Where(int(row.group_id), new_id, name, subject=name)
            activity.record(conn, where, "restored", change)
    return str(row.path)
