"""API handlers for sharing one private contact into a group's address book (SPEC R6)."""

from http import HTTPStatus

from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.core import policy
from davshare.facts import access
from davshare.model import confidential, linked
from davshare.model.db import write_transaction
from davshare.model.errors import InvalidInput, NotAllowed, NotFound
from davshare.storage.collection import Collection
from davshare.storage.mounts import MOUNT_SEPARATOR


def _group_book(call: Call, name: str, collection: str) -> Collection:
    found = call.storage.collection(f"{call.login}/{collection}{MOUNT_SEPARATOR}{name}")
    if found is None or found.tag != "VADDRESSBOOK":
        raise NotFound(f"you have no address book {collection!r} in a group {name!r}")
    return found


def link_contact(call: Call, name: str, collection: str) -> Response:
    """Put one of the caller's own contacts into the group's address book, minus the
    "confidential" properties; the group's copy follows later edits of it."""
    target = _group_book(call, name, collection)
    requester = access.requester(call.engine, call.login)
    if not policy.can_share_contact_into(
        requester, access.collection_facts(call.engine, call.login, target)
    ):
        raise NotAllowed(
            f"you may not add to the group {name}'s {collection}: "
            "ask its admin for the right to add"
        )
    source = call.storage.collection(f"{call.login}/{call.field('source_collection')}")
    if source is None or source.is_mount or source.tag != "VADDRESSBOOK":
        raise NotFound("source_collection must name one of your own address books")
    hidden = confidential.parse_specs(call.body().get("confidential"))
    href = call.field("href")
    if not href or "/" in href:
        raise InvalidInput("href is the contact's file name in your address book, e.g. 1234.vcf")
    with write_transaction(call.engine) as conn:
        made = linked.link(conn, source.id, href, target.id, call.login, hidden)
    url = f"{call.base_url()}/{target.path}/{made}"
    return json_response({"href": made, "url": url}, HTTPStatus.CREATED)


def unlink_contact(call: Call, name: str, collection: str, href: str) -> Response:
    """Take a shared contact out of the group again (its sharer, or whoever may delete)."""
    target = _group_book(call, name, collection)
    item = access.item_facts(call.engine, target, href)
    if not item.linked:
        raise NotFound(f"{href} is not a contact shared into this address book")
    facts = access.collection_facts(call.engine, call.login, target)
    if not policy.can_delete(access.requester(call.engine, call.login), facts, item):
        raise NotAllowed("only its sharer and those who may delete take it out of the group")
    call.storage.delete_item(target, href)
    return Response(status=HTTPStatus.NO_CONTENT)


COLLECTION = "/groups/<name>/collections/<collection>"
ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", COLLECTION + "/linked-contacts", link_contact),
    ("DELETE", COLLECTION + "/linked-contacts/<href>", unlink_contact),
]
