"""The source etags a migration over HTTP saw, per destination collection (``davshare
migrate dav``): what a second run need not fetch again."""

from sqlalchemy import Engine, delete, insert, select

from davshare.model.db import read_transaction, write_transaction
from davshare.model.service_tables import migrate_etags


def seen(engine: Engine, collection_uuid: str) -> dict[str, str]:
    """href -> the source etag of the item copied there."""
    query = select(migrate_etags.c.href, migrate_etags.c.source_etag).where(
        migrate_etags.c.collection_uuid == collection_uuid
    )
    with read_transaction(engine) as conn:
        return {href: etag for href, etag in conn.execute(query)}


def remember(engine: Engine, collection_uuid: str, href: str, source_etag: str) -> None:
    """Record that the item at ``href`` is the source's version ``source_etag``."""
    with write_transaction(engine) as conn:
        conn.execute(
            delete(migrate_etags).where(
                migrate_etags.c.collection_uuid == collection_uuid, migrate_etags.c.href == href
            )
        )
        conn.execute(
            insert(migrate_etags).values(
                collection_uuid=collection_uuid, href=href, source_etag=source_etag
            )
        )
