"""Where scheduling messages land (RFC 6638 3.2, 4): accounts by address, their calendars
and schedule inboxes, and the server's own writes of scheduling copies.

The server writes these itself, whatever shares exist: delivery to someone's inbox and
default calendar never needs a share, and an attendee's reply reaches the organizer's
copy wherever the organizer stored it.
"""

import uuid
from dataclasses import dataclass

from radicale import item as radicale_item
from radicale.item.filter import TIMESTAMP_MAX, TIMESTAMP_MIN
from sqlalchemy import Connection, Engine, and_, or_, select

from davshare.model import homes, item_rows
from davshare.model.db import read_transaction, write_transaction
from davshare.model.item_fields import searchable_fields
from davshare.model.tables import collections, domains, items, users

INBOX = ".inbox"
OUTBOX = ".outbox"
DEFAULT_CALENDAR = "calendar"
_INBOX_PROPS = {"tag": "VCALENDAR", "D:displayname": "Inbox"}


@dataclass(frozen=True)
class Stored:
    """One stored copy of a scheduling object."""

    collection_id: int
    href: str
    text: str
    schedule_tag: str


def inbox_path(login: str) -> str:
    """The path of ``login``'s schedule inbox."""
    return f"{login}/{INBOX}"


def is_inbox(path: str) -> bool:
    """Whether a collection path is a schedule inbox."""
    return path.count("/") == 1 and path.endswith("/" + INBOX)


def local_logins(conn: Connection, addresses: set[str]) -> set[str]:
    """The addresses that are enabled accounts of this server."""
    if not addresses:
        return set()
    rows = conn.execute(
        select(users.c.login).where(users.c.login.in_(addresses), users.c.disabled.is_(False))
    )
    return {str(login) for (login,) in rows}


def served_domains(conn: Connection) -> set[str]:
    """The mail domains this server has accounts in."""
    return {str(name) for (name,) in conn.execute(select(domains.c.name))}


def language_of(conn: Connection, login: str) -> str:
    """The language of messages sent for ``login`` ("" when unset or unknown)."""
    return str(conn.scalar(select(users.c.language).where(users.c.login == login)) or "")


def _calendars_of(login: str) -> object:
    """Personal calendars of ``login`` (not the inbox)."""
    return and_(
        collections.c.owner == login,
        collections.c.group_id.is_(None),
        collections.c.tag == "VCALENDAR",
        collections.c.path != inbox_path(login),
    )


def _stored(conn: Connection, where: object) -> Stored | None:
    row = conn.execute(
        select(items.c.collection_id, items.c.href, items.c.text, items.c.schedule_tag)
        .join(collections, collections.c.id == items.c.collection_id)
        .where(where)  # type: ignore[arg-type]
        .order_by(items.c.id)
    ).first()
    return Stored(row.collection_id, row.href, row.text, row.schedule_tag) if row else None


def attendee_copy(conn: Connection, login: str, uid: str) -> Stored | None:
    """``login``'s own copy of the object ``uid`` in one of their calendars."""
    return _stored(conn, and_(_calendars_of(login), items.c.uid == uid))  # type: ignore[arg-type]


def organizer_copy(conn: Connection, organizer: str, uid: str) -> Stored | None:
    """The organizer's copy: in their calendars, or one they created in a group calendar."""
    in_group = and_(collections.c.group_id.is_not(None), items.c.creator == organizer)
    where = and_(items.c.uid == uid, or_(_calendars_of(organizer), in_group))  # type: ignore[arg-type]
    return _stored(conn, where)


def default_calendar(conn: Connection, login: str) -> int | None:
    """The calendar new invitations go to: ``<login>/calendar``, else their first one."""
    rows = conn.execute(
        select(collections.c.id, collections.c.path)
        .where(_calendars_of(login))  # type: ignore[arg-type]
        .order_by(collections.c.id)
    ).all()
    for row in rows:
        if row.path == f"{login}/{DEFAULT_CALENDAR}":
            return int(row.id)
    return int(rows[0].id) if rows else None


def inbox_id(conn: Connection, login: str) -> int:
    """The id of ``login``'s schedule inbox, made if it is missing."""
    found = conn.scalar(select(collections.c.id).where(collections.c.path == inbox_path(login)))
    if found is not None:
        return int(found)
    return homes.insert_collection(conn, inbox_path(login), login, dict(_INBOX_PROPS))


def ensure_inbox(engine: Engine, login: str) -> None:
    """Make ``login``'s inbox if it does not exist yet (a client asks for it)."""
    with read_transaction(engine) as conn:
        path = conn.scalar(select(collections.c.path).where(collections.c.path == login))
        if path is None:
            return  # no home: not an account
        if conn.scalar(select(collections.c.id).where(collections.c.path == inbox_path(login))):
            return
    with write_transaction(engine) as conn:
        inbox_id(conn, login)


def write(
    conn: Connection,
    collection_id: int,
    href: str,
    text: str,
    writer: str,
    schedule_tag: str | None = None,
) -> None:
    """Store ``text`` at ``href`` as the server (``schedule_tag`` None: keep the old one)."""
    item = radicale_item.Item(collection_path="scheduling", text=text)
    values: dict[str, object] = dict(uid=item.uid, text=text, etag=radicale_item.get_etag(text))
    try:
        values.update(searchable_fields(item))
    except ValueError:  # instances without their master (a REPLY about some of them)
        # Radicale cannot bound them: any time range meets them.
        values.update(component=item.component_name, time_start=TIMESTAMP_MIN)
        values["time_end"] = TIMESTAMP_MAX
    if schedule_tag is not None:
        values["schedule_tag"] = schedule_tag
    item_rows.write_item(conn, collection_id, href, values, writer)


def remove(conn: Connection, collection_id: int, href: str) -> None:
    """Delete a scheduling copy as the server."""
    item_rows.delete_item(conn, collection_id, href)


def to_inbox(conn: Connection, login: str, uid: str, text: str, sender: str) -> None:
    """Put an iTIP message into ``login``'s inbox; it replaces an older one about ``uid``."""
    inbox = inbox_id(conn, login)
    href = conn.scalar(
        select(items.c.href).where(items.c.collection_id == inbox, items.c.uid == uid)
    )
    write(conn, inbox, str(href or f"{uuid.uuid4().hex}.ics"), text, sender)


def new_tag() -> str:
    """A fresh Schedule-Tag value."""
    return uuid.uuid4().hex


def schedule_tag(engine: Engine, collection_id: int, href: str) -> str:
    """The Schedule-Tag of the item at ``href`` ("" when it has none or does not exist)."""
    with read_transaction(engine) as conn:
        tag = conn.scalar(
            select(items.c.schedule_tag).where(
                items.c.collection_id == collection_id, items.c.href == href
            )
        )
    return str(tag or "")
