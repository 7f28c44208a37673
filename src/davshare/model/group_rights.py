"""Rights in a group (SPEC R3, R4): grants on its collections, editors of its items.

Every operation takes the requester and checks the rule in ``core.policy`` inside the
transaction that changes the data.
"""

from collections.abc import Callable

from sqlalchemy import Connection, Engine, delete, insert, select

from davshare.core import policy
from davshare.model import activity, groups
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import InvalidInput, NotFound
from davshare.model.tables import (
    ALL_MEMBERS,
    COLLECTION_RIGHTS,
    collection_grants,
    collections,
    item_editors,
    items,
)


def _collection_id(conn: Connection, group_id: int, name: str, collection: str) -> int:
    collection_id = conn.scalar(
        select(collections.c.id).where(
            collections.c.group_id == group_id,
            collections.c.path == f"{groups.group_owner(name)}/{collection}",
        )
    )
    if collection_id is None:
        raise NotFound(f"the group {name} has no collection {collection!r}")
    return int(collection_id)


def managed_collection(
    conn: Connection,
    name: str,
    login: str,
    collection: str,
    allowed: Callable[[policy.Role | None, policy.Requester], bool],
    refusal: str,
) -> tuple[int, int]:
    """(group id, collection id) of a group collection ``login`` may manage as ``allowed``
    says; 404 to non-members, 403 with ``refusal`` to members who may not."""
    name = name.strip().lower()
    group_id, role, who = groups.member_context(conn, name, login)
    if not allowed(role, who):
        raise groups.refuse(refusal)
    return group_id, _collection_id(conn, group_id, name, collection)


def _grantee(conn: Connection, group_id: int, grantee: str) -> str:
    grantee = grantee.strip().lower()
    if grantee in (ALL_MEMBERS, "all", "all-members"):
        return ALL_MEMBERS
    if groups.role_of(conn, group_id, grantee) is None:
        raise NotFound(f"{grantee} is not a member of the group")
    return grantee


def grant_collection(
    engine: Engine, login: str, name: str, collection: str, grantee: str, rights: str
) -> None:
    """Give a member, or all members (present and future), "add" or "add and delete" (R3)."""
    if rights not in COLLECTION_RIGHTS:
        raise InvalidInput(f"unknown right {rights!r}: use 'add' or 'add_delete'")
    name = name.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, who = groups.member_context(conn, name, login)
        if not policy.can_change_rights(role, who):
            raise groups.refuse("only the group's admin and co-admins change access rights")
        collection_id = _collection_id(conn, group_id, name, collection)
        grantee = _grantee(conn, group_id, grantee)
        where = (collection_grants.c.collection_id == collection_id) & (
            collection_grants.c.grantee == grantee
        )
        conn.execute(delete(collection_grants).where(where))
        conn.execute(
            insert(collection_grants).values(
                collection_id=collection_id, grantee=grantee, rights=rights, granted_by=login
            )
        )
        subject = f"{grantee}: {rights} on {collection}"
        activity.on_member(conn, group_id, subject, "granted", login)


def revoke_collection(engine: Engine, login: str, name: str, collection: str, grantee: str) -> None:
    """Take back a grant on a group collection (R3)."""
    name = name.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, who = groups.member_context(conn, name, login)
        if not policy.can_change_rights(role, who):
            raise groups.refuse("only the group's admin and co-admins change access rights")
        collection_id = _collection_id(conn, group_id, name, collection)
        grantee = (
            ALL_MEMBERS
            if grantee.strip().lower() in (ALL_MEMBERS, "all", "all-members")
            else grantee.strip().lower()
        )
        result = conn.execute(
            delete(collection_grants).where(
                collection_grants.c.collection_id == collection_id,
                collection_grants.c.grantee == grantee,
            )
        )
        if result.rowcount == 0:
            raise NotFound(f"{grantee} has no grant on {collection}")
        activity.on_member(conn, group_id, f"{grantee}: {collection}", "revoked", login)


def list_grants(engine: Engine, login: str, name: str, collection: str) -> dict[str, str]:
    """The grants on one group collection: grantee ("*" for all members) -> right."""
    name = name.strip().lower()
    with read_transaction(engine) as conn:
        group_id, _, _ = groups.member_context(conn, name, login)
        return grants_of(conn, _collection_id(conn, group_id, name, collection))


def grants_of(conn: Connection, collection_id: int) -> dict[str, str]:
    """grantee -> right for one collection."""
    query = select(collection_grants.c.grantee, collection_grants.c.rights).where(
        collection_grants.c.collection_id == collection_id
    )
    return {grantee: rights for grantee, rights in conn.execute(query)}


def _item(
    conn: Connection, group_id: int, name: str, collection: str, href: str
) -> tuple[int, str]:
    row = conn.execute(
        select(items.c.id, items.c.creator).where(
            items.c.collection_id == _collection_id(conn, group_id, name, collection),
            items.c.href == href,
        )
    ).first()
    if row is None:
        raise NotFound(f"no item {href!r} in {collection}")
    return int(row.id), str(row.creator)


def set_item_editor(
    engine: Engine, login: str, name: str, collection: str, href: str, grantee: str, allowed: bool
) -> None:
    """The creator lets a member, or all members, modify their item, or takes it back (R4)."""
    name = name.strip().lower()
    with write_transaction(engine) as conn:
        group_id, _, who = groups.member_context(conn, name, login)
        item_id, creator = _item(conn, group_id, name, collection, href)
        if not policy.can_grant_editors(who, policy.ItemFacts(creator=creator)):
            raise groups.refuse(
                f"only the creator of this item ({creator}) decides who may modify it"
            )
        grantee = _grantee(conn, group_id, grantee)
        conn.execute(
            delete(item_editors).where(
                item_editors.c.item_id == item_id, item_editors.c.grantee == grantee
            )
        )
        if allowed:
            conn.execute(insert(item_editors).values(item_id=item_id, grantee=grantee))


def item_editors_of(
    engine: Engine, login: str, name: str, collection: str, href: str
) -> tuple[str, list[str]]:
    """(creator, who else may modify) for one item of a group collection."""
    name = name.strip().lower()
    with read_transaction(engine) as conn:
        group_id, _, _ = groups.member_context(conn, name, login)
        item_id, creator = _item(conn, group_id, name, collection, href)
        query = (
            select(item_editors.c.grantee)
            .where(item_editors.c.item_id == item_id)
            .order_by(item_editors.c.grantee)
        )
        return creator, [g for (g,) in conn.execute(query)]
