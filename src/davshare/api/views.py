"""API handlers for views over an address book (SPEC Q1-Q3).

A group's address book: its admin and co-admins (and the server admin) define
views and give each member at most one. Someone's own address book: its owner
(and the server admin) define views and give them to the people it is shared
with. The DAV side applies them (``storage/collection.py``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from sqlalchemy import Connection, select
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.core import policy
from davshare.model import accounts, group_rights, groups, sharing, views
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import InvalidInput, NotAllowed, NotFound
from davshare.model.tables import collections

_REFUSAL = "only the group's admin and co-admins define views and give them to members"


@dataclass(frozen=True)
class _Book:
    """An address book whose views the caller manages; ``reaches``: who may be given one."""

    id: int
    reaches: Callable[[Connection, str], bool]
    nobody: str  # why someone cannot be given a view of it


def _check_address_book(conn: Connection, collection_id: int, collection: str) -> None:
    tag = conn.scalar(select(collections.c.tag).where(collections.c.id == collection_id))
    if tag != "VADDRESSBOOK":
        raise InvalidInput(f"{collection} is not an address book: views filter contacts")


def _group_book(conn: Connection, call: Call, name: str, collection: str) -> _Book:
    group_id, collection_id = group_rights.managed_collection(
        conn, name, call.login, collection, policy.can_define_views, _REFUSAL
    )
    _check_address_book(conn, collection_id, collection)
    return _Book(
        collection_id,
        lambda c, login: groups.role_of(c, group_id, login) is not None,
        "is not a member of the group",
    )


def _own_book(conn: Connection, call: Call, owner: str, collection: str) -> _Book:
    owner = accounts.normalize_login(owner)
    if not policy.can_define_own_views(groups.requester(conn, call.login), owner):
        raise NotAllowed("only the owner of an address book and the server admin define its views")
    row = conn.execute(
        select(collections.c.id).where(
            collections.c.path == f"{owner}/{collection}", collections.c.group_id.is_(None)
        )
    ).first()
    if row is None:
        raise NotFound(f"{owner} has no collection {collection!r}")
    _check_address_book(conn, row.id, collection)
    return _Book(
        row.id,
        lambda c, login: sharing.reach(c, row.id, owner, login) is not None,
        "is not someone this address book is shared with",
    )


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


# -- what both kinds of address book do, once resolved ---------------------------

_Resolve = Callable[[Connection, Call], _Book]


def _list(call: Call, resolve: _Resolve) -> Response:
    with read_transaction(call.engine) as conn:
        return json_response(_views_json(conn, resolve(conn, call).id))


def _put(call: Call, resolve: _Resolve, view: str) -> Response:
    with write_transaction(call.engine) as conn:
        book = resolve(conn, call)
        if "filter" not in call.body():
            raise InvalidInput('send {"filter": ...}: the contacts the view shows')
        found, created = views.put_view(conn, book.id, view, call.body()["filter"], call.login)
        status = HTTPStatus.CREATED if created else HTTPStatus.OK
        return json_response({"name": found.name, "filter": found.filter}, status)


def _delete(call: Call, resolve: _Resolve, view: str) -> Response:
    with write_transaction(call.engine) as conn:
        views.delete_view(conn, resolve(conn, call).id, view)
    return Response(status=HTTPStatus.NO_CONTENT)


def _preview(call: Call, resolve: _Resolve) -> Response:
    with read_transaction(call.engine) as conn:
        book = resolve(conn, call)
        return json_response({"count": views.count(conn, book.id, call.body().get("filter"))})


def _assign(call: Call, resolve: _Resolve, login: str) -> Response:
    login = login.strip().lower()
    with write_transaction(call.engine) as conn:
        book = resolve(conn, call)
        if not book.reaches(conn, login):
            raise NotFound(f"{login} {book.nobody}")
        views.assign(conn, book.id, login, call.field("view"))
        return json_response(_views_json(conn, book.id))


def _unassign(call: Call, resolve: _Resolve, login: str) -> Response:
    with write_transaction(call.engine) as conn:
        views.assign(conn, resolve(conn, call).id, login.strip().lower(), None)
    return Response(status=HTTPStatus.NO_CONTENT)


# -- a group's address book --------------------------------------------------------


def _in_group(name: str, collection: str) -> _Resolve:
    return lambda conn, call: _group_book(conn, call, name, collection)


def list_views(call: Call, name: str, collection: str) -> Response:
    """The views of a group address book and who is given which."""
    return _list(call, _in_group(name, collection))


def put_view(call: Call, name: str, collection: str, view: str) -> Response:
    """Create or replace a view; members given it resync when its filter changes (Q3)."""
    return _put(call, _in_group(name, collection), view)


def delete_view(call: Call, name: str, collection: str, view: str) -> Response:
    """Delete a view: the members given it see the whole address book again."""
    return _delete(call, _in_group(name, collection), view)


def preview_view(call: Call, name: str, collection: str) -> Response:
    """How many contacts a filter matches now (the view builder's live count)."""
    return _preview(call, _in_group(name, collection))


def assign_view(call: Call, name: str, collection: str, login: str) -> Response:
    """Give a member exactly one view of the address book (Q2)."""
    return _assign(call, _in_group(name, collection), login)


def unassign_view(call: Call, name: str, collection: str, login: str) -> Response:
    """Give a member the whole address book again."""
    return _unassign(call, _in_group(name, collection), login)


# -- someone's own address book ----------------------------------------------------


def _owned(owner: str, collection: str) -> _Resolve:
    return lambda conn, call: _own_book(conn, call, owner, collection)


def list_own_views(call: Call, owner: str, collection: str) -> Response:
    """The views of a personal address book (its owner or the server admin)."""
    return _list(call, _owned(owner, collection))


def put_own_view(call: Call, owner: str, collection: str, view: str) -> Response:
    """Create or replace a view of a personal address book."""
    return _put(call, _owned(owner, collection), view)


def delete_own_view(call: Call, owner: str, collection: str, view: str) -> Response:
    """Delete a view of a personal address book."""
    return _delete(call, _owned(owner, collection), view)


def preview_own_view(call: Call, owner: str, collection: str) -> Response:
    """How many contacts of a personal address book a filter matches now."""
    return _preview(call, _owned(owner, collection))


def assign_own_view(call: Call, owner: str, collection: str, login: str) -> Response:
    """Give someone the address book is shared with exactly one view of it."""
    return _assign(call, _owned(owner, collection), login)


def unassign_own_view(call: Call, owner: str, collection: str, login: str) -> Response:
    """Give someone the address book is shared with all of it again."""
    return _unassign(call, _owned(owner, collection), login)


GROUP_BOOK = "/groups/<name>/collections/<collection>"
OWN_BOOK = "/accounts/<owner>/collections/<collection>"
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", GROUP_BOOK + "/views", list_views),
    ("PUT", GROUP_BOOK + "/views/<view>", put_view),
    ("DELETE", GROUP_BOOK + "/views/<view>", delete_view),
    ("POST", GROUP_BOOK + "/views-preview", preview_view),
    ("PUT", GROUP_BOOK + "/view-assignments/<login>", assign_view),
    ("DELETE", GROUP_BOOK + "/view-assignments/<login>", unassign_view),
    ("GET", OWN_BOOK + "/views", list_own_views),
    ("PUT", OWN_BOOK + "/views/<view>", put_own_view),
    ("DELETE", OWN_BOOK + "/views/<view>", delete_own_view),
    ("POST", OWN_BOOK + "/views-preview", preview_own_view),
    ("PUT", OWN_BOOK + "/view-assignments/<login>", assign_own_view),
    ("DELETE", OWN_BOOK + "/view-assignments/<login>", unassign_own_view),
]
