"""One collection (address book, calendar, task list or principal) backed by SQL rows."""

import json
import posixpath
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from hashlib import sha256
from typing import Any, Protocol

from radicale import item as radicale_item
from radicale import storage as radicale_storage
from sqlalchemy import ColumnElement, Engine, Row, bindparam, func, select, true

from davshare.core import context
from davshare.model import confidential, recurrence, redaction, views
from davshare.model.db import read_transaction
from davshare.model.errors import NotAllowed, PreconditionFailed
from davshare.model.prepared import Prepared
from davshare.model.tables import items
from davshare.storage import prefilter
from davshare.storage.lens import Lens
from davshare.storage.sync_tokens import SyncTokens

_ITEM_COLUMNS = (
    items.c.href,
    items.c.uid,
    items.c.etag,
    items.c.text,
    items.c.component,
    items.c.time_start,
    items.c.time_end,
    items.c.modified_at,
)
_MULTIGET_CHUNK = 500
# The items of a collection by href, built once: what GET and multiget ask most.
_BY_HREF = (
    select(*_ITEM_COLUMNS)
    .where(
        items.c.collection_id == bindparam("collection_id"),
        items.c.href.in_(bindparam("hrefs", expanding=True)),
    )
    .order_by(items.c.href)
)
_BY_ONE_HREF = Prepared(
    select(*_ITEM_COLUMNS).where(
        items.c.collection_id == bindparam("collection_id"), items.c.href == bindparam("href")
    )
)


class Host(Protocol):
    """What a collection asks of the storage it belongs to (``storage/backend.py``)."""

    engine: Engine

    def upload_item(
        self, collection: "Collection", href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]: ...

    def delete_item(self, collection: "Collection", href: str) -> None: ...

    def delete_collection(self, sane_path: str) -> None: ...

    def set_viewer_props(
        self, collection: "Collection", login: str, props: dict[str, str]
    ) -> None: ...

    def set_collection_props(
        self, collection: "Collection", props: dict[str, str]
    ) -> dict[str, str]: ...


def http_date(moment: datetime) -> str:
    """An HTTP-date (RFC 9110) of a stored timestamp."""
    # SQLite gives naive UTC, PostgreSQL the session's time zone.
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return format_datetime(moment, usegmt=True)


class Collection(SyncTokens, radicale_storage.BaseCollection):
    """A collection row; items are read from SQL when asked for, never all at once unless asked.

    A group's collection is seen by each member through a mount in their home:
    ``path`` is then the mount's path (``<member>/<collection>@<group>``), so
    every href a client sees stays inside its own home, while ``id`` and the
    data are the group's. ``viewer_props`` are the member's own overrides.
    """

    def __init__(
        self,
        storage: Host,
        row: Row[Any],
        mount_path: str | None = None,
        viewer_props: dict[str, str] | None = None,
        mount_label: str = "",
        hide_private: bool = False,
        lens: Lens | None = None,
        viewer_access: str | None = None,
    ) -> None:
        self._storage = storage
        self._id: int = row.id
        self._path: str = mount_path or row.path
        self._stored_path: str = row.path
        self._stored_owner: str = row.owner
        self.group_id: int | None = row.group_id
        self._mount_label = mount_label or (self.group_name or "")
        # The viewer may not see details of private and confidential events.
        self._hide_private = hide_private
        # The view and the confidential properties this viewer sees the data through.
        self._lens = replace(lens or Lens(), private_hidden=hide_private)
        # A mount's viewer's role in the group, or the rights of the share reaching
        # them: read with the mount, so the rules need no second query.
        self.viewer_access = viewer_access
        self._tag: str = row.tag
        self._base_props: dict[str, str] = json.loads(row.props)
        self._viewer_props = viewer_props
        self._props = self._base_props
        if mount_path is not None:
            self._props = {**self._mount_defaults(), **(viewer_props or {})}
        self._revision: int = row.revision
        self._pruned_revision: int = row.pruned_revision
        self._uuid: str = row.uuid
        self._modified_at: datetime = row.modified_at

    def _mount_defaults(self) -> dict[str, str]:
        props = dict(self._base_props)
        name = props.get("D:displayname") or self._stored_path.rsplit("/", 1)[1]
        props["D:displayname"] = f"{name} ({self._mount_label})"
        return props

    @property
    def hides_private(self) -> bool:
        """Whether private events are shown to this viewer as busy blocks only."""
        return self._hide_private

    @property
    def lens(self) -> Lens:
        """The view and confidential properties this viewer sees the data through."""
        return self._lens

    @property
    def rewrites_items(self) -> bool:
        """Whether items are shown to this viewer other than as stored (etags differ too)."""
        return self._hide_private or bool(self._lens.confidential)

    def visible(self) -> ColumnElement[bool]:
        """The SQL condition on ``items`` of what this viewer sees of the collection."""
        view = self._lens.view
        return views.condition(self._id, view.filter) if view is not None else true()

    def viewer_text(self, text: str) -> str:
        """A stored contact as this viewer receives it (confidential properties left out)."""
        return confidential.strip(text, self._lens.confidential)

    @property
    def engine(self) -> Engine:
        """The database of the storage this collection belongs to."""
        return self._storage.engine

    @property
    def is_mount(self) -> bool:
        """Whether this is a group's or someone else's collection seen from a home."""
        return self._path != self._stored_path

    @property
    def group_name(self) -> str | None:
        """The group this collection belongs to, if any."""
        return self._stored_owner[1:] if self.group_id is not None else None

    @property
    def stored_owner(self) -> str:
        """The login owning a personal collection, or "@<group>" for a group's."""
        return self._stored_owner

    @property
    def stored_path(self) -> str:
        """The collection's own path (a group's: ``@<group>/<name>``)."""
        return self._stored_path

    @property
    def id(self) -> int:
        """The row id."""
        return self._id

    @property
    def path(self) -> str:
        return self._path

    @property
    def owner(self) -> str:
        # DAV:owner must name a principal the client can read: for a mount, its viewer.
        return self._path.split("/", 1)[0]

    @property
    def uuid(self) -> str:
        """The collection's identity, made anew when the collection is made again."""
        return self._uuid

    @property
    def tag(self) -> str:
        return self._tag

    @property
    def revision(self) -> int:
        """The revision: bumped by every change of an item."""
        return self._revision

    @property
    def etag(self) -> str:
        # Changes with every item write and every property change, in O(1).
        digest = sha256(f"{self._uuid}/{self.visible_revision()}/".encode())
        digest.update(json.dumps(self._props, sort_keys=True).encode())
        return f'"{digest.hexdigest()}"'

    @property
    def last_modified(self) -> str:
        return http_date(self._modified_at)

    def _all_hrefs(self) -> Iterator[str]:
        for row in self._select(true(), columns=(items.c.href,)):
            yield str(row.href)

    def shown(self, text: str, component: str, etag: str = "") -> tuple[str, str]:
        """A stored text as this viewer receives it (confidential properties left out,
        private events as busy blocks), with its etag (``etag`` when it is as stored)."""
        if self._lens.confidential and component == "VCARD":
            text = self.viewer_text(text)
            etag = confidential.etag(text)
        if self._hide_private and component != "VCARD" and redaction.is_private(text):
            text = redaction.redact(text)
            etag = redaction.redacted_etag(text)
        return text, etag

    def _item(self, row: Row[Any]) -> radicale_item.Item:
        text, etag = self.shown(row.text, row.component, row.etag)
        return radicale_item.Item(
            collection=self,
            href=row.href,
            text=text,
            etag=etag,
            uid=row.uid,
            name="VCARD" if row.component == "VCARD" else "VCALENDAR",
            # Radicale's own items have no component name for vCards.
            component_name="" if row.component == "VCARD" else row.component,
            time_range=(row.time_start, row.time_end),
            last_modified=http_date(row.modified_at),
        )

    def _select(
        self, condition: ColumnElement[bool], columns: tuple[Any, ...] = _ITEM_COLUMNS
    ) -> list[Row[Any]]:
        query = select(*columns).where(items.c.collection_id == self._id, condition, self.visible())
        with read_transaction(self._storage.engine) as conn:
            return list(conn.execute(query.order_by(items.c.href)))

    def _by_href(self, hrefs: list[str]) -> list[Row[Any]]:
        if self._lens.view is not None:
            return self._select(items.c.href.in_(hrefs))
        with read_transaction(self._storage.engine) as conn:
            if len(hrefs) == 1:  # a GET
                return _BY_ONE_HREF.rows(conn, {"collection_id": self._id, "href": hrefs[0]})
            return list(conn.execute(_BY_HREF, {"collection_id": self._id, "hrefs": hrefs}))

    def page(
        self, condition: ColumnElement[bool], order: Iterable[Any], limit: int, offset: int
    ) -> tuple[list[radicale_item.Item], int]:
        """One page of the items matching ``condition`` in ``order``, as this viewer sees
        them, and how many match in all (two indexed queries; nothing else is read)."""
        where = (items.c.collection_id == self._id, condition, self.visible())
        query = select(*_ITEM_COLUMNS).where(*where).order_by(*order, items.c.href)
        counted = select(func.count()).select_from(items).where(*where)
        with read_transaction(self._storage.engine) as conn:
            rows: list[Row[Any]] = list(conn.execute(query.limit(limit).offset(offset)))
            total = int(conn.scalar(counted) or 0)
        return [self._item(row) for row in rows], total

    def get_multi(self, hrefs: Iterable[str]) -> Iterator[tuple[str, radicale_item.Item | None]]:
        for href, row, _, _ in self.seen_rows(hrefs):
            yield href, (self._item(row) if row is not None else None)

    def seen_rows(self, hrefs: Iterable[str]) -> Iterator[tuple[str, Row[Any] | None, str, str]]:
        """``get_multi`` without building items: (href, row or None, text, etag) as this
        viewer sees each (for answers written straight from the rows)."""
        wanted = list(dict.fromkeys(hrefs))
        for start in range(0, len(wanted), _MULTIGET_CHUNK):
            chunk = wanted[start : start + _MULTIGET_CHUNK]
            found = {row.href: row for row in self._by_href(chunk)}
            for href in chunk:
                row = found.get(href)
                yield (
                    (href, row, *self.shown(row.text, row.component, row.etag))
                    if row
                    else (href, None, "", "")
                )

    def get_all(self) -> Iterator[radicale_item.Item]:
        for row in self._select(true()):
            yield self._item(row)

    def get_filtered(
        self, filters: Iterable[ET.Element]
    ) -> Iterator[tuple[radicale_item.Item, bool]]:
        filters = list(filters)
        if not self._tag:
            return
        if not filters:
            for item in self.get_all():
                yield item, True
            return
        if self._tag == "VCALENDAR":
            condition, decided = prefilter.calendar_condition(filters)
            deadline = time.monotonic() + recurrence.QUERY_SECONDS
            for row in self._select(condition):
                recurrence.check_budget(deadline)  # Radicale's matching runs between yields
                yield self._item(row), decided(row.time_start, row.time_end)
            return
        everything = prefilter.addressbook_decided(filters)
        for row in self._select(prefilter.addressbook_condition(filters)):
            yield self._item(row), everything

    def has_uid(self, uid: str) -> bool:
        href = self.href_of_uid(uid)
        if href is None:
            return False
        if context.expects_absent(context.current(), self.item_path(href)):
            # The item this request was creating appeared meanwhile: a concurrent
            # create won, so the answer is 412 (If-None-Match), not a UID conflict.
            raise PreconditionFailed(f"{self.item_path(href)} was created during the request")
        return True

    def href_of_uid(self, uid: str) -> str | None:
        """The href of the item with ``uid``, if there is one."""
        rows = self._select(items.c.uid == uid, columns=(items.c.href,))
        return rows[0].href if rows else None

    def upload(
        self, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        return self._storage.upload_item(self, href, item)

    def delete(self, href: str | None = None) -> None:
        if href is None:
            if self.is_mount:
                raise NotAllowed("a group's collection cannot be deleted from a member's home")
            self._storage.delete_collection(self._path)
        else:
            self._storage.delete_item(self, href)

    def get_meta(self, key: str | None = None) -> Any:
        if key is None:
            return dict(self._props)
        return self._props.get(key)

    def set_meta(self, props: Mapping[str, str]) -> None:
        if self.is_mount:
            # A member renames or recolours a group collection for themselves only.
            defaults = self._mount_defaults()
            own = {k: v for k, v in props.items() if defaults.get(k) != v}
            self._storage.set_viewer_props(self, self.owner, own)
            self._props = {**defaults, **own}
            return
        self._props = self._storage.set_collection_props(self, dict(props))

    def item_path(self, href: str) -> str:
        """The sanitized path of an item of this collection."""
        return posixpath.join(self._path, href)
