"""Earlier versions of items and deleted items, kept when a write replaces or removes them.

The storage calls ``keep`` inside the transaction of an overwrite or a deletion,
before the item's row changes: the row as it was becomes an ``item_versions`` row
("old" or "deleted") with who replaced it, when and from which client, and for a
contact a copy of its views' index (``version_props``), so that views decide on
history and trash exactly as on the item (SPEC Q2, issue 20).
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, delete, insert, literal, select

from davshare.core import context
from davshare.model import views
from davshare.model.errors import InvalidInput
from davshare.model.history_tables import item_versions, version_props
from davshare.model.tables import item_props, items


@dataclass(frozen=True)
class Settings:
    """How much is kept: ``[trash]`` of the configuration."""

    # Days a deleted item or collection stays in the trash (0: deletions are final).
    trash_days: float = 30
    # Earlier versions kept per item, and for how many days (0 versions: no history).
    versions: int = 10
    history_days: float = 30
    # Seconds between two changes of one person from one client that make one burst.
    burst_seconds: int = 120
    # Days the groups' activity log is kept.
    activity_days: float = 365
    # A burst deleting this share (0-1) of a group's or shared collection is refused (0: never).
    guard_share: float = 0
    # Days the change log that incremental sync reads is kept (0: for ever); a client whose
    # sync token is older is told to sync afresh (model/change_log.py).
    change_log_days: float = 90

    @property
    def trash_on(self) -> bool:
        """Whether deleted items go to the trash."""
        return self.trash_days > 0

    @property
    def history_on(self) -> bool:
        """Whether overwritten versions are kept."""
        return self.versions > 0 and self.history_days > 0


@dataclass(frozen=True)
class Change:
    """Who changes something, from which client, when (seconds since the epoch)."""

    login: str
    client: str
    at: int


def change_now(default_login: str = "") -> Change:
    """The change the running request makes (the CLI: ``default_login``, no client)."""
    ctx = context.current()
    return Change(ctx.user or default_login, ctx.client, int(time.time()))


def epoch(moment: datetime | None) -> int:
    """Seconds since the epoch of a stored timestamp (SQLite's are naive UTC); 0 if None."""
    if moment is None:
        return 0
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return int(moment.timestamp())


# What a kept version copies of an item (``trash`` copies them all but the last in SQL).
KEPT_COLUMNS = (
    items.c.id,
    items.c.collection_id,
    items.c.href,
    items.c.uid,
    items.c.component,
    items.c.text,
    items.c.creator,
    items.c.modified_by,
    items.c.modified_at,
)


def stored(conn: Connection, collection_id: int, href: str) -> Row[Any] | None:
    """The item's row as it is before a write (None: there is none)."""
    where = (items.c.collection_id == collection_id) & (items.c.href == href)
    return conn.execute(select(*KEPT_COLUMNS).where(where)).first()  # type: ignore[return-value]


def keep(conn: Connection, row: Row[Any], state: str, change: Change, burst_id: int | None) -> int:
    """Keep ``row`` (from ``stored``) as an earlier version or in the trash; its id."""
    result = conn.execute(
        insert(item_versions).values(
            collection_id=row.collection_id,
            item_id=row.id,
            state=state,
            href=row.href,
            uid=row.uid,
            component=row.component,
            text=row.text,
            creator=row.creator,
            written_by=row.modified_by or row.creator,
            written_at=epoch(row.modified_at),
            replaced_by=change.login,
            replaced_at=change.at,
            client=change.client,
            burst_id=burst_id,
        )
    )
    version_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    if row.component == "VCARD":
        copied = select(
            literal(version_id), item_props.c.collection_id, item_props.c.name, item_props.c.value
        ).where(item_props.c.item_id == row.id)
        conn.execute(
            insert(version_props).from_select(
                ["version_id", "collection_id", "name", "value"], copied
            )
        )
    return version_id


def prune(conn: Connection, collection_id: int, href: str, count: int) -> None:
    """Keep at most ``count`` earlier versions of the item at ``href``."""
    beyond = conn.execute(
        select(item_versions.c.id)
        .where(
            item_versions.c.collection_id == collection_id,
            item_versions.c.href == href,
            item_versions.c.state == "old",
        )
        .order_by(item_versions.c.id.desc())
        .offset(count)
    ).all()
    if beyond:
        conn.execute(delete(item_versions).where(item_versions.c.id.in_([i for (i,) in beyond])))


def kept_in(
    conn: Connection,
    collection_id: int,
    state: str,
    visible: ColumnElement[bool],
    href: str | None = None,
) -> list[Row[Any]]:
    """The kept rows of one state of a collection (of one href) that ``visible`` lets
    through, the latest first."""
    query = select(item_versions).where(
        item_versions.c.collection_id == collection_id,
        item_versions.c.state == state,
        item_versions.c.trashed_collection_id.is_(None),
        visible,
    )
    if href is not None:
        query = query.where(item_versions.c.href == href)
    order = (item_versions.c.replaced_at.desc(), item_versions.c.id.desc())
    return list(conn.execute(query.order_by(*order)))


def versions_of(
    conn: Connection, collection_id: int, href: str, visible: ColumnElement[bool]
) -> list[Row[Any]]:
    """The earlier versions of the item at ``href`` that ``visible`` lets through, newest first."""
    return kept_in(conn, collection_id, "old", visible, href)


def version(
    conn: Connection, collection_id: int, version_id: int, visible: ColumnElement[bool]
) -> Row[Any] | None:
    """One kept version or trashed item of the collection, if ``visible`` lets it through."""
    return conn.execute(
        select(item_versions).where(
            item_versions.c.id == version_id,
            item_versions.c.collection_id == collection_id,
            item_versions.c.trashed_collection_id.is_(None),
            visible,
        )
    ).first()


# Kept versions, for a view's filter (``views.condition``): a view decides on them as on items.
VERSIONS = views.Indexed(item_versions.c.id, version_props, version_props.c.version_id)


def moment_of(raw: str, what: str) -> int:
    """Seconds since the epoch of an ISO date or time (UTC unless it says); 400 naming
    ``what`` when it is none."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{what} is a date or time such as 2026-12-03T10:42:00Z") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())
