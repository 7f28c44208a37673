"""An item's history (issue 20): its earlier versions with who wrote and replaced each and
when, one version's text, a field-level comparison of two, and restoring one as a new write
(the same right as a PUT: ``policy.can_edit``). Through the caller's view and without the
confidential fields, as the item itself (SPEC Q2).
"""

from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.item_rights import readable_collection
from davshare.api.responses import json_response
from davshare.api.trash import number, when
from davshare.core import policy
from davshare.facts import access
from davshare.model import history, item_diff
from davshare.model.db import read_transaction
from davshare.model.errors import NotAllowed, NotFound
from davshare.storage import restores
from davshare.storage.collection import Collection


def _current(call: Call, name: str, href: str) -> tuple[Collection, Any]:
    """The collection and the item as the caller sees it; 404 when they cannot read it."""
    collection = readable_collection(call, name)
    item = next(iter(collection.get_multi([href])))[1]
    if item is None:
        raise NotFound(f"no item {href} in {name} (a deleted one is in its trash)")
    return collection, item


def _version(call: Call, collection: Collection, href: str, version: str) -> Any:
    version_id = number(version, "version")
    with read_transaction(call.engine) as conn:
        row = history.version(
            conn, collection.id, version_id, restores.visible_versions(collection)
        )
    if row is None or row.state != "old" or row.href != href:
        raise NotFound(f"no version {version} of {href}")
    return row


def _shown(collection: Collection, row: Any) -> str:
    return collection.shown(row.text, row.component)[0]


def list_versions(call: Call, name: str, href: str) -> Response:
    """The earlier versions of an item, the newest first, with who wrote each and when."""
    collection, item = _current(call, name, href)
    with read_transaction(call.engine) as conn:
        rows = history.versions_of(conn, collection.id, href, restores.visible_versions(collection))
    found = [
        {
            "id": row.id,
            "written_by": row.written_by,
            "written_at": when(row.written_at) if row.written_at else None,
            "replaced_by": row.replaced_by,
            "replaced_at": when(row.replaced_at),
            "client": row.client,
        }
        for row in rows
    ]
    return json_response({"href": href, "etag": item.etag, "versions": found})


def show_version(call: Call, name: str, href: str, version: str) -> Response:
    """One earlier version's text, as the caller would receive the item."""
    collection, _ = _current(call, name, href)
    row = _version(call, collection, href, version)
    return json_response({"id": row.id, "href": href, "text": _shown(collection, row)})


def compare_versions(call: Call, name: str, href: str, version: str) -> Response:
    """The fields that differ between a version and ``?to=`` (another version's id, or
    "current", the default)."""
    collection, item = _current(call, name, href)
    before = _shown(collection, _version(call, collection, href, version))
    to = call.request.args.get("to", "current")
    after = (
        item.serialize()
        if to == "current"
        else _shown(collection, _version(call, collection, href, to))
    )
    return json_response({"from": int(version), "to": to, "fields": item_diff.diff(before, after)})


def restore_version(call: Call, name: str, href: str, version: str) -> Response:
    """Write an earlier version over the item (its current one kept in its history)."""
    collection, _ = _current(call, name, href)
    row = _version(call, collection, href, version)
    facts = access.item_facts(call.engine, collection, href)
    who = access.requester(call.engine, call.login)
    if not policy.can_edit(
        who, access.collection_facts(call.engine, call.login, collection), facts
    ):
        raise NotAllowed("you may not modify this item: only its creator and whom they chose may")
    restores.restore_version(call.engine, collection, href, int(row.id), call.storage.kept)
    return json_response({"href": href, "restored": row.id}, HTTPStatus.CREATED)


ITEM = "/collections/<name>/items/<href>/history"
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", ITEM, list_versions),
    ("GET", ITEM + "/<version>", show_version),
    ("GET", ITEM + "/<version>/diff", compare_versions),
    ("POST", ITEM + "/<version>/restore", restore_version),
]
