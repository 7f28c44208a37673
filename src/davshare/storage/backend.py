"""Radicale's storage interface on SQL: discovery, writes, moves and the change log."""

import contextlib
import json
import posixpath
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager as ContextManager
from typing import Any

from radicale import config as radicale_config
from radicale import item as radicale_item
from radicale import pathutils, types
from radicale import storage as radicale_storage
from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from davshare.core import context, policy
from davshare.model import confidential, groups, item_rows, quotas, sharing, views
from davshare.model.db import engine_for, read_transaction, write_transaction
from davshare.model.errors import PreconditionFailed, UidConflict
from davshare.model.item_fields import searchable_fields
from davshare.model.sharing import SHARE_SEPARATOR
from davshare.model.tables import (
    changes,
    collection_prefs,
    collections,
    group_members,
    item_props,
    items,
    shares,
    users,
    view_assignments,
)
from davshare.model.tables import views as views_table
from davshare.storage import lenses
from davshare.storage.collection import Collection, Lens

# Separates a group collection's name from the group's in a member's home:
# "contacts@sales". Logins contain "@" too, but never in a collection segment.
MOUNT_SEPARATOR = "@"


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


class Storage(radicale_storage.BaseStorage):
    """Collections and items in one SQL database (SQLite by default, PostgreSQL by URL)."""

    # Paths go through SQL as parameters: any character is safe to store.
    _is_collision_free = True
    _supports_unicode = True

    def __init__(self, configuration: radicale_config.Configuration) -> None:
        super().__init__(configuration)
        self.engine: Engine = engine_for(configuration.get("storage", "database_url"))

    # -- reading ---------------------------------------------------------

    def _collection_row(self, conn: Connection, path: str) -> Any:
        return conn.execute(select(collections).where(collections.c.path == path)).first()

    def discover(
        self,
        path: str,
        depth: str = "0",
        child_context_manager: Callable[[str, str | None], ContextManager[None]] | None = None,
        user_groups: set[str] | None = None,
    ) -> Iterator[types.CollectionOrItem]:
        sane_path = pathutils.strip_path(path)
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

    def _forget(self) -> None:
        """Drop the collections remembered for this request (after a write)."""
        cache = context.current().cache
        for key in [k for k in cache if k[0] == "storage.collection"]:
            del cache[key]

    def _collection_at(self, conn: Connection, path: str) -> Collection | None:
        segment = path.partition("/")[2]
        if SHARE_SEPARATOR in segment:
            return self._share_mount(conn, path)
        if MOUNT_SEPARATOR in segment:
            return self._mount(conn, path)
        row = self._collection_row(conn, path)
        return Collection(self, row) if row is not None else None

    def _group_mount_query(self, home: str) -> Any:
        """The group collections ``home`` sees, with their own display name and colour,
        their role and the view they are given (read with the mount: one query)."""
        return _with_view(
            select(
                collections,
                collection_prefs.c.props.label("viewer_props"),
                group_members.c.role.label("viewer_role"),
            )
            .join(group_members, group_members.c.group_id == collections.c.group_id)
            .outerjoin(
                collection_prefs,
                (collection_prefs.c.collection_id == collections.c.id)
                & (collection_prefs.c.login == home),
            )
            .where(group_members.c.login == home),
            home,
        )

    def _mount(self, conn: Connection, path: str) -> Collection | None:
        """The group collection mounted at ``<member>/<name>@<group>``, if a member sees it."""
        home, _, segment = path.partition("/")
        name, _, group = segment.rpartition(MOUNT_SEPARATOR)
        if "/" in segment or not name or not group:
            return None
        query = self._group_mount_query(home).where(collections.c.path == f"@{group}/{name}")
        row = conn.execute(query).first()
        if row is None:
            return None
        viewer_props = json.loads(row.viewer_props or "{}")
        return Collection(
            self,
            row,
            mount_path=path,
            viewer_props=viewer_props,
            lens=_lens(row),
            viewer_access=row.viewer_role,
        )

    def _share_query(self, home: str) -> Any:
        """Personal collections of others shared with ``home``, directly or through a group."""
        my_groups = select(group_members.c.group_id).where(group_members.c.login == home)
        reaching = select(shares.c.collection_id).where(
            or_(shares.c.sharee == home, shares.c.group_id.in_(my_groups))
        )
        return _with_view(
            select(
                collections,
                collection_prefs.c.props.label("viewer_props"),
                collection_prefs.c.hidden,
                users.c.display_name.label("owner_name"),
            )
            .outerjoin(users, users.c.login == collections.c.owner)
            .outerjoin(
                collection_prefs,
                (collection_prefs.c.collection_id == collections.c.id)
                & (collection_prefs.c.login == home),
            )
            .where(collections.c.id.in_(reaching), collections.c.owner != home),
            home,
        )

    def _shared(self, conn: Connection, home: str, row: Any) -> Collection | None:
        reach = sharing.reach(conn, row.id, row.owner, home)
        if reach is None:
            return None  # a domain rule forbids it now
        name = row.path.split("/", 1)[1]
        hide_private = False
        if row.tag == "VCALENDAR":  # CLASS is for events
            facts = policy.CollectionFacts(path=row.path, owner=row.owner, share=reach.rights)
            hide_private = not policy.can_see_details(groups.requester(conn, home), facts)
        return Collection(
            self,
            row,
            f"{home}/{name}{SHARE_SEPARATOR}{row.owner}",
            json.loads(row.viewer_props or "{}"),
            row.owner_name or row.owner,
            hide_private=hide_private,
            lens=_lens(row, reach),
            viewer_access=reach.rights,
        )

    def _share_mount(self, conn: Connection, path: str) -> Collection | None:
        """The collection shared at ``<sharee>/<collection>~<owner>``, if it is shared with them."""
        home, _, segment = path.partition("/")
        name, _, owner = segment.partition(SHARE_SEPARATOR)
        row = conn.execute(
            self._share_query(home).where(collections.c.path == f"{owner}/{name}")
        ).first()
        return self._shared(conn, home, row) if row is not None else None

    def _mounts_of(self, conn: Connection, home: str) -> list[Collection]:
        """Every group collection and shared collection ``home`` sees, mounted in their home."""
        shared = [
            self._shared(conn, home, row)
            for row in conn.execute(self._share_query(home))
            if not row.hidden
        ]
        return self._group_mounts_of(conn, home) + [c for c in shared if c is not None]

    def _group_mounts_of(self, conn: Connection, home: str) -> list[Collection]:
        """Every group collection ``home`` sees, mounted in their home."""
        rows = conn.execute(self._group_mount_query(home).order_by(collections.c.path))
        mounts = []
        for row in rows:
            group, name = row.path[1:].split("/", 1)
            mount_path = f"{home}/{name}{MOUNT_SEPARATOR}{group}"
            mounts.append(
                Collection(
                    self,
                    row,
                    mount_path,
                    json.loads(row.viewer_props or "{}"),
                    lens=_lens(row),
                    viewer_access=row.viewer_role,
                )
            )
        return mounts

    def _find(self, sane_path: str) -> types.CollectionOrItem | None:
        if not sane_path:
            return _Root(self)
        found = self.collection(sane_path)
        if found is not None:
            return found
        parent = self.collection(_parent(sane_path))
        if parent is None or not parent.tag:
            return None
        _, item = next(iter(parent.get_multi([posixpath.basename(sane_path)])))
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
                children += self._mounts_of(conn, found.path)
        yield from children

    def set_hidden(self, collection: Collection, login: str, hidden: bool) -> None:
        """Hide a mounted collection from one person's home, or show it again."""
        self._forget()
        with write_transaction(self.engine) as conn:
            where = (collection_prefs.c.collection_id == collection.id) & (
                collection_prefs.c.login == login
            )
            if (
                conn.execute(update(collection_prefs).where(where).values(hidden=hidden)).rowcount
                == 0
            ):
                conn.execute(
                    insert(collection_prefs).values(
                        collection_id=collection.id, login=login, hidden=hidden
                    )
                )

    def set_viewer_props(self, collection: Collection, login: str, props: dict[str, str]) -> None:
        """Store one member's own display name, colour and order for a group collection."""
        self._forget()
        text = json.dumps(props, sort_keys=True)
        with write_transaction(self.engine) as conn:
            where = (collection_prefs.c.collection_id == collection.id) & (
                collection_prefs.c.login == login
            )
            if conn.execute(update(collection_prefs).where(where).values(props=text)).rowcount == 0:
                conn.execute(
                    insert(collection_prefs).values(
                        collection_id=collection.id, login=login, props=text
                    )
                )

    # -- collections -----------------------------------------------------

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
            self._ensure_parents(conn, sane_path)
            if existing is not None:
                self._drop_collection(conn, sane_path)
            collection_id = self._insert_collection(conn, sane_path, props)
            if items:
                revision = item_rows.bump_revision(conn, collection_id)
                for item in items:
                    href_ = _href_for_uid(item.uid or uuid.uuid4().hex, props.get("tag", ""))
                    if href_ in new_hrefs:
                        raise UidConflict(item.uid, href_)
                    text = item.serialize()
                    values = dict(
                        uid=item.uid or href_.rsplit(".", 1)[0],
                        etag=radicale_item.get_etag(text),
                        text=text,
                        **searchable_fields(item),
                    )
                    item_rows.write_item(
                        conn, collection_id, href_, values, creator, revision, fresh=True
                    )
                    new_hrefs.append(href_)
                quotas.check_written(conn, collection_id)  # SPEC A4, for all of them at once
        self._forget()
        collection = self.collection(sane_path)
        assert collection is not None and collection.id == collection_id
        return collection, {}, new_hrefs

    def _ensure_parents(self, conn: Connection, sane_path: str) -> None:
        parent = _parent(sane_path)
        if parent and self._collection_row(conn, parent) is None:
            self._ensure_parents(conn, parent)
            self._insert_collection(conn, parent, {})

    def _insert_collection(self, conn: Connection, sane_path: str, props: dict[str, str]) -> int:
        result = conn.execute(
            insert(collections).values(
                path=sane_path,
                parent_path=_parent(sane_path),
                owner=sane_path.split("/", 1)[0],
                tag=props.get("tag", ""),
                props=json.dumps(props, sort_keys=True),
                revision=0,
                uuid=uuid.uuid4().hex,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def _drop_collection(self, conn: Connection, sane_path: str) -> None:
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
        conn.execute(delete(changes).where(changes.c.collection_id.in_(ids)))
        conn.execute(delete(items).where(items.c.collection_id.in_(ids)))
        conn.execute(delete(collections).where(collections.c.id.in_(ids)))

    def delete_collection(self, sane_path: str) -> None:
        """Delete a collection with everything in it and below it."""
        self._forget()
        with write_transaction(self.engine) as conn:
            self._drop_collection(conn, sane_path)

    def set_collection_props(self, collection: Collection, props: dict[str, str]) -> dict[str, str]:
        """Replace the properties of ``collection``; returns what was stored."""
        self._forget()
        props.setdefault("tag", collection.tag) if collection.tag else None
        with write_transaction(self.engine) as conn:
            conn.execute(
                update(collections)
                .where(collections.c.id == collection.id)
                .values(props=json.dumps(props, sort_keys=True), modified_at=func.now())
            )
        return props

    # -- items -----------------------------------------------------------

    def _check_precondition(self, conn: Connection, collection: Collection, href: str) -> None:
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

    def upload_item(
        self, collection: Collection, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        """Create or replace the item at ``href``; returns (new item, replaced item or None)."""
        self._forget()
        text = _text_to_store(item)
        values = dict(uid=item.uid, text=text, **searchable_fields(item))
        old = next(iter(collection.get_multi([href])))[1]
        creator = context.current().user or collection.stored_owner
        lens = collection.lens
        try:
            with write_transaction(self.engine) as conn:
                # Lock the collection first, then check: a concurrent writer waits here.
                revision = item_rows.bump_revision(conn, collection.id)
                stored = lenses.check_write(conn, collection, href)  # before: it says less
                self._check_precondition(conn, collection, href)
                if lens.confidential and item.name == "VCARD" and stored is not None:
                    values["text"] = confidential.merge(text, stored, lens.confidential)
                values["etag"] = radicale_item.get_etag(values["text"])
                size = len(values["text"].encode())
                quotas.check_storage(conn, collection.id, href, size)  # SPEC A4
                item_id = item_rows.write_item(conn, collection.id, href, values, creator, revision)
                lenses.check_still_visible(conn, collection, href, item_id)
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

    def delete_item(self, collection: Collection, href: str) -> None:
        """Delete one item, recording the deletion for sync."""
        self._forget()
        with write_transaction(self.engine) as conn:
            revision = item_rows.bump_revision(conn, collection.id)
            self._check_precondition(conn, collection, href)
            item_rows.delete_item(conn, collection.id, href, revision)

    def move(
        self, item: radicale_item.Item, to_collection: radicale_storage.BaseCollection, to_href: str
    ) -> None:
        self._forget()
        source = item.collection
        assert isinstance(source, Collection) and isinstance(to_collection, Collection)
        assert item.href is not None
        with write_transaction(self.engine) as conn:
            to_revision = item_rows.bump_revision(conn, to_collection.id)
            lenses.check_write(conn, to_collection, to_href)  # no overwriting a hidden contact
            quotas.check_move(conn, source.id, to_collection.id, to_href, len(item.serialize()))
            conn.execute(
                delete(items).where(
                    items.c.collection_id == to_collection.id, items.c.href == to_href
                )
            )
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
                .where(
                    item_props.c.item_id.in_(
                        select(items.c.id).where(
                            items.c.collection_id == to_collection.id, items.c.href == to_href
                        )
                    )
                )
                .values(collection_id=to_collection.id)
            )
            moved = conn.scalar(
                select(items.c.id).where(
                    items.c.collection_id == to_collection.id, items.c.href == to_href
                )
            )
            lenses.check_still_visible(conn, to_collection, to_href, int(moved or 0))
            item_rows.log_change(conn, source.id, from_revision, item.href)
            item_rows.log_change(conn, to_collection.id, to_revision, to_href)

    # -- locking ---------------------------------------------------------

    @types.contextmanager
    def acquire_lock(self, mode: str, user: str = "", *args: Any, **kwargs: Any) -> Iterator[None]:
        # No storage-wide lock: each write is one transaction, serialised per
        # collection by its revision row, and repeats the application's
        # precondition inside it (see _check_precondition).
        yield

    def verify(self) -> bool:
        with contextlib.suppress(Exception), read_transaction(self.engine) as conn:
            conn.execute(select(func.count()).select_from(collections))
            return True
        return False


class _Root(radicale_storage.BaseCollection):
    """The root collection "/": it always exists and lists the principals."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    @property
    def path(self) -> str:
        return ""

    @property
    def etag(self) -> str:
        return '"root"'

    @property
    def last_modified(self) -> str:
        return "Thu, 01 Jan 1970 00:00:00 GMT"

    def get_meta(self, key: str | None = None) -> Any:
        return {} if key is None else None

    def get_all(self) -> Iterator[radicale_item.Item]:
        return iter(())

    def get_multi(self, hrefs: Iterable[str]) -> Iterator[tuple[str, radicale_item.Item | None]]:
        return ((href, None) for href in hrefs)


def _with_view(query: Any, home: str) -> Any:
    """``query`` of collections, with the view ``home`` is given on each (Q2), if any."""
    return query.add_columns(
        views_table.c.id.label("view_id"),
        views_table.c.name.label("view_name"),
        views_table.c.filter.label("view_filter"),
        views_table.c.version.label("view_version"),
    ).outerjoin(
        view_assignments.join(views_table, views_table.c.id == view_assignments.c.view_id),
        (view_assignments.c.collection_id == collections.c.id) & (view_assignments.c.login == home),
    )


def _lens(row: Any, reach: sharing.Reach | None = None) -> Lens:
    """The view a mount's viewer is given (``_with_view``) and what a share keeps from them."""
    if row.tag != "VADDRESSBOOK":
        return Lens()
    view = None
    if row.view_id is not None:
        view = views.View(row.view_id, row.view_name, json.loads(row.view_filter), row.view_version)
    if reach is None or not reach.confidential:
        return Lens(view=view)
    return Lens(view=view, confidential=reach.confidential, share_id=reach.share_id)


def _href_for_uid(uid: str, tag: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in uid)[:200] or uuid.uuid4().hex
    return safe + (".vcf" if tag == "VADDRESSBOOK" else ".ics")


def _text_to_store(item: radicale_item.Item) -> str:
    """The client's own text when the request carried exactly this item, else vobject's.

    Radicale re-serialises what it parses, which has been seen to damage data
    (vCard 4 data: URIs, escaped colons in URLs); what a client stored is what
    every client reads back.
    """
    raw = context.current().raw_body
    if raw is not None:
        try:
            components = radicale_item.read_components(raw)
        except Exception:
            components = []
        if len(components) == 1 and radicale_item.get_uid_from_object(components[0]) == item.uid:
            return raw if raw.endswith("\n") else raw + "\r\n"
    return item.serialize()
