"""API handlers for the caller's collections and sharing them (SPEC S1-S3, A1)."""

import re
from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response

from davshare.api import messages
from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.core import policy
from davshare.facts import access
from davshare.model import confidential, scheduling, sharing
from davshare.model.errors import InvalidInput, NotAllowed, NotFound
from davshare.storage.collection import Collection


def _kind(collection: Collection) -> str:
    if collection.tag == "VADDRESSBOOK":
        return "addressbook"
    components = collection.get_meta("C:supported-calendar-component-set") or "VEVENT"
    return "tasks" if components == "VTODO" else "calendar"


def _source(collection: Collection) -> str:
    if not collection.is_mount:
        return "own"
    return "group" if collection.group_id is not None else "shared"


_COLOR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")
MAX_NAME = 255
MAX_DESCRIPTION = 2000


def _description_prop(collection: Collection) -> str:
    return (
        "CR:addressbook-description"
        if collection.tag == "VADDRESSBOOK"
        else ("C:calendar-description")
    )


def _collection_json(
    call: Call, collection: Collection, shared_with: list[str] | None = None
) -> dict[str, Any]:
    privileges = policy.reported(
        access.privileges(call.engine, call.login, collection), collection.tag == "VCALENDAR"
    )
    return {
        "name": collection.path.split("/", 1)[1],
        "kind": _kind(collection),
        "display_name": messages.collection_name(
            collection.get_meta("D:displayname") or "", messages.language(call.request)
        ),
        "color": collection.get_meta("ICAL:calendar-color") or "",
        "description": collection.get_meta(_description_prop(collection)) or "",
        "source": _source(collection),
        # Whom one's own collection is shared with (people, and groups as "@name").
        "shared_with": shared_with or [],
        "owner": collection.group_name or collection.stored_owner,
        # The subscription URL: works in clients that add one collection by URL (S3).
        "url": f"{call.base_url()}/{collection.path}/",
        "privileges": sorted(p.value for p in privileges),
    }


def _mine(call: Call) -> list[Collection]:
    home = call.storage.discover(f"/{call.login}/", depth="1")
    return [
        c for c in home if isinstance(c, Collection) and c.tag and not scheduling.is_inbox(c.path)
    ]


def list_collections(call: Call) -> Response:
    """The caller's collections: their own (with whom each is shared), their groups', and
    those shared with them."""
    reach: dict[str, list[str]] = {}
    for found in sharing.list_shares(call.engine, call.login):
        reach.setdefault(found.collection, []).append(
            f"@{found.group}" if found.group else str(found.sharee)
        )
    listed = [
        _collection_json(call, c, reach.get(c.path.split("/", 1)[1]) if not c.is_mount else None)
        for c in _mine(call)
    ]
    return json_response({"collections": listed})


def _collection(call: Call, name: str) -> Collection:
    found = call.storage.collection(f"{call.login}/{name}")
    if found is None or not found.tag:
        raise NotFound(f"you have no collection {name!r}")
    return found


def update_collection(call: Call, name: str) -> Response:
    """Rename, recolour or hide a collection (a group's or a shared one: for oneself only)."""
    collection = _collection(call, name)
    body = call.body()
    props = dict(collection.get_meta())
    if "display_name" in body:
        title = call.field("display_name").strip()
        if not title or len(title) > MAX_NAME:
            raise InvalidInput(f"display_name: give a name of 1 to {MAX_NAME} characters")
        props["D:displayname"] = title
    if "color" in body:
        color = call.field("color").strip()
        if color and not _COLOR.match(color):
            raise InvalidInput("color: give a colour like #1d4ed8 (or nothing)")
        props["ICAL:calendar-color"] = color
    if "description" in body:
        if collection.is_mount:
            raise NotAllowed("description: only its owner describes a collection")
        text = call.field("description").strip()
        if len(text) > MAX_DESCRIPTION:
            raise InvalidInput(f"description: {MAX_DESCRIPTION} characters at most")
        props[_description_prop(collection)] = text
    if "hidden" in body:
        if not collection.is_mount:
            raise InvalidInput(
                "only a group's or someone else's collection can be hidden; delete your own instead"
            )
        call.storage.set_hidden(collection, call.login, bool(body["hidden"]))
    if not collection.is_mount and policy.Privilege.WRITE_PROPERTIES not in access.privileges(
        call.engine, call.login, collection
    ):
        raise NotAllowed("you may not change this collection")
    collection.set_meta(props)
    refreshed = _collection(call, name)
    return json_response(_collection_json(call, refreshed))


def share_json(share: sharing.Share) -> dict[str, Any]:
    """A share as the API shows it (its collection, to whom, with what rights)."""
    return {
        "collection": share.collection,
        "sharee": share.sharee,
        "group": share.group,
        "rights": share.rights,
        "confidential": list(share.confidential),
    }


def list_shares(call: Call, name: str) -> Response:
    """With whom a collection of the caller's is shared, and how."""
    return json_response(
        {"shares": [share_json(s) for s in sharing.list_shares(call.engine, call.login, name)]}
    )


def share(call: Call, name: str, sharee: str) -> Response:
    """Share with an account of any domain, with rights: freebusy, read, read_write(_delete);
    "confidential": contact properties the sharee does not receive ("BDAY", "ADR;TYPE=HOME")."""
    hidden = confidential.parse_specs(call.body().get("confidential"))
    sharing.share_with(call.engine, call.login, name, sharee, call.field("rights"), hidden)
    return list_shares(call, name)


def unshare(call: Call, name: str, sharee: str) -> Response:
    """Withdraw a share at once."""
    sharing.unshare(call.engine, call.login, name, sharee=sharee)
    return Response(status=HTTPStatus.NO_CONTENT)


def share_group(call: Call, name: str, group: str) -> Response:
    """Share with every member of one of the caller's groups, present and future
    (with "confidential" properties as for a share with one person)."""
    hidden = confidential.parse_specs(call.body().get("confidential"))
    sharing.share_with_group(call.engine, call.login, name, group, call.field("rights"), hidden)
    return list_shares(call, name)


def unshare_group(call: Call, name: str, group: str) -> Response:
    """Withdraw a share to a group."""
    sharing.unshare(call.engine, call.login, name, group=group)
    return Response(status=HTTPStatus.NO_CONTENT)


def domain_rules(call: Call) -> Response:
    """Which domains may share with which (every domain, unless listed here)."""
    return json_response({"rules": sharing.domain_rules(call.engine)})


def set_domain_rule(call: Call, domain: str) -> Response:
    """Server admin: let ``domain`` share only with the listed domains (empty list: with all)."""
    call.require_server_admin("sets which domains may share with which")
    allowed = call.body().get("share_with")
    if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
        raise InvalidInput("'share_with' must be a list of domain names (empty: every domain)")
    sharing.set_domain_rule(call.engine, domain, allowed)
    return domain_rules(call)


COLLECTION = "/collections/<name>"

ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/collections", list_collections),
    ("PATCH", COLLECTION, update_collection),
    ("GET", COLLECTION + "/shares", list_shares),
    ("PUT", COLLECTION + "/shares/<sharee>", share),
    ("DELETE", COLLECTION + "/shares/<sharee>", unshare),
    ("PUT", COLLECTION + "/group-shares/<group>", share_group),
    ("DELETE", COLLECTION + "/group-shares/<group>", unshare_group),
    ("GET", "/domains/rules", domain_rules),
    ("PUT", "/domains/<domain>/rules", set_domain_rule),
]
