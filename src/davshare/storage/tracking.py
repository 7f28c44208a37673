"""What each write of the storage keeps, inside its transaction (issue 20): the version an
overwrite replaces, the item a deletion removes (in the trash), the burst both belong to,
and for a group's collection the entry of its activity log.
"""

from sqlalchemy import Connection

from davshare.model import activity, bursts, guard, history, trash
from davshare.model.history import Change, Settings
from davshare.storage.collection import Collection


def log(
    conn: Connection, collection: Collection, href: str, text: str, action: str, change: Change
) -> None:
    """The activity log's entry of a change of an item of a group's collection."""
    if collection.group_id is not None:
        name = collection.stored_path.rsplit("/", 1)[-1]
        activity.on_item(
            conn, collection.group_id, (collection.id, name), href, text, action, change
        )


def before_write(
    conn: Connection, settings: Settings, collection: Collection, href: str, text: str
) -> None:
    """Before the item at ``href`` is created or replaced by ``text``."""
    change = history.change_now(collection.stored_owner)
    row = None
    if settings.history_on or collection.group_id is not None:
        row = history.stored(conn, collection.id, href)
    if row is not None and settings.history_on:
        burst = bursts.touch(conn, collection.id, change, settings.burst_seconds, "overwritten")
        history.keep(conn, row, "old", change, burst)
        history.prune(conn, collection.id, href, settings.versions)
    log(conn, collection, href, text, "added" if row is None else "modified", change)


def before_delete(conn: Connection, settings: Settings, collection: Collection, href: str) -> None:
    """Before the item at ``href`` is deleted."""
    if not settings.trash_on and collection.group_id is None:
        return
    row = history.stored(conn, collection.id, href)
    if row is None:
        return
    change = history.change_now(collection.stored_owner)
    if settings.guard_share and (collection.group_id is not None or collection.is_mount):
        guard.check(conn, collection.id, change, settings.burst_seconds, settings.guard_share)
    if settings.trash_on:
        burst = bursts.touch(conn, collection.id, change, settings.burst_seconds, "deleted")
        history.keep(conn, row, "deleted", change, burst)
    log(conn, collection, href, row.text, "deleted", change)


def before_drop(conn: Connection, settings: Settings, ids: list[int], owner: str) -> None:
    """Before the collections ``ids`` are dropped (a DELETE, or a PUT replacing one)."""
    if settings.trash_on and ids:
        trash.keep_collections(conn, ids, history.change_now(owner))
