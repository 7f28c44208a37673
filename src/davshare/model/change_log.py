"""The change log kept for a retention: what makes incremental sync cheap, bounded.

Every item write logs a change (``item_rows.log_change``); without pruning, the log of a
busy collection grows without end. ``prune`` removes the changes made before a moment
and remembers, per collection, the last revision removed: a client whose sync token is
older is told its token is no longer valid (RFC 6578 ``DAV:valid-sync-token``; 400 for
Thunderbird) and syncs afresh; every newer token is answered exactly as before.
"""

from sqlalchemy import Connection, delete, func, select, update

from davshare.model.tables import changes, collections


def prune(conn: Connection, before: int) -> int:
    """Remove the changes logged before ``before`` (epoch seconds); how many went."""
    removed = 0
    reached = conn.execute(
        select(changes.c.collection_id, func.max(changes.c.revision))
        .where(changes.c.changed_at < before)
        .group_by(changes.c.collection_id)
    ).all()
    for collection_id, revision in reached:
        # Everything up to that revision goes, so what is kept answers every newer token.
        removed += conn.execute(
            delete(changes).where(
                changes.c.collection_id == collection_id, changes.c.revision <= revision
            )
        ).rowcount
        conn.execute(
            update(collections)
            .where(
                collections.c.id == collection_id,
                collections.c.pruned_revision < revision,
            )
            .values(pruned_revision=revision)
        )
    return removed
