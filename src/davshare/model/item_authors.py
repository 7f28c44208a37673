"""Who created each item and when, who modified it last and when (issue 17).

Recorded by the server on every write (``item_rows.write_item``), never taken from the
data: a client cannot claim someone else wrote it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from davshare.model.db import read_transaction
from davshare.model.tables import items

_CHUNK = 500


@dataclass(frozen=True)
class Authors:
    """An item's creator and last writer, with when (None: before davshare recorded it)."""

    created_by: str
    created_at: datetime | None
    modified_by: str
    modified_at: datetime | None


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def authors(engine: Engine, collection_id: int, hrefs: Iterable[str]) -> dict[str, Authors]:
    """The authors of the items at ``hrefs`` of one collection (by href)."""
    wanted = list(dict.fromkeys(hrefs))
    found: dict[str, Authors] = {}
    columns = (
        items.c.href, items.c.creator, items.c.created_at, items.c.modified_by, items.c.modified_at
    )  # fmt: skip
    with read_transaction(engine) as conn:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = select(*columns).where(
                items.c.collection_id == collection_id, items.c.href.in_(chunk)
            )
            for row in conn.execute(query):
                found[row.href] = Authors(
                    row.creator,
                    _utc(row.created_at),
                    row.modified_by,
                    _utc(row.modified_at),
                )
    return found
