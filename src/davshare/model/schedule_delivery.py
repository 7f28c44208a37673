"""Delivering scheduling messages to accounts of this server, in the caller's transaction.

A REQUEST writes the attendee's copy (where they keep it, else in their default
calendar) with a new Schedule-Tag and leaves the message in their inbox; a CANCEL
removes their copy; a REPLY writes the attendee's answers into the organizer's copy
(its Schedule-Tag unchanged: RFC 6638 3.2.10) and leaves the reply in the organizer's
inbox. Each returns the SCHEDULE-STATUS of the delivery (RFC 6638 3.2.9).
"""

import uuid

import icalendar
from sqlalchemy import Connection, select

from davshare.core import itip, itip_messages
from davshare.model import scheduling
from davshare.model.item_fields import href_for_uid
from davshare.model.tables import items

DELIVERED = "1.2"
NO_CALENDAR = "5.3"


def _free_href(conn: Connection, collection_id: int, uid: str) -> str:
    """The href for a new copy of ``uid``: named after it, unless another item has that name."""
    href = href_for_uid(uid, "VCALENDAR")
    taken = conn.scalar(
        select(items.c.uid).where(items.c.collection_id == collection_id, items.c.href == href)
    )
    return href if taken is None or taken == uid else f"{uuid.uuid4().hex}.ics"


def request(conn: Connection, organizer: str, login: str, calendar: icalendar.Calendar) -> str:
    """Deliver the organizer's object to the attendee ``login``; the delivery status."""
    copy = itip_messages.attendee_copy(calendar, login)
    if copy is None:
        return cancel(conn, organizer, login, calendar)
    uid = itip.read(calendar).uid
    text = itip_messages.serialize(copy)
    existing = scheduling.attendee_copy(conn, login, uid)
    if existing is not None:
        scheduling.write(
            conn, existing.collection_id, existing.href, text, login, scheduling.new_tag()
        )
    else:
        target = scheduling.default_calendar(conn, login)
        if target is None:
            return NO_CALENDAR
        href = _free_href(conn, target, uid)
        scheduling.write(conn, target, href, text, login, scheduling.new_tag())
    message = itip_messages.serialize(itip_messages.message(copy, "REQUEST"))
    scheduling.to_inbox(conn, login, uid, message, organizer)
    return DELIVERED


def cancel(conn: Connection, organizer: str, login: str, calendar: icalendar.Calendar) -> str:
    """Tell ``login`` that the object ``calendar`` (as they last received it) is cancelled."""
    uid = itip.read(calendar).uid
    existing = scheduling.attendee_copy(conn, login, uid)
    if existing is not None:
        scheduling.remove(conn, existing.collection_id, existing.href)
    copy = itip_messages.attendee_copy(calendar, login) or calendar
    message = itip_messages.serialize(itip_messages.message(copy, "CANCEL"))
    scheduling.to_inbox(conn, login, uid, message, organizer)
    return DELIVERED


def reply(conn: Connection, attendee: str, organizer: str, answer: icalendar.Calendar) -> str:
    """Write ``attendee``'s answers into the organizer's copy and inbox (organizer is local)."""
    uid = itip.read(answer).uid
    stored = scheduling.organizer_copy(conn, organizer, uid)
    if stored is not None:
        calendar = itip.parse(stored.text)
        if calendar is not None and itip_messages.merge_reply(calendar, answer, attendee):
            text = itip_messages.serialize(calendar)
            scheduling.write(conn, stored.collection_id, stored.href, text, organizer)
    scheduling.to_inbox(conn, organizer, uid, itip_messages.serialize(answer), attendee)
    return DELIVERED
