"""Collection rows: an account's home with its first collections, a group's collections (A3, G2)."""

import json
import uuid

from sqlalchemy import Connection, insert, select

from davshare.model.defaults import PREDEFINED_COLLECTIONS
from davshare.model.tables import collections


def insert_collection(
    conn: Connection, path: str, owner: str, props: dict[str, str], group_id: int | None = None
) -> int:
    """A new collection row at ``path`` (no slashes around); returns its id."""
    result = conn.execute(
        insert(collections).values(
            path=path,
            parent_path=path.rpartition("/")[0],
            owner=owner,
            group_id=group_id,
            tag=props.get("tag", ""),
            props=json.dumps(props, sort_keys=True),
            revision=0,
            uuid=uuid.uuid4().hex,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def create_home(conn: Connection, login: str) -> None:
    """The account's home with its address book, calendar and task list, unless it exists."""
    if conn.scalar(select(collections.c.id).where(collections.c.path == login)) is not None:
        return
    insert_collection(conn, login, login, {})
    for name, props in PREDEFINED_COLLECTIONS.items():
        insert_collection(conn, f"{login}/{name}", login, dict(props))
