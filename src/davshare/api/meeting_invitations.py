"""``GET /meeting-invitations``: the meetings others invited the caller to (RFC 6638 copies).

For the web pages' invitation list: each event of the caller's own calendars whose
organizer is someone else and whose attendees include the caller, with the caller's
answer. Answering is a DAV PUT of the copy with the new PARTSTAT (the pages' bridge),
which the server sends on as a REPLY like any client's.
"""

import datetime
import time

from sqlalchemy import select
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.core import itip
from davshare.model import scheduling
from davshare.model.db import read_transaction
from davshare.model.tables import collections, items

MAX_LISTED = 200


def _start(text: str) -> str:
    calendar = itip.parse(text)
    for component in itip.components(calendar) if calendar is not None else []:
        if "RECURRENCE-ID" not in component and "DTSTART" in component:
            start = component.decoded("DTSTART")
            if isinstance(start, datetime.datetime) and start.tzinfo is not None:
                return start.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return start.isoformat()
    return ""


def _summary(text: str) -> str:
    calendar = itip.parse(text)
    for component in itip.components(calendar) if calendar is not None else []:
        if "RECURRENCE-ID" not in component:
            return str(component.get("SUMMARY", ""))
    return ""


def list_invitations(call: Call) -> Response:
    """The meetings others invited you to that have not ended, with your answer."""
    login = call.login
    query = (
        select(collections.c.path, items.c.href, items.c.text, items.c.etag)
        .join(collections, collections.c.id == items.c.collection_id)
        .where(
            collections.c.owner == login,
            collections.c.group_id.is_(None),
            collections.c.tag == "VCALENDAR",
            collections.c.path != scheduling.inbox_path(login),
            items.c.time_end >= int(time.time()),
            items.c.text.contains("ORGANIZER"),
        )
        .order_by(items.c.time_start)
        .limit(MAX_LISTED * 5)
    )
    with read_transaction(call.engine) as conn:
        rows = conn.execute(query).all()
    listed = []
    for row in rows:
        facts = itip.facts_of(row.text)
        answers = facts.attendees.get(login)
        if not answers or facts.organizer in ("", login):
            continue
        listed.append(
            {
                "collection": row.path.split("/", 1)[1],
                "href": row.href,
                "etag": row.etag,
                "title": _summary(row.text),
                "start": _start(row.text),
                "organizer": facts.organizer,
                "answer": answers.get("", next(iter(answers.values()))),
            }
        )
        if len(listed) == MAX_LISTED:
            break
    return json_response({"invitations": listed})


ROUTES: list[tuple[str, str, Handler]] = [("GET", "/meeting-invitations", list_invitations)]
