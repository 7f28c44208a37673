"""API handlers for views over a group's address book (SPEC Q1-Q3).

The group's admin and co-admins (and the server admin) define views and
give each member at most one; the DAV side applies them (storage/collection.py).
"""

from http import HTTPStatus
from typing import Any

from sqlalchemy import Connection, select
from werkzeug.wrappers import Response

from davshare import policy
from davshare.api.base import Call, Handler, json_response
from davshare.model import groups, views
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import InvalidInput, NotFound
from davshare.model.tables import collections

_REFUSAL = "only the group's admin and co-admins define views and give them to members"


def _address_book(conn: Connection, call: Call, name: str, collection: str) -> tuple[int, int]:
    group_id, collection_id = groups.managed_collection(
        conn, name, call.login, collection, policy.can_define_views, _REFUSAL
    )
    tag = conn.scalar(select(collections.c.tag).where(collections.c.id == collection_id))
    if tag != "VADDRESSBOOK":
        raise InvalidInput(f"{collection} is not an address book: views filter contacts")
    return group_id, collection_id


def _views_json(conn: Connection, collection_id: int) -> dict[str, Any]:
    given = views.assignments(conn, collection_id)
    return {
        "views": [
            {
                "name": v.name,
                "filter": v.filter,
                "version": v.version,
                "members": sorted(login for login, name in given.items() if name == v.name),
            }
            for v in views.views_of(conn, collection_id)
        ],
        "assignments": given,
    }


def list_views(call: Call, name: str, collection: str) -> Response:
    """The views of a group address book and who is given which."""
    with read_transaction(call.engine) as conn:
        _, collection_id = _address_book(conn, call, name, collection)
        return json_response(_views_json(conn, collection_id))


def put_view(call: Call, name: str, collection: str, view: str) -> Response:
    """Create or replace a view; members given it resync when its filter changes (Q3)."""
    with write_transaction(call.engine) as conn:
        _, collection_id = _address_book(conn, call, name, collection)
        if "filter" not in call.body():
            raise InvalidInput('send {"filter": ...}: the contacts the view shows')
        found, created = views.put_view(
            conn, collection_id, view, call.body()["filter"], call.login
        )
        status = HTTPStatus.CREATED if created else HTTPStatus.OK
        return json_response({"name": found.name, "filter": found.filter}, status)


def delete_view(call: Call, name: str, collection: str, view: str) -> Response:
    """Delete a view: the members given it see the whole address book again."""
    with write_transaction(call.engine) as conn:
        _, collection_id = _address_book(conn, call, name, collection)
        views.delete_view(conn, collection_id, view)
    return Response(status=HTTPStatus.NO_CONTENT)


def preview_view(call: Call, name: str, collection: str) -> Response:
    """How many contacts a filter matches now (the view builder's live count)."""
    with read_transaction(call.engine) as conn:
        _, collection_id = _address_book(conn, call, name, collection)
        return json_response({"count": views.count(conn, collection_id, call.body().get("filter"))})


def assign_view(call: Call, name: str, collection: str, login: str) -> Response:
    """Give a member exactly one view of the address book (Q2)."""
    login = login.strip().lower()
    with write_transaction(call.engine) as conn:
        group_id, collection_id = _address_book(conn, call, name, collection)
        if groups.role_of(conn, group_id, login) is None:
            raise NotFound(f"{login} is not a member of the group")
        views.assign(conn, collection_id, login, call.field("view"))
        return json_response(_views_json(conn, collection_id))


def unassign_view(call: Call, name: str, collection: str, login: str) -> Response:
    """Give a member the whole address book again."""
    with write_transaction(call.engine) as conn:
        _, collection_id = _address_book(conn, call, name, collection)
        views.assign(conn, collection_id, login.strip().lower(), None)
    return Response(status=HTTPStatus.NO_CONTENT)


COLLECTION = "/groups/<name>/collections/<collection>"
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", COLLECTION + "/views", list_views),
    ("PUT", COLLECTION + "/views/<view>", put_view),
    ("DELETE", COLLECTION + "/views/<view>", delete_view),
    ("POST", COLLECTION + "/views-preview", preview_view),
    ("PUT", COLLECTION + "/view-assignments/<login>", assign_view),
    ("DELETE", COLLECTION + "/view-assignments/<login>", unassign_view),
]
