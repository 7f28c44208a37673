"""Group workspaces (SPEC G1-G10, R3, R4): groups, members, roles, grants.

Every operation takes the requester and checks the rule in ``davshare.policy``
inside the transaction that changes the data.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from davshare.core import policy
from davshare.model import homes, members_book, quotas, sharing
from davshare.model.db import read_transaction, write_transaction
from davshare.model.defaults import PREDEFINED_COLLECTIONS
from davshare.model.errors import AlreadyExists, InvalidInput, NotAllowed, NotFound
from davshare.model.tables import (
    ALL_MEMBERS,
    COLLECTION_RIGHTS,
    collection_grants,
    collections,
    group_members,
    groups,
    item_editors,
    items,
    users,
)

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_COLLECTION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
KINDS = {
    "addressbook": {"tag": "VADDRESSBOOK"},
    "calendar": {"tag": "VCALENDAR", "C:supported-calendar-component-set": "VEVENT"},
    "tasks": {"tag": "VCALENDAR", "C:supported-calendar-component-set": "VTODO"},
}


def group_owner(name: str) -> str:
    """The owner recorded on a group's collections: "@<name>" (logins never start with @)."""
    return "@" + name


@dataclass(frozen=True)
class Member:
    """One member of a group."""

    login: str
    role: str
    display_name: str


@dataclass(frozen=True)
class GroupCollection:
    """One collection of a group."""

    name: str
    kind: str
    display_name: str


@dataclass(frozen=True)
class Group:
    """What a member sees of a group."""

    name: str
    description: str
    members: list[Member]
    collections: list[GroupCollection]


def requester(conn: Connection, login: str) -> policy.Requester:
    """The requester facts of an account (profile, server admin)."""
    row = conn.execute(
        select(users.c.profile, users.c.is_server_admin).where(users.c.login == login)
    ).first()
    if row is None:
        return policy.Requester(login="")
    return policy.Requester(
        login=login, profile=row.profile, server_admin=bool(row.is_server_admin)
    )


def _group_id(conn: Connection, name: str) -> int:
    group_id = conn.scalar(select(groups.c.id).where(groups.c.name == name.strip().lower()))
    if group_id is None:
        raise NotFound(f"no group {name!r}")
    return int(group_id)


def role_of(conn: Connection, group_id: int, login: str) -> policy.Role | None:
    """The role of ``login`` in the group, or None if not a member."""
    role = conn.scalar(
        select(group_members.c.role).where(
            group_members.c.group_id == group_id, group_members.c.login == login
        )
    )
    return policy.Role(role) if role else None


def _member_context(
    conn: Connection, name: str, login: str
) -> tuple[int, policy.Role | None, policy.Requester]:
    group_id = _group_id(conn, name)
    who = requester(conn, login)
    role = role_of(conn, group_id, login)
    if role is None and not who.server_admin:
        raise NotFound(f"no group {name!r}")  # non-members do not learn that it exists
    return group_id, role, who


def _refuse(message: str) -> NotAllowed:
    return NotAllowed(message)


def _insert_collection(
    conn: Connection, group_id: int, group: str, name: str, props: dict[str, str]
) -> None:
    owner = group_owner(group)
    homes.insert_collection(conn, f"{owner}/{name}", owner, props, group_id)


def create_group(engine: Engine, login: str, name: str, description: str = "") -> Group:
    """Create a group with its address book, calendar, task list; ``login`` is admin (G1, G2)."""
    name = name.strip().lower()
    if not _NAME_RE.match(name):
        raise InvalidInput(
            f"{name!r} cannot be a group name: use 2 to 63 lower-case letters, digits or '-', "
            "starting with a letter or digit (the name never changes)"
        )
    with write_transaction(engine) as conn:
        if not requester(conn, login).login:
            raise NotFound(f"no account {login}")
        if conn.scalar(select(groups.c.id).where(groups.c.name == name)) is not None:
            raise AlreadyExists(f"a group named {name!r} exists already: choose another name")
        quotas.check_group_creation(conn, login)  # SPEC A4
        inserted = conn.execute(insert(groups).values(name=name, description=description))
        group_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        conn.execute(
            insert(group_members).values(group_id=group_id, login=login, role=policy.Role.ADMIN)
        )
        for collection, props in PREDEFINED_COLLECTIONS.items():
            _insert_collection(conn, group_id, name, collection, dict(props))
        members_book.refresh(conn, group_id)
    return get_group(engine, login, name)


def get_group(engine: Engine, login: str, name: str) -> Group:
    """The group as its members see it."""
    with read_transaction(engine) as conn:
        group_id, _, _ = _member_context(conn, name, login)
        row = conn.execute(select(groups).where(groups.c.id == group_id)).one()
        members = [
            Member(m.login, m.role, m.display_name or "")
            for m in conn.execute(
                select(group_members.c.login, group_members.c.role, users.c.display_name)
                .select_from(group_members.outerjoin(users, users.c.login == group_members.c.login))
                .where(group_members.c.group_id == group_id)
                .order_by(group_members.c.login)
            )
        ]
        found = []
        for c in conn.execute(
            select(collections)
            .where(collections.c.group_id == group_id)
            .order_by(collections.c.path)
        ):
            props = json.loads(c.props)
            found.append(
                GroupCollection(
                    c.path.split("/", 1)[1], _kind(props), props.get("D:displayname", "")
                )
            )
    return Group(row.name, row.description, members, found)


def _kind(props: dict[str, str]) -> str:
    if props.get("tag") == "VADDRESSBOOK":
        return "addressbook"
    return "tasks" if props.get("C:supported-calendar-component-set") == "VTODO" else "calendar"


def list_groups(engine: Engine, login: str) -> list[tuple[str, str]]:
    """The groups of ``login`` with their role there, by name; every group for the server admin."""
    with read_transaction(engine) as conn:
        if requester(conn, login).server_admin:
            query = select(groups.c.name, func.coalesce(group_members.c.role, "")).select_from(
                groups.outerjoin(
                    group_members,
                    (group_members.c.group_id == groups.c.id) & (group_members.c.login == login),
                )
            )
        else:
            query = (
                select(groups.c.name, group_members.c.role)
                .join(group_members)
                .where(group_members.c.login == login)
            )
        return [(n, r) for n, r in conn.execute(query.order_by(groups.c.name))]


def update_settings(engine: Engine, login: str, name: str, *, description: str) -> None:
    """Change the group's settings: the admin only, never the name (G6)."""
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        if not policy.can_change_settings(role, who):
            raise _refuse("only the group's admin changes its settings")
        conn.execute(update(groups).where(groups.c.id == group_id).values(description=description))


def delete_group(engine: Engine, login: str, name: str, confirm: str) -> None:
    """Delete a group with all its content: only once no member but the admin is left (G8)."""
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        if not policy.can_delete_group(role, who):
            raise _refuse("only the group's admin deletes the group")
        others = conn.scalar(
            select(func.count()).where(
                group_members.c.group_id == group_id, group_members.c.role != policy.Role.ADMIN
            )
        )
        if others:
            raise InvalidInput(
                f"the group still has {others} member(s) besides its admin: remove them first"
            )
        if confirm.strip().lower() != name.strip().lower():
            raise InvalidInput(
                f"deleting removes all of the group's content: confirm by giving its name {name!r}"
            )
        ids = select(collections.c.id).where(collections.c.group_id == group_id)
        conn.execute(delete(items).where(items.c.collection_id.in_(ids)))
        conn.execute(delete(collections).where(collections.c.group_id == group_id))
        conn.execute(delete(groups).where(groups.c.id == group_id))


def add_member(engine: Engine, login: str, name: str, member: str) -> None:
    """Add an existing account as a member (invitations come on top of this, G3, G7)."""
    member = member.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        if not policy.can_manage_members(role, who):
            raise _refuse("only the group's admin and co-admins add members")
        if not requester(conn, member).login:
            raise NotFound(f"no account {member}")
        insert_member(conn, group_id, member)


def insert_member(conn: Connection, group_id: int, member: str) -> None:
    """Make ``member`` a plain member, within the admin's plan (A4); refreshes the members' book.

    Adding, accepting an invitation and joining from the directory all come here.
    """
    if role_of(conn, group_id, member) is not None:
        raise AlreadyExists(f"{member} is a member already")
    quotas.check_member_room(conn, group_id)
    conn.execute(
        insert(group_members).values(group_id=group_id, login=member, role=policy.Role.MEMBER)
    )
    members_book.refresh(conn, group_id)


def remove_member(
    engine: Engine, login: str, name: str, member: str, withdraw_shares: bool = False
) -> list[sharing.Share]:
    """Remove a member, or leave when ``member`` is oneself; what they added stays (G7, G9).

    Returns what the member shared with the group or its members (G11); with
    ``withdraw_shares`` those shares are withdrawn in the same step.
    """
    member = member.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        target = role_of(conn, group_id, member)
        if target is None:
            raise NotFound(f"{member} is not a member of {name}")
        if member == login and target == policy.Role.ADMIN:
            raise InvalidInput(
                "the admin cannot leave the group: hand the admin role to a member first"
            )
        if member != login and not policy.can_remove_member(role, who, target):
            raise _refuse(f"you may not remove {member} ({target}) from the group")
        given = sharing.shares_reaching_group(conn, member, group_id)
        if withdraw_shares and member == login:
            sharing.withdraw(conn, member, given)
        conn.execute(
            delete(group_members).where(
                group_members.c.group_id == group_id, group_members.c.login == member
            )
        )
        members_book.refresh(conn, group_id)
        return given


def remove_all_members(engine: Engine, login: str, name: str) -> int:
    """Remove every member but the admin (G7); returns how many were removed."""
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        if role != policy.Role.ADMIN and not who.server_admin:
            raise _refuse("only the group's admin removes all members")
        result = conn.execute(
            delete(group_members).where(
                group_members.c.group_id == group_id, group_members.c.role != policy.Role.ADMIN
            )
        )
        members_book.refresh(conn, group_id)
        return int(result.rowcount)


def set_role(engine: Engine, login: str, name: str, member: str, new_role: str) -> None:
    """Appoint or revoke a co-admin (the admin only, G10); specific grants are kept."""
    member = member.strip().lower()
    if new_role not in (policy.Role.COADMIN, policy.Role.MEMBER):
        raise InvalidInput(
            "the role must be 'coadmin' or 'member' (hand over 'admin' with transfer)"
        )
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        if not policy.can_appoint_coadmins(role, who):
            raise _refuse("only the group's admin appoints and revokes co-admins")
        target = role_of(conn, group_id, member)
        if target is None:
            raise NotFound(f"{member} is not a member of {name}")
        if target == policy.Role.ADMIN:
            raise InvalidInput("the admin's role changes only by handing it over to a member")
        conn.execute(
            update(group_members)
            .where(group_members.c.group_id == group_id, group_members.c.login == member)
            .values(role=new_role)
        )


def transfer_admin(engine: Engine, login: str, name: str, member: str) -> None:
    """Hand the admin role to a member; the former admin stays as a co-admin (G9)."""
    member = member.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, _ = _member_context(conn, name, login)
        if role != policy.Role.ADMIN:
            raise _refuse("only the group's admin hands over the admin role")
        if role_of(conn, group_id, member) is None:
            raise NotFound(f"{member} is not a member of {name}: add them first")
        quotas.check_new_admin(conn, group_id, member)  # SPEC A4: the group's caps follow
        where = group_members.c.group_id == group_id
        conn.execute(
            update(group_members)
            .where(where, group_members.c.login == login)
            .values(role=policy.Role.COADMIN)
        )
        conn.execute(
            update(group_members)
            .where(where, group_members.c.login == member)
            .values(role=policy.Role.ADMIN)
        )


def add_collection(
    engine: Engine, login: str, name: str, collection: str, kind: str, display_name: str
) -> None:
    """Add an address book, calendar or task list to the group (G2)."""
    collection = collection.strip().lower()
    if not _COLLECTION_RE.match(collection):
        raise InvalidInput(
            f"{collection!r} cannot be a collection name: use lower-case letters, digits or '-'"
        )
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        if not policy.can_add_collection(role, who):
            raise _refuse("only the group's admin and co-admins add collections")
        path = f"{group_owner(name)}/{collection}"
        if collection == members_book.NAME:
            raise InvalidInput(
                f"{collection!r} is the members' address book's name: choose another"
            )
        if conn.scalar(select(collections.c.id).where(collections.c.path == path)) is not None:
            raise AlreadyExists(f"the group has a collection {collection!r} already")
        _insert_collection(
            conn,
            group_id,
            name,
            collection,
            {**KINDS[kind], "D:displayname": display_name or collection},
        )


def _collection_id(conn: Connection, group_id: int, name: str, collection: str) -> int:
    collection_id = conn.scalar(
        select(collections.c.id).where(
            collections.c.group_id == group_id,
            collections.c.path == f"{group_owner(name)}/{collection}",
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
    group_id, role, who = _member_context(conn, name, login)
    if not allowed(role, who):
        raise _refuse(refusal)
    return group_id, _collection_id(conn, group_id, name, collection)


def _grantee(conn: Connection, group_id: int, grantee: str) -> str:
    grantee = grantee.strip().lower()
    if grantee in (ALL_MEMBERS, "all", "all-members"):
        return ALL_MEMBERS
    if role_of(conn, group_id, grantee) is None:
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
        group_id, role, who = _member_context(conn, name, login)
        if not policy.can_change_rights(role, who):
            raise _refuse("only the group's admin and co-admins change access rights")
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


def revoke_collection(engine: Engine, login: str, name: str, collection: str, grantee: str) -> None:
    """Take back a grant on a group collection (R3)."""
    name = name.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, who = _member_context(conn, name, login)
        if not policy.can_change_rights(role, who):
            raise _refuse("only the group's admin and co-admins change access rights")
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


def list_grants(engine: Engine, login: str, name: str, collection: str) -> dict[str, str]:
    """The grants on one group collection: grantee ("*" for all members) -> right."""
    name = name.strip().lower()
    with read_transaction(engine) as conn:
        group_id, _, _ = _member_context(conn, name, login)
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
        group_id, _, who = _member_context(conn, name, login)
        item_id, creator = _item(conn, group_id, name, collection, href)
        if not policy.can_grant_editors(who, policy.ItemFacts(creator=creator)):
            raise _refuse(f"only the creator of this item ({creator}) decides who may modify it")
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
        group_id, _, _ = _member_context(conn, name, login)
        item_id, creator = _item(conn, group_id, name, collection, href)
        query = (
            select(item_editors.c.grantee)
            .where(item_editors.c.item_id == item_id)
            .order_by(item_editors.c.grantee)
        )
        return creator, [g for (g,) in conn.execute(query)]


def admin_of(engine: Engine, name: str) -> str:
    """The login of the group's admin (the CLI acts as them unless told otherwise)."""
    with read_transaction(engine) as conn:
        group_id = _group_id(conn, name)
        login = conn.scalar(
            select(group_members.c.login).where(
                group_members.c.group_id == group_id, group_members.c.role == policy.Role.ADMIN
            )
        )
    if login is None:
        raise NotFound(f"the group {name} has no admin")
    return str(login)


def all_groups(engine: Engine) -> list[Group]:
    """Every group on the server (for the server admin's command line)."""
    with read_transaction(engine) as conn:
        names = [name for (name,) in conn.execute(select(groups.c.name).order_by(groups.c.name))]
    return [get_group(engine, admin_of(engine, name), name) for name in names]


def shares_given(engine: Engine, login: str, name: str) -> list[sharing.Share]:
    """What ``login`` shares with the group or its other members (SPEC G11)."""
    with read_transaction(engine) as conn:
        group_id, _, _ = _member_context(conn, name, login)
        return sharing.shares_reaching_group(conn, login, group_id)
