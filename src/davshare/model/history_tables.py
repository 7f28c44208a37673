"""The tables of trash, history, undo and the activity log (issue 20).

Rows here outlive what they record: a version keeps the collection's id and a
trashed collection its old one, without foreign keys, so that deleting the
collection does not take its trash with it. The purge (``model/trash.py``)
removes what is past the retention, and what no collection holds any more.
"""

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from davshare.model.tables import metadata

# One person's run of deletions and overwrites in one collection from one client
# (login, User-Agent, at most ``burst_seconds`` between two changes): undone in one step.
bursts = Table(
    "bursts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", Integer, nullable=False),
    Column("login", String(320), nullable=False),
    Column("client", String(255), nullable=False, server_default=""),
    Column("started_at", BigInteger, nullable=False),
    Column("last_at", BigInteger, nullable=False),
    Column("deleted", Integer, nullable=False, server_default="0"),
    Column("overwritten", Integer, nullable=False, server_default="0"),
    # Whether its refusal (``[trash] guard_share``) was told to those who can undo it.
    Column("told", Boolean, nullable=False, server_default="0"),
    Index("ix_bursts_collection_login", "collection_id", "login", "last_at"),
)

# What an item was before an overwrite ("old") or a deletion ("deleted": in the trash).
VERSION_STATES = ("old", "deleted")
item_versions = Table(
    "item_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", Integer, nullable=False),
    # Set when the item went with its collection (a trashed_collections row).
    Column("trashed_collection_id", Integer, nullable=True, index=True),
    # The item's row id when it was kept (to copy its views' index along).
    Column("item_id", Integer, nullable=True),
    Column("state", String(8), nullable=False),
    Column("href", String(1024), nullable=False),
    Column("uid", String(1024), nullable=False),
    Column("component", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("creator", String(320), nullable=False, server_default=""),
    # Who wrote this version and when (seconds since the epoch; 0: unknown).
    Column("written_by", String(320), nullable=False, server_default=""),
    Column("written_at", BigInteger, nullable=False, server_default="0"),
    # Who replaced or deleted it, when, from which client, in which burst.
    Column("replaced_by", String(320), nullable=False, server_default=""),
    Column("replaced_at", BigInteger, nullable=False),
    Column("client", String(255), nullable=False, server_default=""),
    Column("burst_id", Integer, nullable=True, index=True),
    Index("ix_item_versions_collection_href", "collection_id", "href", "state"),
    Index("ix_item_versions_state_replaced", "state", "replaced_at"),
)

# The views' index (``item_props``) of a kept version of a contact, copied from the
# item's when it was kept: a view decides on history and trash as on the item (Q2).
version_props = Table(
    "version_props",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "version_id",
        Integer,
        ForeignKey("item_versions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("collection_id", Integer, nullable=False),
    Column("name", String(64), nullable=False),
    Column("value", String(255), nullable=False),
    Index("ix_version_props_lookup", "collection_id", "name", "value"),
)

# A deleted collection, its items in ``item_versions``.
trashed_collections = Table(
    "trashed_collections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("old_id", Integer, nullable=False),
    Column("path", String(1024), nullable=False),
    Column("owner", String(320), nullable=False, index=True),
    Column("group_id", Integer, nullable=True, index=True),
    Column("tag", String(16), nullable=False),
    Column("props", Text, nullable=False),
    Column("deleted_by", String(320), nullable=False, server_default=""),
    Column("deleted_at", BigInteger, nullable=False),
    Column("client", String(255), nullable=False, server_default=""),
)

ACTIONS = ("added", "modified", "deleted", "restored", "joined", "left", "granted", "revoked")

# A group's activity log: who did what to which item or member, and when.
activity = Table(
    "activity",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", Integer, nullable=False),
    Column("collection_id", Integer, nullable=True),
    Column("collection", String(255), nullable=False, server_default=""),
    Column("href", String(1024), nullable=False, server_default=""),
    # The item's name (FN, SUMMARY) or the member or grantee an entry is about.
    Column("subject", String(255), nullable=False, server_default=""),
    # Whether the item was a private or confidential event (shown as such to readers).
    Column("private", Boolean, nullable=False, server_default="0"),
    Column("action", String(16), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("client", String(255), nullable=False, server_default=""),
    Column("at", BigInteger, nullable=False),
    Index("ix_activity_group_at", "group_id", "at"),
)
