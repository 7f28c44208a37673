"""The trash and undo of a collection (issue 20): what was deleted, by whom, when, from
which client; putting one item back, or undoing a whole burst of changes in one step;
deleted collections. Who may: ``trash_rules.can_restore``, ``can_undo_burst``,
``can_restore_collection``; what one sees: through one's view, as the items (SPEC Q2).
"""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.item_rights import readable_collection
from davshare.api.responses import json_response
from davshare.core import policy, trash_rules
from davshare.facts import access
from davshare.model import activity, bursts, groups, history, trash
from davshare.model.db import read_transaction
from davshare.model.errors import NotAllowed, NotFound
from davshare.storage import restores
from davshare.storage.collection import Collection

_NOUNS = {"VADDRESSBOOK": "contacts"}


def when(at: int) -> str:
    """A stored moment (seconds since the epoch) as the API shows it: ISO 8601, UTC."""
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def number(value: str, what: str) -> int:
    """A path's number, or 404 naming what was not found."""
    if not value.isdigit():
        raise NotFound(f"no {what} {value!r}")
    return int(value)


def _facts(call: Call, collection: Collection) -> tuple[policy.Requester, policy.CollectionFacts]:
    return (
        access.requester(call.engine, call.login),
        access.collection_facts(call.engine, call.login, collection),
    )


def _deleted(call: Call, collection: Collection, row: Any) -> dict[str, Any]:
    text, _ = collection.shown(row.text, row.component)
    who, facts = _facts(call, collection)
    return {
        "id": row.id,
        "href": row.href,
        "uid": row.uid,
        "name": activity.subject_of(text),
        "component": row.component,
        "deleted_by": row.replaced_by,
        "deleted_at": when(row.replaced_at),
        "client": row.client,
        "burst": row.burst_id,
        "may_restore": trash_rules.can_restore(who, facts, row.replaced_by),
    }


def list_trash(call: Call, name: str) -> Response:
    """The items deleted from a collection and still in its trash, the latest first."""
    collection = readable_collection(call, name)
    with read_transaction(call.engine) as conn:
        rows = trash.deleted_in(conn, collection.id, restores.visible_versions(collection))
    return json_response({"items": [_deleted(call, collection, row) for row in rows]})


def restore_item(call: Call, name: str, version: str) -> Response:
    """Put a deleted item back at its href with its UID (a new etag): every client's next
    sync brings it as a new item."""
    collection = readable_collection(call, name)
    version_id = number(version, "deleted item")
    with read_transaction(call.engine) as conn:
        row = history.version(
            conn, collection.id, version_id, restores.visible_versions(collection)
        )
    if row is None or row.state != "deleted":
        raise NotFound(f"no deleted item {version_id} in {name}")
    who, facts = _facts(call, collection)
    if not trash_rules.can_restore(who, facts, row.replaced_by):
        raise NotAllowed(
            f"you may not add to {name}: ask who may add there (or who deleted it) to restore it"
        )
    restores.restore_deleted(call.engine, collection, [version_id])
    url = f"{call.base_url()}/{collection.path}/{row.href}"
    return json_response({"href": row.href, "uid": row.uid, "url": url}, HTTPStatus.CREATED)


def burst_message(row: Any, tag: str) -> str:
    """ "412 contacts deleted by alexandre@… from DAVx5 at 10:42 (UTC, 2026-12-03)"."""
    noun = _NOUNS.get(tag, "items")
    parts = []
    if row.deleted:
        parts.append(f"{row.deleted} {noun} deleted")
    if row.overwritten:
        parts.append(f"{row.overwritten} {noun if not parts else ''} modified".replace("  ", " "))
    client = (row.client.split(" ", 1)[0].split("/", 1)[0]) or "an unknown client"
    moment = datetime.fromtimestamp(row.started_at, UTC)
    return (
        f"{' and '.join(parts)} by {row.login} from {client} "
        f"at {moment:%H:%M} (UTC, {moment:%Y-%m-%d})"
    )


def _undoable(call: Call, name: str) -> Collection:
    collection = readable_collection(call, name)
    who, facts = _facts(call, collection)
    if not trash_rules.can_undo_burst(who, facts):
        raise NotAllowed("only the owner, or a group's admins and co-admins, undo others' changes")
    return collection


def list_bursts(call: Call, name: str) -> Response:
    """The bursts of deletions and overwrites in a collection, the latest first."""
    collection = _undoable(call, name)
    with read_transaction(call.engine) as conn:
        rows = bursts.of_collection(conn, collection.id)
    found = [
        {
            "id": row.id,
            "login": row.login,
            "client": row.client,
            "started_at": when(row.started_at),
            "last_at": when(row.last_at),
            "deleted": row.deleted,
            "overwritten": row.overwritten,
            "message": burst_message(row, collection.tag),
        }
        for row in rows
    ]
    return json_response({"bursts": found})


def undo_burst(call: Call, name: str, burst: str) -> Response:
    """Undo a burst in one step: its deleted items back, its overwrites reverted."""
    collection = _undoable(call, name)
    burst_id = number(burst, "burst")
    with read_transaction(call.engine) as conn:
        row = bursts.get(conn, burst_id)
    if row is None or row.collection_id != collection.id:
        raise NotFound(f"no burst {burst_id} in {name}")
    done = restores.undo_burst(call.engine, collection, burst_id, call.storage.kept)
    return json_response(
        {"restored": len(done.hrefs), "hrefs": done.hrefs, "skipped": done.skipped}
    )


def _collection_owners(call: Call) -> dict[str, policy.Role | None]:
    """Owners of the deleted collections the caller may restore: them, their groups."""
    owners: dict[str, policy.Role | None] = {call.login: None}
    with read_transaction(call.engine) as conn:
        for group, role in groups.roles_of(conn, call.login):
            owners[groups.group_owner(group)] = role
    return owners


def list_deleted_collections(call: Call) -> Response:
    """The deleted collections the caller may restore (their own, their groups')."""
    who, owners = access.requester(call.engine, call.login), _collection_owners(call)
    wanted = [o for o, role in owners.items() if trash_rules.can_restore_collection(who, o, role)]
    with read_transaction(call.engine) as conn:
        rows = trash.trashed_of(conn, wanted)
    found = [
        {
            "id": row.id,
            "path": row.path,
            "kind": row.tag,
            "display_name": trash.props_of(row).get("D:displayname", ""),
            "deleted_by": row.deleted_by,
            "deleted_at": when(row.deleted_at),
        }
        for row in rows
    ]
    return json_response({"collections": found})


def restore_collection(call: Call, trashed: str) -> Response:
    """Put a deleted collection back with its items."""
    trashed_id = number(trashed, "deleted collection")
    with read_transaction(call.engine) as conn:
        row = trash.trashed(conn, trashed_id)
    owners = _collection_owners(call)
    if row is None or row.owner not in owners:
        raise NotFound(f"no deleted collection {trashed_id} of yours")
    who = access.requester(call.engine, call.login)
    if not trash_rules.can_restore_collection(who, row.owner, owners[row.owner]):
        raise NotAllowed("only the group's admin and co-admins restore its collections")
    path = restores.restore_collection(call.engine, trashed_id)
    return json_response({"path": path}, HTTPStatus.CREATED)


COLLECTION = "/collections/<name>"
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", COLLECTION + "/trash", list_trash),
    ("POST", COLLECTION + "/trash/<version>/restore", restore_item),
    ("GET", COLLECTION + "/bursts", list_bursts),
    ("POST", COLLECTION + "/bursts/<burst>/undo", undo_burst),
    ("GET", "/trash/collections", list_deleted_collections),
    ("POST", "/trash/collections/<trashed>/restore", restore_collection),
]
