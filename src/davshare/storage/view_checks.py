"""Writes through a view (SPEC Q2): what lies outside it can be neither touched nor made.

Checked inside the write's transaction, under the collection's lock. Treating
a hidden contact's href as free would let a PUT overwrite it, so it is refused
(403), with a message that tells nothing of the contact.
"""

from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from davshare.model import views
from davshare.model.errors import NotAllowed
from davshare.model.tables import items

if TYPE_CHECKING:
    from davshare.storage.collection import Collection


def check_write(conn: Connection, collection: "Collection", href: str) -> str | None:
    """The stored text at ``href`` (None: no item), or 403 when the writer's view hides it."""
    row = conn.execute(
        select(items.c.id, items.c.text).where(
            items.c.collection_id == collection.id, items.c.href == href
        )
    ).first()
    if row is None:
        return None
    view = collection.lens.view
    if view is not None and not views.matching(conn, collection.id, row.id, [view]):
        raise NotAllowed(
            f"you see this address book through the view {view.name!r}: "
            "this name belongs to a contact outside it; choose another file name",
            "write-content",
        )
    return str(row.text)


def check_still_visible(
    conn: Connection, collection: "Collection", href: str, item_id: int
) -> None:
    """403 (and the transaction undone) when a write would take a contact out of the view."""
    view = collection.lens.view
    if view is not None and not views.matching(conn, collection.id, item_id, [view]):
        raise NotAllowed(
            f"you see this address book through the view {view.name!r}: a contact you write "
            "must stay in it (ask the group's admin to change the view, or edit the fields "
            "the view filters on back)",
            "bind",
        )
