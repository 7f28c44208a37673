"""``davshare trash …``: the trash, bursts and history for the server admin (issue 20).

Collections are named by their stored path: ``alice@example.com/contacts`` or
``@sales/contacts`` for a group's. ``purge --now`` empties as if it were then (what the
server does by itself every ``[trash] purge_seconds``).
"""

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

from davshare.model import bursts, history, trash
from davshare.model.db import read_transaction
from davshare.model.errors import NotFound
from davshare.server import config, database
from davshare.storage import restores
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection

SettingsOf = Callable[[argparse.Namespace], config.Settings]


def _at(moment: int) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _now(raw: str | None) -> int:
    return history.moment_of(raw, "--now") if raw else int(time.time())


def _storage(settings: config.Settings) -> Storage:
    database.open_existing(settings)
    return Storage(config.radicale_configuration(settings))


def _collection(storage: Storage, path: str) -> Collection:
    found = storage.collection(path.strip("/"))
    if found is None or not found.tag:
        raise NotFound(
            f"no collection {path}: name it as alice@example.com/contacts or @team/contacts"
        )
    return found


def _purge(settings: config.Settings, args: argparse.Namespace) -> None:
    engine = database.open_existing(settings)
    done = trash.empty(engine, settings.kept, _now(args.now))
    print(
        f"purged {done.items} deleted item(s), {done.versions} earlier version(s), "
        f"{done.collections} collection(s), {done.entries} activity entr(ies), "
        f"{done.changes} change(s) of the sync log"
    )


def _list(settings: config.Settings, args: argparse.Namespace) -> None:
    storage = _storage(settings)
    collection = _collection(storage, args.collection)
    with read_transaction(storage.engine) as conn:
        rows = trash.deleted_in(conn, collection.id, restores.visible_versions(collection))
    for row in rows:
        print(f"{row.id}\t{row.href}\t{row.replaced_by}\t{_at(row.replaced_at)}\t{row.client}")


def _bursts(settings: config.Settings, args: argparse.Namespace) -> None:
    storage = _storage(settings)
    collection = _collection(storage, args.collection)
    with read_transaction(storage.engine) as conn:
        rows = bursts.of_collection(conn, collection.id)
    for row in rows:
        print(
            f"{row.id}\t{row.deleted} deleted, {row.overwritten} modified\t{row.login}\t"
            f"{row.client or '-'}\t{_at(row.started_at)}"
        )


def _undo(settings: config.Settings, args: argparse.Namespace) -> None:
    storage = _storage(settings)
    collection = _collection(storage, args.collection)
    with read_transaction(storage.engine) as conn:
        row = bursts.get(conn, args.burst)
    if row is None or row.collection_id != collection.id:
        raise NotFound(f"no burst {args.burst} in {args.collection}")
    done = restores.undo_burst(storage.engine, collection, args.burst, settings.kept)
    print(f"restored {len(done.hrefs)} item(s); {len(done.skipped)} left (their place is taken)")


def _restore(settings: config.Settings, args: argparse.Namespace) -> None:
    storage = _storage(settings)
    collection = _collection(storage, args.collection)
    done = restores.restore_deleted(storage.engine, collection, args.ids)
    print(f"restored {', '.join(done.hrefs)}")


def _restore_collection(settings: config.Settings, args: argparse.Namespace) -> None:
    storage = _storage(settings)
    print(f"restored {restores.restore_collection(storage.engine, args.id)}")


def _deleted_collections(settings: config.Settings, args: argparse.Namespace) -> None:
    engine = database.open_existing(settings)
    with read_transaction(engine) as conn:
        rows = trash.trashed_of(conn, [args.owner.strip().lower()])
    for row in rows:
        print(f"{row.id}\t{row.path}\t{row.deleted_by}\t{_at(row.deleted_at)}")


def register(sub: argparse._SubParsersAction, settings_of: SettingsOf) -> None:
    """Add the ``trash`` commands to the ``davshare`` parser."""
    actions = sub.add_parser(
        "trash", help="deleted items and collections, bursts of changes, the purge"
    ).add_subparsers(required=True, metavar="ACTION")

    def command(name: str, run: Callable[..., None], text: str) -> argparse.ArgumentParser:
        found = actions.add_parser(name, help=text)
        found.set_defaults(func=lambda a: run(settings_of(a), a))
        return found

    purge = command("purge", _purge, "empty what is past its retention")
    purge.add_argument("--now", help="as if it were then (ISO date or time, UTC by default)")
    command("list", _list, "the items deleted from a collection").add_argument("collection")
    command("bursts", _bursts, "a collection's bursts of deletions and overwrites").add_argument(
        "collection"
    )
    undo = command("undo", _undo, "undo one burst: deletions restored, overwrites reverted")
    undo.add_argument("collection")
    undo.add_argument("burst", type=int)
    restore = command("restore", _restore, "put deleted items back (ids from trash list)")
    restore.add_argument("collection")
    restore.add_argument("ids", type=int, nargs="+")
    listed = command("collections", _deleted_collections, "an owner's deleted collections")
    listed.add_argument("owner", help="a login, or @group")
    again = command("restore-collection", _restore_collection, "put a deleted collection back")
    again.add_argument("id", type=int)
