"""Radicale's storage interface on SQL: finding collections and items, and the writes.

Discovery and the per-request cache live here; what is found at a path comes from
``collection`` (one row), ``mounts`` (a group's or a shared collection in a home) and
``root``; the writes are ``item_writes`` and ``collection_writes``, each one transaction.
"""

import contextlib
import json
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager as ContextManager
from typing import Any

from radicale import config as radicale_config
from radicale import item as radicale_item
from radicale import pathutils, types
from radicale import storage as radicale_storage
from sqlalchemy import Connection, Engine, bindparam, func, select

from davshare.core import context
from davshare.model import guard, scheduling
from davshare.model.db import engine_for, read_transaction, write_transaction
from davshare.model.errors import MassDeletion
from davshare.model.history import Settings
from davshare.model.prepared import Prepared
from davshare.model.sharing import SHARE_SEPARATOR
from davshare.model.tables import collections
from davshare.storage import collection_writes, item_writes, mounts
from davshare.storage.collection import Collection
from davshare.storage.collection_writes import parent
from davshare.storage.root import Root

# A collection by its path, built once: every request asks for one or two (the
# prefetch asks for up to _PREFETCHED at once, repeating a path to fill the binds).
_BY_PATH = Prepared(select(collections).where(collections.c.path == bindparam("path")))
_PREFETCHED = 3
_BY_PATHS = Prepared(
    select(collections).where(
        collections.c.path.in_([bindparam(f"path{i}") for i in range(_PREFETCHED)])
    )
)


def _is_mount(path: str) -> bool:
    """Whether ``path`` names a group's or a shared collection in someone's home."""
    segment = path.partition("/")[2]
    return SHARE_SEPARATOR in segment or mounts.MOUNT_SEPARATOR in segment


class Storage(radicale_storage.BaseStorage):
    """Collections and items in one SQL database (SQLite by default, PostgreSQL by URL)."""

    # Paths go through SQL as parameters: any character is safe to store.
    _is_collision_free = True
    _supports_unicode = True
    _supports_trailing_whitespace = True
    _supports_problematic_chars = True  # : ' " * ? , in names (Radicale refuses them on files)

    def __init__(self, configuration: radicale_config.Configuration) -> None:
        super().__init__(configuration)
        self.engine: Engine = engine_for(configuration.get("storage", "database_url"))
        self.kept = _kept(configuration)

    # -- reading ---------------------------------------------------------

    def discover(
        self,
        path: str,
        depth: str = "0",
        child_context_manager: Callable[[str, str | None], ContextManager[None]] | None = None,
        user_groups: set[str] | None = None,
    ) -> Iterator[types.CollectionOrItem]:
        sane_path = path.strip("/")
        found = self._find(sane_path)
        if found is None:
            return
        yield found
        if depth == "0" or not isinstance(found, radicale_storage.BaseCollection):
            return
        yield from self._children(found)

    def collection(self, path: str) -> Collection | None:
        """The collection at the sanitized ``path`` (no slashes around), mounts included.

        Remembered for the rest of the request (the rights plugin, the
        application and Radicale all ask for the same one); every write of
        this storage forgets what was remembered.
        """
        if path.count("/") > 1:
            return None  # collections live at <home> or <home>/<name>: this is an item
        cache = context.current().cache
        key = ("storage.collection", path)
        if key not in cache:
            with read_transaction(self.engine) as conn:
                cache[key] = self._collection_at(conn, path)
        found = cache[key]
        return found if isinstance(found, Collection) else None

    def prefetch(self, paths: Iterable[str]) -> None:
        """Find the plain collections at ``paths`` (sanitized) in one query, for the rest
        of the request: a request asks for its user's home and for the collection it
        names, one after the other. Mounts are left to ``collection``: what they show
        depends on who asks."""
        cache = context.current().cache
        wanted = [
            path
            for path in dict.fromkeys(paths)
            if path
            and path.count("/") <= 1
            and ("storage.collection", path) not in cache
            and not _is_mount(path)
        ]
        wanted = wanted[:_PREFETCHED]
        if len(wanted) < 2:
            return  # one lookup costs what the query would
        binds = {f"path{i}": wanted[min(i, len(wanted) - 1)] for i in range(_PREFETCHED)}
        with read_transaction(self.engine) as conn:
            rows = {row.path: row for row in _BY_PATHS.rows(conn, binds)}
        for path in wanted:
            row = rows.get(path)
            cache[("storage.collection", path)] = Collection(self, row) if row else None

    def _forget(self) -> None:
        """Drop the collections remembered for this request (after a write)."""
        cache = context.current().cache
        for key in [k for k in cache if k[0] == "storage.collection"]:
            del cache[key]

    def _collection_at(self, conn: Connection, path: str) -> Collection | None:
        if _is_mount(path):
            if SHARE_SEPARATOR in path.partition("/")[2]:
                return mounts.share_mount(conn, self, path)
            return mounts.group_mount(conn, self, path)
        row = _BY_PATH.first(conn, {"path": path})
        return Collection(self, row) if row is not None else None

    def _find(self, sane_path: str) -> types.CollectionOrItem | None:
        if not sane_path:
            return Root()
        found = self.collection(sane_path)
        if found is not None:
            return found
        holder = self.collection(parent(sane_path))
        if holder is None or not holder.tag:
            return None
        _, item = next(iter(holder.get_multi([posixpath.basename(sane_path)])))
        return item

    def _children(self, found: radicale_storage.BaseCollection) -> Iterator[types.CollectionOrItem]:
        if isinstance(found, Collection) and found.tag:
            yield from found.get_all()
            return
        query = select(collections).where(collections.c.parent_path == found.path)
        with read_transaction(self.engine) as conn:
            children = [
                Collection(self, row) for row in conn.execute(query.order_by(collections.c.path))
            ]
            if isinstance(found, Collection) and "/" not in found.path:
                children += mounts.mounts_of(conn, self, found.path)
        yield from children

    # -- collections -----------------------------------------------------

    def ensure_inbox(self, login: str) -> None:
        """Make ``login``'s schedule inbox (RFC 6638) when a client first looks for it."""
        self._forget()
        scheduling.ensure_inbox(self.engine, login)

    def set_hidden(self, collection: Collection, login: str, hidden: bool) -> None:
        """Hide a mounted collection from one person's home, or show it again."""
        self._forget()
        with write_transaction(self.engine) as conn:
            collection_writes.set_pref(conn, collection.id, login, hidden=hidden)

    def set_viewer_props(self, collection: Collection, login: str, props: dict[str, str]) -> None:
        """Store one member's own display name, colour and order for a group collection."""
        self._forget()
        text = json.dumps(props, sort_keys=True)
        with write_transaction(self.engine) as conn:
            collection_writes.set_pref(conn, collection.id, login, props=text)

    def create_collection(
        self,
        href: str,
        items: Iterable[radicale_item.Item] | None = None,
        props: Mapping[str, str] | None = None,
    ) -> tuple[radicale_storage.BaseCollection, dict[str, radicale_item.Item], list[str]]:
        self._forget()
        sane_path = pathutils.strip_path(href)
        existing = self.collection(sane_path)
        if existing is not None and items is None and props is None:
            return existing, {}, []
        props = dict(props or {})
        creator = context.current().user or sane_path.split("/", 1)[0]
        new_hrefs: list[str] = []
        # One transaction for the collection and all its items: a PUT of a whole
        # calendar either replaces it or, refused (a quota, a duplicate UID), leaves
        # the old one as it was.
        with write_transaction(self.engine) as conn:
            collection_writes.ensure_parents(conn, sane_path)
            if existing is not None:
                collection_writes.drop_collection(conn, sane_path, self.kept)
            collection_id = collection_writes.insert_collection(conn, sane_path, props)
            if items:
                tag = props.get("tag", "")
                new_hrefs = collection_writes.insert_items(conn, collection_id, tag, items, creator)
        self._forget()
        collection = self.collection(sane_path)
        assert collection is not None and collection.id == collection_id
        return collection, {}, new_hrefs

    def delete_collection(self, sane_path: str) -> None:
        """Delete a collection with everything in it and below it."""
        self._forget()
        with write_transaction(self.engine) as conn:
            collection_writes.drop_collection(conn, sane_path, self.kept)

    def set_collection_props(self, collection: Collection, props: dict[str, str]) -> dict[str, str]:
        """Replace the properties of ``collection``; returns what was stored."""
        self._forget()
        props.setdefault("tag", collection.tag) if collection.tag else None
        with write_transaction(self.engine) as conn:
            collection_writes.set_props(conn, collection.id, props)
        return props

    # -- items -----------------------------------------------------------

    def upload_item(
        self, collection: Collection, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        """Create or replace the item at ``href``; returns (new item, replaced item or None)."""
        self._forget()
        return item_writes.upload(self.engine, collection, href, item, self.kept)

    def delete_item(self, collection: Collection, href: str) -> None:
        """Delete one item, recording the deletion for sync."""
        self._forget()
        try:
            item_writes.delete_one(self.engine, collection, href, self.kept)
        except MassDeletion as refused:  # issue 20: those who can undo it are told
            guard.tell(self.engine, refused.burst_id)
            raise

    def move(
        self, item: radicale_item.Item, to_collection: radicale_storage.BaseCollection, to_href: str
    ) -> None:
        self._forget()
        item_writes.move(self.engine, item, to_collection, to_href)

    # -- locking ---------------------------------------------------------

    @types.contextmanager
    def acquire_lock(self, mode: str, user: str = "", *args: Any, **kwargs: Any) -> Iterator[None]:
        # No storage-wide lock: each write is one transaction, serialised per
        # collection by its revision row, and repeats the application's
        # precondition inside it (item_writes.check_precondition).
        yield

    def verify(self) -> bool:
        with contextlib.suppress(Exception), read_transaction(self.engine) as conn:
            conn.execute(select(func.count()).select_from(collections))
            return True
        return False


# [storage] options the server's configuration passes on (server/config.py, [trash]).
KEPT_OPTIONS = {
    "trash_days": float,
    "history_versions": int,
    "history_days": float,
    "burst_seconds": int,
    "activity_days": float,
    "guard_share": float,
}


def _kept(configuration: radicale_config.Configuration) -> Settings:
    """What trash and history keep, from ``[storage]`` (the defaults when it is not set)."""
    values: dict[str, Any] = {}
    for option, kind in KEPT_OPTIONS.items():
        try:
            values[option] = kind(configuration.get("storage", option))
        except KeyError:
            continue
    if "history_versions" in values:
        values["versions"] = values.pop("history_versions")
    return Settings(**values)
