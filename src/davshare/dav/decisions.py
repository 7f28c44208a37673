"""Who may PUT, DELETE and MOVE an href: the per-item decisions of the DAV application.

Radicale asks its rights plugin per collection only; creator-owned items need a
decision per item, taken here before Radicale's own handler runs: a refusal is 403
``DAV:need-privileges`` naming the missing privilege (``bind`` to add,
``write-content`` to modify, ``unbind`` to delete); an allowed write is pinned to
what the decision rested on, so the storage repeats the check under its lock.
"""

import posixpath
from urllib.parse import unquote, urlparse

from radicale import item as radicale_item
from radicale import pathutils, types

from davshare.core import context, policy
from davshare.dav import errors
from davshare.facts import access
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection


def href_of(base_prefix: str, sane_path: str) -> str:
    """The href clients see for a sanitized path."""
    return base_prefix + "/" + sane_path


def _facts(
    storage: Storage, user: str, collection: Collection
) -> tuple[policy.Requester, policy.CollectionFacts]:
    engine = storage.engine
    return access.requester(engine, user), access.collection_facts(engine, user, collection)


def item_at(collection: Collection, sane_path: str) -> radicale_item.Item | None:
    """The item at ``sane_path`` of ``collection``, or None."""
    return next(iter(collection.get_multi([posixpath.basename(sane_path)])))[1]


def pin(
    storage: Storage,
    environ: types.WSGIEnviron,
    collection: Collection,
    sane_path: str,
    existing: radicale_item.Item | None,
) -> None:
    """Record what the decision rested on, for the storage to check under its lock.

    With If-Match or If-None-Match, the etag the client named; without, only
    whether the item exists and who created it, so concurrent writers without
    preconditions do not get 412 for a mere content change.
    """
    ctx = context.current()
    if environ.get("HTTP_IF_MATCH") or environ.get("HTTP_IF_NONE_MATCH"):
        ctx.expected_etags[sane_path] = existing.etag if existing else context.ABSENT
    elif existing is None or existing.href is None:
        ctx.expected_creators[sane_path] = context.ABSENT
    else:
        creator = access.item_facts(storage.engine, collection, existing.href).creator
        ctx.expected_creators[sane_path] = creator


def refuse_write(
    storage: Storage,
    user: str,
    collection: Collection,
    existing: radicale_item.Item | None,
    href: str,
) -> types.WSGIResponse | None:
    """403 unless ``user`` may add ``href`` (``existing`` None) or modify ``existing``."""
    requester, facts = _facts(storage, user, collection)
    if existing is None:
        if policy.can_add(requester, facts):
            return None
        return errors.need_privileges(
            "bind",
            href,
            f"You may not add to {_name(collection)}: ask its owner or group admin.",
        )
    assert existing.href is not None
    item = access.item_facts(storage.engine, collection, existing.href)
    if policy.can_edit(requester, facts, item):
        return None
    who = f" ({item.creator})" if item.creator and facts.group else ""
    message = f"You may not modify this item: ask its creator{who} to let you."
    if item.linked:
        message = (
            f"This contact is shared from the address book of {item.creator}: it follows "
            "their copy, so ask them to change it there."
        )
    return errors.need_privileges("write-content", href, message)


def refuse_delete(
    storage: Storage, environ: types.WSGIEnviron, user: str, sane_path: str, href: str
) -> types.WSGIResponse | None:
    """403 unless ``user`` may delete what is at ``sane_path`` (a collection or an item)."""
    if sane_path and "/" not in sane_path:
        return errors.need_privileges(
            "unbind",
            href,
            "An account's home cannot be deleted over DAV: ask the server admin.",
        )
    target = storage.collection(sane_path)
    if target is not None:
        if target.is_mount:
            return errors.need_privileges(
                "unbind",
                href,
                "A group's collection cannot be deleted from a member's home: "
                "leave the group to stop seeing it.",
            )
        if target.stored_owner != user:
            return errors.need_privileges(
                "unbind", href, "Only its owner may delete this collection."
            )
        return None
    collection = storage.collection(posixpath.dirname(sane_path))
    if collection is None or not collection.tag:
        return None
    existing = item_at(collection, sane_path)
    if existing is None:
        return None
    assert existing.href is not None
    requester, facts = _facts(storage, user, collection)
    if not policy.can_delete(
        requester, facts, access.item_facts(storage.engine, collection, existing.href)
    ):
        return errors.need_privileges(
            "unbind",
            href,
            f"You may not delete items of {_name(collection)}: ask for the delete right.",
        )
    if environ.get("HTTP_IF_MATCH"):
        context.current().expected_etags[sane_path] = existing.etag
    return None


def refuse_move(
    storage: Storage, environ: types.WSGIEnviron, base_prefix: str, sane_path: str, user: str
) -> types.WSGIResponse | None:
    """A MOVE of an item is a delete from its collection and an add (or edit) in the target."""
    refusal = refuse_delete(storage, environ, user, sane_path, href_of(base_prefix, sane_path))
    if refusal is not None:
        return refusal
    destination = unquote(urlparse(environ.get("HTTP_DESTINATION", "")).path)
    to_path = pathutils.strip_path(pathutils.sanitize_path(destination)[len(base_prefix) :])
    target = storage.collection(posixpath.dirname(to_path))
    if target is None or not target.tag:
        return None
    return refuse_write(
        storage, user, target, item_at(target, to_path), href_of(base_prefix, to_path)
    )


def _name(collection: Collection) -> str:
    return str(collection.get_meta("D:displayname") or collection.path)
