"""Bursts: one person's deletions and overwrites in one collection from one client,
grouped so that a mistake ("412 contacts deleted from DAVx5 at 10:42") is undone in one step.

A change continues the person's last burst in the collection when it comes from the
same client within ``burst_seconds`` of that burst's last change (``trash_rules.same_burst``).
"""

from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, insert, select, update

from davshare.core import trash_rules
from davshare.model.history import Change
from davshare.model.history_tables import bursts

KINDS = ("deleted", "overwritten")


def _whose(collection_id: int, change: Change) -> ColumnElement[bool]:
    """The bursts of this person's client in this collection."""
    return (
        (bursts.c.collection_id == collection_id)
        & (bursts.c.login == change.login)
        & (bursts.c.client == change.client)
    )


def current(conn: Connection, collection_id: int, change: Change, window: int) -> Row[Any] | None:
    """The burst this change would continue, if any."""
    last = conn.execute(
        select(bursts)
        .where(_whose(collection_id, change))
        .order_by(bursts.c.last_at.desc(), bursts.c.id.desc())
        .limit(1)
    ).first()
    if last is not None and trash_rules.same_burst(int(last.last_at), change.at, window):
        return last
    return None


def touch(conn: Connection, collection_id: int, change: Change, window: int, kind: str) -> int:
    """The burst this change belongs to (continued or begun), its count of ``kind`` bumped."""
    assert kind in KINDS
    # One statement in the usual case (the SQL form of trash_rules.same_burst): the burst goes on.
    continued = conn.scalar(
        update(bursts)
        .where(
            _whose(collection_id, change),
            bursts.c.last_at >= change.at - window,
            bursts.c.last_at <= change.at,
        )
        .values({"last_at": change.at, kind: bursts.c[kind] + 1})
        .returning(bursts.c.id)
    )
    if continued is not None:
        return int(continued)
    result = conn.execute(
        insert(bursts).values(
            {
                "collection_id": collection_id,
                "login": change.login,
                "client": change.client,
                "started_at": change.at,
                "last_at": change.at,
                kind: 1,
            }
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def of_collection(conn: Connection, collection_id: int, limit: int = 100) -> list[Row[Any]]:
    """The collection's bursts, the latest first."""
    return list(
        conn.execute(
            select(bursts)
            .where(bursts.c.collection_id == collection_id)
            .order_by(bursts.c.last_at.desc(), bursts.c.id.desc())
            .limit(limit)
        )
    )


def get(conn: Connection, burst_id: int) -> Row[Any] | None:
    """One burst."""
    return conn.execute(select(bursts).where(bursts.c.id == burst_id)).first()
