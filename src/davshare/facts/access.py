"""The facts the rules need, read once per request: who asks, their role, grants, creators.

The bridge between the data (``model``, ``storage``) and the rules
(``policy``): the rights plugin, the application and the API all ask here, so
each rule is decided in one place.
"""

import re
from collections.abc import Iterable

from sqlalchemy import Engine, select

from davshare.core import context, policy
from davshare.model import group_rights, groups, members_book, sharing
from davshare.model.db import read_transaction
from davshare.model.tables import item_editors, items, linked_items
from davshare.storage.collection import Collection

_CONTACT_GROUP = re.compile(r"^(X-ADDRESSBOOKSERVER-)?KIND:group\r?$", re.IGNORECASE | re.MULTILINE)


def _cached(key: tuple[object, ...]) -> object:
    return context.current().cache.get(key)


def _remember(key: tuple[object, ...], value: object) -> None:
    context.current().cache[key] = value


def remember_requester(found: policy.Requester) -> None:
    """Keep what the login check read of the account for the rest of the request."""
    _remember(("requester", found.login), found)


def requester(engine: Engine, login: str) -> policy.Requester:
    """Who asks: their login, profile and whether they administer the server."""
    key = ("requester", login)
    found = _cached(key)
    if found is None:
        with read_transaction(engine) as conn:
            found = groups.requester(conn, login)
        _remember(key, found)
    assert isinstance(found, policy.Requester)
    return found


def collection_facts(engine: Engine, login: str, collection: Collection) -> policy.CollectionFacts:
    """What the rules need of ``collection`` when ``login`` asks."""
    owner = collection.stored_owner
    if collection.group_id is None and owner == login:
        return policy.CollectionFacts(path=collection.path, owner=owner)
    key = ("collection", login, collection.id)
    found = _cached(key)
    # A mount was read with its viewer's role or share (storage/backend.py).
    known = collection.is_mount and collection.owner == login
    if found is None and known and collection.group_id is None:
        found = policy.CollectionFacts(
            path=collection.path, owner=owner, share=collection.viewer_access
        )
    if found is None:
        with read_transaction(engine) as conn:
            if collection.group_id is None:
                share = sharing.share_rights_for(conn, collection.id, owner, login)
                found = policy.CollectionFacts(path=collection.path, owner=owner, share=share)
            else:
                role = (
                    policy.Role(collection.viewer_access)
                    if known and collection.viewer_access
                    else groups.role_of(conn, collection.group_id, login)
                )
                found = policy.CollectionFacts(
                    path=collection.path,
                    owner=owner,
                    group=collection.group_name,
                    role=role,
                    grants=group_rights.grants_of(conn, collection.id),
                    read_only=collection.stored_path.endswith("/" + members_book.NAME),
                )
        _remember(key, found)
    assert isinstance(found, policy.CollectionFacts)
    return found


def privileges(engine: Engine, login: str, collection: Collection) -> frozenset[policy.Privilege]:
    """What ``login`` may do in ``collection``."""
    facts = collection_facts(engine, login, collection)
    # The rules need nothing but the login for one's own collections: spare the lookup.
    own = collection.group_id is None and collection.stored_owner == login
    who = policy.Requester(login=login) if own else requester(engine, login)
    return policy.collection_privileges(who, facts)


def items_facts(
    engine: Engine, collection: Collection, hrefs: Iterable[str]
) -> dict[str, policy.ItemFacts]:
    """Creator, editors and kind of the items at ``hrefs`` (one query for all of them)."""
    wanted = list(hrefs)
    if not wanted:
        return {}
    query = (
        select(
            items.c.href,
            items.c.creator,
            items.c.text,
            item_editors.c.grantee,
            linked_items.c.id.label("link"),
        )
        .outerjoin(item_editors, item_editors.c.item_id == items.c.id)
        .outerjoin(linked_items, linked_items.c.target_item_id == items.c.id)
        .where(items.c.collection_id == collection.id, items.c.href.in_(wanted))
    )
    creators: dict[str, tuple[str, bool, bool]] = {}
    editors: dict[str, set[str]] = {}
    with read_transaction(engine) as conn:
        for row in conn.execute(query):
            kind = bool(_CONTACT_GROUP.search(row.text))
            creators[row.href] = (row.creator, kind, row.link is not None)
            if row.grantee:
                editors.setdefault(row.href, set()).add(row.grantee)
    return {
        href: policy.ItemFacts(
            creator=creator,
            editors=frozenset(editors.get(href, ())),
            contact_group=kind,
            linked=linked,
        )
        for href, (creator, kind, linked) in creators.items()
    }


def item_facts(engine: Engine, collection: Collection, href: str) -> policy.ItemFacts:
    """Creator, editors and kind of one item, read once per request (a PUT asks twice:
    to decide, then to pin what it decided on)."""
    key = ("item", collection.id, href)
    found = _cached(key)
    if found is None:
        found = items_facts(engine, collection, [href]).get(href, policy.ItemFacts(creator=""))
        _remember(key, found)
    assert isinstance(found, policy.ItemFacts)
    return found
