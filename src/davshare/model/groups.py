"""Group workspaces (SPEC G1, G2, G8): groups, their settings and collections.

Members and roles are in ``membership``, rights on collections and items in
``group_rights``.

Every operation takes the requester and checks the rule in ``davshare.policy``
inside the transaction that changes the data.
"""

import json
import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from davshare.core import policy
from davshare.model import homes, members_book, quotas, sharing
from davshare.model.db import read_transaction, write_transaction
from davshare.model.defaults import PREDEFINED_COLLECTIONS
from davshare.model.errors import AlreadyExists, InvalidInput, NotAllowed, NotFound, StateConflict
from davshare.model.tables import (
    collections,
    group_members,
    groups,
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


def group_id_of(conn: Connection, name: str) -> int:
    """The id of the group ``name``; 404 when there is none."""
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


def roles_of(conn: Connection, login: str) -> list[tuple[str, policy.Role]]:
    """(group name, role) of each group ``login`` belongs to."""
    rows = conn.execute(
        select(groups.c.name, group_members.c.role)
        .join(group_members, group_members.c.group_id == groups.c.id)
        .where(group_members.c.login == login)
    )
    return [(name, policy.Role(role)) for name, role in rows]


def member_context(
    conn: Connection, name: str, login: str
) -> tuple[int, policy.Role | None, policy.Requester]:
    """(group id, role, requester) of ``login`` in the group; 404 to non-members."""
    group_id = group_id_of(conn, name)
    who = requester(conn, login)
    role = role_of(conn, group_id, login)
    if role is None and not who.server_admin:
        raise NotFound(f"no group {name!r}")  # non-members do not learn that it exists
    return group_id, role, who


def refuse(message: str) -> NotAllowed:
    """The refusal of a group operation (403)."""
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
        group_id, _, _ = member_context(conn, name, login)
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
        group_id, role, who = member_context(conn, name, login)
        if not policy.can_change_settings(role, who):
            raise refuse("only the group's admin changes its settings")
        conn.execute(update(groups).where(groups.c.id == group_id).values(description=description))


def delete_group(engine: Engine, login: str, name: str, confirm: str) -> None:
    """Delete a group with all its content: only once no member but the admin is left (G8)."""
    with write_transaction(engine) as conn:
        group_id, role, who = member_context(conn, name, login)
        if not policy.can_delete_group(role, who):
            raise refuse("only the group's admin deletes the group")
        others = conn.scalar(
            select(func.count()).where(
                group_members.c.group_id == group_id, group_members.c.role != policy.Role.ADMIN
            )
        )
        if others:
            raise StateConflict(
                f"the group still has {others} member(s) besides its admin: remove them first",
                "group_has_members",
            )
        if confirm.strip().lower() != name.strip().lower():
            raise InvalidInput(
                f"deleting removes all of the group's content: confirm by giving its name {name!r}"
            )
        ids = select(collections.c.id).where(collections.c.group_id == group_id)
        conn.execute(delete(items).where(items.c.collection_id.in_(ids)))
        conn.execute(delete(collections).where(collections.c.group_id == group_id))
        conn.execute(delete(groups).where(groups.c.id == group_id))


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
        group_id, role, who = member_context(conn, name, login)
        if not policy.can_add_collection(role, who):
            raise refuse("only the group's admin and co-admins add collections")
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


def admin_of(engine: Engine, name: str) -> str:
    """The login of the group's admin (the CLI acts as them unless told otherwise)."""
    with read_transaction(engine) as conn:
        group_id = group_id_of(conn, name)
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
        group_id, _, _ = member_context(conn, name, login)
        return sharing.shares_reaching_group(conn, login, group_id)
