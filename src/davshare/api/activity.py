"""A group's activity log (issue 20): ``GET /groups/<name>/activity`` with filters
(``action``, ``actor``, ``collection``, ``since``, ``until``: ISO dates or times, ``limit``),
as JSON or, with ``format=csv``, as a CSV file. Admins and co-admins read all of it; members
the entries on items they can read, through their view (``trash_rules.sees_all_activity``).
"""

from typing import Any

from sqlalchemy import ColumnElement, Connection, select, true
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.api.trash import when
from davshare.core import trash_rules
from davshare.model import activity, groups, history, views
from davshare.model.db import read_transaction
from davshare.model.errors import InvalidInput
from davshare.model.tables import collections

PRIVATE = "Private event"


def _moment(call: Call, name: str) -> int:
    raw = call.request.args.get(name, "").strip()
    return history.moment_of(raw, name) if raw else 0


def _filter(call: Call) -> activity.Filter:
    args = call.request.args
    limit = args.get("limit", "1000")
    if not limit.isdigit():
        raise InvalidInput("limit is a number between 1 and 10000")
    return activity.Filter(
        action=args.get("action", ""),
        actor=args.get("actor", ""),
        collection=args.get("collection", ""),
        since=_moment(call, "since"),
        until=_moment(call, "until"),
        limit=int(limit),
    ).check()


def _member_sees(conn: Connection, group_id: int, login: str) -> ColumnElement[bool]:
    """What a plain member reads of the log: entries on items, through their views."""
    ids = conn.scalars(select(collections.c.id).where(collections.c.group_id == group_id))
    viewed = {}
    for collection_id in ids:
        view = views.view_for(conn, collection_id, login)
        if view is not None:
            viewed[collection_id] = view.filter
    return activity.readable_by_member(viewed)


def _entry(row: Any, masked: bool) -> dict[str, Any]:
    return {
        "at": when(row.at),
        "action": row.action,
        "actor": row.actor,
        "client": row.client,
        "collection": row.collection,
        "href": row.href,
        "subject": PRIVATE if masked and row.private else row.subject,
    }


def group_activity(call: Call, name: str) -> Response:
    """Who added, modified, deleted or restored what, who joined, left, was granted or
    revoked what; newest first."""
    wanted = _filter(call)
    with read_transaction(call.engine) as conn:
        group_id, role, _ = groups.member_context(conn, name, call.login)
        everything = trash_rules.sees_all_activity(role)
        readable = true() if everything else _member_sees(conn, group_id, call.login)
        rows = activity.entries(conn, group_id, wanted, readable)
    entries = [_entry(row, masked=not everything and row.actor != call.login) for row in rows]
    if call.request.args.get("format") == "csv":
        response = Response(activity.as_csv(entries), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-activity.csv"'
        return response
    return json_response({"entries": entries})


ROUTES: list[tuple[str, str, Handler]] = [("GET", "/groups/<name>/activity", group_activity)]
