"""Mounts: a group's collections and others' shared collections, seen from a home.

A member sees a group collection at ``<member>/<name>@<group>``, a sharee a shared one
at ``<sharee>/<name>~<owner>``; each is read with the viewer's own display name and
colour, role or share, and view, in one query.
"""

import json
from typing import Any

from sqlalchemy import Connection, or_, select

from davshare.core import policy
from davshare.model import groups, sharing
from davshare.model.sharing import SHARE_SEPARATOR
from davshare.model.tables import collection_prefs, collections, group_members, shares, users
from davshare.storage.collection import Collection, Host
from davshare.storage.lens import lens_of, with_view

# Separates a group collection's name from the group's in a member's home:
# "contacts@sales". Logins contain "@" too, but never in a collection segment.
MOUNT_SEPARATOR = "@"


def group_mount_query(home: str) -> Any:
    """The group collections ``home`` sees, with their own display name and colour,
    their role and the view they are given (read with the mount: one query)."""
    return with_view(
        select(
            collections,
            collection_prefs.c.props.label("viewer_props"),
            group_members.c.role.label("viewer_role"),
        )
        .join(group_members, group_members.c.group_id == collections.c.group_id)
        .outerjoin(
            collection_prefs,
            (collection_prefs.c.collection_id == collections.c.id)
            & (collection_prefs.c.login == home),
        )
        .where(group_members.c.login == home),
        home,
    )


def group_mount(conn: Connection, host: Host, path: str) -> Collection | None:
    """The group collection mounted at ``<member>/<name>@<group>``, if a member sees it."""
    home, _, segment = path.partition("/")
    name, _, group = segment.rpartition(MOUNT_SEPARATOR)
    if "/" in segment or not name or not group:
        return None
    query = group_mount_query(home).where(collections.c.path == f"@{group}/{name}")
    row = conn.execute(query).first()
    if row is None:
        return None
    viewer_props = json.loads(row.viewer_props or "{}")
    return Collection(
        host,
        row,
        mount_path=path,
        viewer_props=viewer_props,
        lens=lens_of(row),
        viewer_access=row.viewer_role,
    )


def share_query(home: str) -> Any:
    """Personal collections of others shared with ``home``, directly or through a group."""
    my_groups = select(group_members.c.group_id).where(group_members.c.login == home)
    reaching = select(shares.c.collection_id).where(
        or_(shares.c.sharee == home, shares.c.group_id.in_(my_groups))
    )
    return with_view(
        select(
            collections,
            collection_prefs.c.props.label("viewer_props"),
            collection_prefs.c.hidden,
            users.c.display_name.label("owner_name"),
        )
        .outerjoin(users, users.c.login == collections.c.owner)
        .outerjoin(
            collection_prefs,
            (collection_prefs.c.collection_id == collections.c.id)
            & (collection_prefs.c.login == home),
        )
        .where(collections.c.id.in_(reaching), collections.c.owner != home),
        home,
    )


def shared(conn: Connection, host: Host, home: str, row: Any) -> Collection | None:
    """The shared collection of ``row`` as ``home`` sees it, or None if a rule forbids it now."""
    reach = sharing.reach(conn, row.id, row.owner, home)
    if reach is None:
        return None  # a domain rule forbids it now
    name = row.path.split("/", 1)[1]
    hide_private = False
    if row.tag == "VCALENDAR":  # CLASS is for events
        facts = policy.CollectionFacts(path=row.path, owner=row.owner, share=reach.rights)
        hide_private = not policy.can_see_details(groups.requester(conn, home), facts)
    return Collection(
        host,
        row,
        f"{home}/{name}{SHARE_SEPARATOR}{row.owner}",
        json.loads(row.viewer_props or "{}"),
        row.owner_name or row.owner,
        hide_private=hide_private,
        lens=lens_of(row, reach),
        viewer_access=reach.rights,
    )


def share_mount(conn: Connection, host: Host, path: str) -> Collection | None:
    """The collection shared at ``<sharee>/<collection>~<owner>``, if it is shared with them."""
    home, _, segment = path.partition("/")
    name, _, owner = segment.partition(SHARE_SEPARATOR)
    row = conn.execute(share_query(home).where(collections.c.path == f"{owner}/{name}")).first()
    return shared(conn, host, home, row) if row is not None else None


def mounts_of(conn: Connection, host: Host, home: str) -> list[Collection]:
    """Every group collection and shared collection ``home`` sees, mounted in their home."""
    rows = conn.execute(share_query(home))
    seen = [shared(conn, host, home, row) for row in rows if not row.hidden]
    return group_mounts_of(conn, host, home) + [c for c in seen if c is not None]


def group_mounts_of(conn: Connection, host: Host, home: str) -> list[Collection]:
    """Every group collection ``home`` sees, mounted in their home."""
    rows = conn.execute(group_mount_query(home).order_by(collections.c.path))
    mounts = []
    for row in rows:
        group, name = row.path[1:].split("/", 1)
        mount_path = f"{home}/{name}{MOUNT_SEPARATOR}{group}"
        mounts.append(
            Collection(
                host,
                row,
                mount_path,
                json.loads(row.viewer_props or "{}"),
                lens=lens_of(row),
                viewer_access=row.viewer_role,
            )
        )
    return mounts
