"""The guard against mass deletion (``[trash] guard_share``, issue 20): when a burst has
deleted that share of a group's or shared collection, its next deletions are refused
(403) and those who can undo it — the group's admin and co-admins, or the collection's
owner — are told once by e-mail, with the sentence of the burst.
"""

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, select, update

from davshare.core import policy, trash_rules
from davshare.model import bursts as burst_rows
from davshare.model import invitations, mail_outbox, mail_templates
from davshare.model.db import write_transaction
from davshare.model.errors import MassDeletion
from davshare.model.history import Change
from davshare.model.history_tables import bursts
from davshare.model.tables import collections, group_members, items


def check(conn: Connection, collection_id: int, change: Change, window: int, share: float) -> None:
    """403 (``MassDeletion``) when the burst this deletion continues may delete no more."""
    burst = burst_rows.current(conn, collection_id, change, window)
    deleted = int(burst.deleted) if burst is not None else 0
    if burst is None or deleted < trash_rules.GUARD_MINIMUM:
        return
    left = conn.scalar(
        select(func.count()).select_from(items).where(items.c.collection_id == collection_id)
    )
    if trash_rules.mass_deletion_refused(deleted, deleted + int(left or 0), share):
        raise MassDeletion(
            f"{deleted} items of this shared collection were just deleted from this client: "
            "davshare refuses to delete more for now, and told its admins, who can undo it in "
            "one step. Check the client's settings before you sync again.",
            int(burst.id),
        )


def _recipients(conn: Connection, collection_id: int) -> tuple[str, list[str]]:
    row = conn.execute(
        select(collections.c.path, collections.c.group_id, collections.c.owner).where(
            collections.c.id == collection_id
        )
    ).one()
    if row.group_id is None:
        return row.path, [row.owner]
    managers = select(group_members.c.login).where(
        group_members.c.group_id == row.group_id,
        group_members.c.role.in_([policy.Role.ADMIN, policy.Role.COADMIN]),
    )
    return row.path, list(conn.scalars(managers))


def tell(engine: Engine, burst_id: int) -> None:
    """E-mail those who can undo the burst, once per burst."""
    with write_transaction(engine) as conn:
        marked = conn.execute(
            update(bursts)
            .where(bursts.c.id == burst_id, bursts.c.told.is_(False))
            .values(told=True)
        )
        if not marked.rowcount:
            return
        burst = conn.execute(select(bursts).where(bursts.c.id == burst_id)).one()
        path, recipients = _recipients(conn, int(burst.collection_id))
        moment = datetime.fromtimestamp(int(burst.started_at), UTC).strftime("%Y-%m-%d %H:%M UTC")
        for recipient in recipients:
            subject, body = mail_templates.render(
                "mass_deletion",
                invitations.language_of(conn, recipient),
                who=burst.login,
                collection=path,
                deleted=str(burst.deleted),
                client=burst.client or "?",
                when=moment,
            )
            mail_outbox.enqueue(conn, recipient, subject, body)
