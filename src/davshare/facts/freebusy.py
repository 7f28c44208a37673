"""Busy times without details (SPEC G5, S1): who may see whose, and the VFREEBUSY answer.

Used by the scheduling outbox (RFC 6638 section 5, as Thunderbird and Apple
clients ask when planning a meeting) and by the free/busy URL given to Outlook.
A person's busy times come from the personal calendars the requester may see
them in: all of them for the person themselves and their fellow group
members, otherwise those shared with the requester (free/busy only or more).
"""

import datetime
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from radicale.app.report import freebusy_periods
from sqlalchemy import select

from davshare.core import itip, policy
from davshare.facts import access
from davshare.model import recurrence, scheduling
from davshare.model.db import read_transaction
from davshare.model.tables import collections, group_members
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection

Period = tuple[datetime.datetime, datetime.datetime, str]
MAX_OCCURRENCES = 10_000
_FORMAT = "%Y%m%dT%H%M%SZ"


def _fellow_members(storage: Storage, one: str, other: str) -> bool:
    mine = select(group_members.c.group_id).where(group_members.c.login == one)
    query = select(group_members.c.id).where(
        group_members.c.login == other, group_members.c.group_id.in_(mine)
    )
    with read_transaction(storage.engine) as conn:
        return conn.execute(query.limit(1)).first() is not None


def _personal_calendars(storage: Storage, owner: str) -> list[Collection]:
    query = select(collections.c.path).where(
        collections.c.owner == owner,
        collections.c.group_id.is_(None),
        collections.c.tag == "VCALENDAR",
        collections.c.path != scheduling.inbox_path(owner),  # messages, not one's times
    )
    with read_transaction(storage.engine) as conn:
        paths = [p for (p,) in conn.execute(query)]
    found = [storage.collection(p) for p in paths]
    return [
        c
        for c in found
        if c is not None
        and "VEVENT" in (c.get_meta("C:supported-calendar-component-set") or "VEVENT")
    ]


def visible_calendars(storage: Storage, requester: str, target: str) -> list[Collection] | None:
    """The calendars whose busy times ``requester`` may see for ``target`` (None: no authority)."""
    calendars = _personal_calendars(storage, target)
    if requester == target or _fellow_members(storage, requester, target):
        return calendars
    visible = [
        c
        for c in calendars
        if policy.reported(access.privileges(storage.engine, requester, c), True)
        & {policy.Privilege.READ_FREE_BUSY}
    ]
    return visible or None


def _range_filter(start: datetime.datetime, end: datetime.datetime) -> ET.Element:
    ns = "urn:ietf:params:xml:ns:caldav"
    root = ET.Element(f"{{{ns}}}filter")
    vcalendar = ET.SubElement(root, f"{{{ns}}}comp-filter", name="VCALENDAR")
    vevent = ET.SubElement(vcalendar, f"{{{ns}}}comp-filter", name="VEVENT")
    ET.SubElement(
        vevent, f"{{{ns}}}time-range", start=start.strftime(_FORMAT), end=end.strftime(_FORMAT)
    )
    return root


def busy_periods(
    calendars: Iterable[Collection], start: datetime.datetime, end: datetime.datetime
) -> list[Period]:
    """The merged busy periods of ``calendars`` from ``start`` to ``end``, recurrences expanded
    (TooExpensive for a window past ``recurrence.MAX_DATE_TIME``)."""
    recurrence.check_window(start, end)
    periods: list[Period] = []
    for calendar in calendars:
        for item, _ in calendar.get_filtered([_range_filter(start, end)]):
            if not _declined(item.serialize(), calendar.stored_owner):
                periods.extend(freebusy_periods(item, start, end, MAX_OCCURRENCES))
    return merge(periods)


def _declined(text: str, owner: str) -> bool:
    """Whether ``owner`` declined the invitation (the whole event): it keeps them free."""
    if "DECLINED" not in text:
        return False
    answers = itip.facts_of(text).attendees.get(owner, {})
    return answers.get("", "") == "DECLINED"


def merge(periods: list[Period]) -> list[Period]:
    """Overlapping or touching periods of the same type joined, in time order."""
    merged: list[Period] = []
    for start, end, kind in sorted(periods, key=lambda p: (p[2], p[0])):
        if merged and merged[-1][2] == kind and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), kind)
        else:
            merged.append((start, end, kind))
    return sorted((p for p in merged if p[2] != "FREE"), key=lambda p: p[0])


def vfreebusy(
    periods: list[Period],
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    attendee: str,
    organizer: str = "",
    uid: str = "",
    method: str = "",
) -> str:
    """A VCALENDAR with one VFREEBUSY listing ``periods`` (a scheduling REPLY when ``method``)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//davshare//free-busy//EN"]
    if method:
        lines.append(f"METHOD:{method}")
    lines += [
        "BEGIN:VFREEBUSY",
        f"UID:{uid or uuid.uuid4()}",
        f"DTSTAMP:{datetime.datetime.now(datetime.UTC).strftime(_FORMAT)}",
        f"DTSTART:{start.strftime(_FORMAT)}",
        f"DTEND:{end.strftime(_FORMAT)}",
    ]
    if organizer:
        lines.append(f"ORGANIZER:{organizer}")
    lines.append(f"ATTENDEE:mailto:{attendee}")
    lines += [
        f"FREEBUSY;FBTYPE={kind}:{s.strftime(_FORMAT)}/{e.strftime(_FORMAT)}"
        for s, e, kind in periods
    ]
    lines += ["END:VFREEBUSY", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"
