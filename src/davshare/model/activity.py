"""A group's activity log: who added, modified, deleted or restored which item, and who
joined, left, was granted or revoked what (issue 20). Written in the transaction of the
change it records; read by the group's admins whole, by members for what they can read.
"""

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, delete, insert, or_, select

from davshare.core import vtext
from davshare.model import history, redaction, views
from davshare.model.errors import InvalidInput
from davshare.model.history import Change
from davshare.model.history_tables import ACTIONS, activity, item_versions
from davshare.model.tables import items

_SUBJECTS = ("FN", "SUMMARY")
COLUMNS = ("at", "action", "actor", "client", "collection", "href", "subject")


def subject_of(text: str) -> str:
    """The name of an item, as the log shows it: its FN or first SUMMARY."""
    for _, line, _ in vtext.logical_lines(text.splitlines()):
        prop = vtext.parse_line(line)
        if prop is not None and prop.name in _SUBJECTS:
            return vtext.unescape(prop.value)[:255]
    return ""


@dataclass(frozen=True)
class Where:
    """What an entry is about: an item of a collection, or a member (``subject``)."""

    group_id: int
    collection_id: int | None = None
    collection: str = ""
    href: str = ""
    subject: str = ""
    private: bool = False


def record(conn: Connection, where: Where, action: str, change: Change) -> None:
    """One entry of the log."""
    assert action in ACTIONS
    conn.execute(
        insert(activity).values(
            group_id=where.group_id,
            collection_id=where.collection_id,
            collection=where.collection[:255],
            href=where.href,
            subject=where.subject[:255],
            private=where.private,
            action=action,
            actor=change.login,
            client=change.client[:255],
            at=change.at,
        )
    )


def on_item(
    conn: Connection,
    group_id: int,
    collection: tuple[int, str],
    href: str,
    text: str,
    action: str,
    change: Change,
) -> None:
    """An entry about an item of a group's collection (``collection``: its id and name)."""
    where = Where(
        group_id,
        collection[0],
        collection[1],
        href,
        subject_of(text),
        private=redaction.is_private(text) if not text.startswith("BEGIN:VCARD") else False,
    )
    record(conn, where, action, change)


@dataclass(frozen=True)
class Filter:
    """What a reader of the log asks for."""

    action: str = ""
    actor: str = ""
    collection: str = ""
    since: int = 0
    until: int = 0
    limit: int = 1000

    def check(self) -> "Filter":
        """Itself, or 400 naming what is wrong."""
        if self.action and self.action not in ACTIONS:
            raise InvalidInput(f"unknown action {self.action!r}: use one of {', '.join(ACTIONS)}")
        if not 1 <= self.limit <= 10_000:
            raise InvalidInput("limit is between 1 and 10000")
        return self


def entries(
    conn: Connection, group_id: int, wanted: Filter, readable: ColumnElement[bool]
) -> list[Row[Any]]:
    """The group's entries matching ``wanted`` that ``readable`` lets through, newest first."""
    query = select(activity).where(activity.c.group_id == group_id, readable)
    for column, value in (
        (activity.c.action, wanted.action),
        (activity.c.actor, wanted.actor.strip().lower()),
        (activity.c.collection, wanted.collection),
    ):
        if value:
            query = query.where(column == value)
    if wanted.since:
        query = query.where(activity.c.at >= wanted.since)
    if wanted.until:
        query = query.where(activity.c.at < wanted.until)
    order = (activity.c.at.desc(), activity.c.id.desc())
    return list(conn.execute(query.order_by(*order).limit(wanted.limit)))


def as_csv(rows: list[dict[str, Any]]) -> str:
    """Entries (as the API shows them) as CSV, one line each under a header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def purge(conn: Connection, before: int) -> int:
    """Forget the entries older than ``before``; how many."""
    return int(conn.execute(delete(activity).where(activity.c.at < before)).rowcount or 0)


def on_member(conn: Connection, group_id: int, subject: str, action: str, actor: str) -> None:
    """An entry about a member or a right: joined, left, granted, revoked (``subject``
    says who and what, e.g. "bob@example.com: coadmin")."""
    record(conn, Where(group_id, subject=subject), action, history.change_now(actor))


def readable_by_member(viewed: dict[int, dict[str, Any]]) -> ColumnElement[bool]:
    """The entries a member reads: those on items, and for the collections they see through
    a view (collection id -> filter) those on items the view lets through, now or in a kept
    version (SPEC Q2)."""
    on_items = activity.c.collection_id.is_not(None)
    if not viewed:
        return on_items
    seen: list[ColumnElement[bool]] = [activity.c.collection_id.not_in(list(viewed))]
    for collection_id, spec in viewed.items():
        current = select(items.c.href).where(
            items.c.collection_id == collection_id, views.condition(collection_id, spec)
        )
        kept = select(item_versions.c.href).where(
            item_versions.c.collection_id == collection_id,
            views.condition(collection_id, spec, history.VERSIONS),
        )
        seen.append(
            (activity.c.collection_id == collection_id)
            & (activity.c.href.in_(current) | activity.c.href.in_(kept))
        )
    return on_items & or_(*seen)
