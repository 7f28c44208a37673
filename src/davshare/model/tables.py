"""The SQL schema, as SQLAlchemy Core tables (one metadata for queries and alembic)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

domains = Table(
    "domains",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Profiles cap what an account may do with shared content (SPEC A2).
PROFILES = ("read_only", "add", "add_delete")

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    # Always stored lower-cased: logins are case-insensitive (SPEC A1).
    Column("login", String(320), nullable=False, unique=True),
    Column("domain_id", Integer, ForeignKey("domains.id"), nullable=False, index=True),
    Column("password_hash", String(255), nullable=False),
    Column("display_name", String(255), nullable=False, server_default=""),
    Column("profile", String(16), nullable=False, server_default="add_delete"),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("is_server_admin", Boolean, nullable=False, server_default="0"),
    # What fellow group members see of the account (SPEC G4).
    Column("given_name", String(255), nullable=False, server_default=""),
    Column("family_name", String(255), nullable=False, server_default=""),
    Column("organisation", String(255), nullable=False, server_default=""),
    # A data: URI (image/png or image/jpeg, base64), or "".
    Column("photo", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The plan capping the account (SPEC A4): a ``plans.name``; NULL: no caps.
    Column("plan", String(64), nullable=True),
    # The language of the messages sent to the account ("en", "fr"); "": the server's default.
    Column("language", String(8), nullable=False, server_default=""),
    # The time zone the web pages show times in (an IANA name); "": the browser's.
    Column("time_zone", String(64), nullable=False, server_default=""),
    # Where the password is checked (``[auth] backends``): local, ldap, imap or htpasswd.
    Column("sign_in_backend", String(16), nullable=False, server_default="local"),
)

# Group workspaces (SPEC G1-G10). ``name`` is unique and never changes.
groups = Table(
    "groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("description", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The directory (SPEC G12): unpublished groups are private, joined by invitation only.
    Column("published", Boolean, nullable=False, server_default="0"),
    Column("members_published", Boolean, nullable=False, server_default="0"),
    # Published and open: anyone joins at once; published and closed: a join request.
    Column("open", Boolean, nullable=False, server_default="0"),
    Column("activity", String(16), nullable=False, server_default=""),
    Column("sector", String(64), nullable=False, server_default=""),
    Column("language", String(8), nullable=False, server_default=""),
)

ROLES = ("admin", "coadmin", "member")

group_members = Table(
    "group_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("login", String(320), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("group_id", "login", name="uq_group_members_group_login"),
)

# The grantee of a grant to every member, present and future (SPEC R3, R4).
ALL_MEMBERS = "*"
COLLECTION_RIGHTS = ("add", "add_delete")

# "add" or "add and delete" on one group collection, to a member or to ALL_MEMBERS (SPEC R3).
collection_grants = Table(
    "collection_grants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False
    ),
    Column("grantee", String(320), nullable=False),
    Column("rights", String(16), nullable=False),
    Column("granted_by", String(320), nullable=False),
    UniqueConstraint("collection_id", "grantee", name="uq_collection_grants_collection_grantee"),
)

# Who besides its creator may modify one item (SPEC R4).
item_editors = Table(
    "item_editors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("grantee", String(320), nullable=False),
    UniqueConstraint("item_id", "grantee", name="uq_item_editors_item_grantee"),
)

# A member's own name, colour and order for a collection they see through a
# mount (Mac Calendar writes them even on read-only calendars).
collection_prefs = Table(
    "collection_prefs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False
    ),
    Column("login", String(320), nullable=False),
    Column("props", Text, nullable=False, server_default="{}"),
    # Hidden from the member's home (a sharee's "hide"); the share itself stays.
    Column("hidden", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("collection_id", "login", name="uq_collection_prefs_collection_login"),
)

SHARE_RIGHTS = ("freebusy", "read", "read_write", "read_write_delete")

# A personal collection shared with one account or with a whole group (SPEC S1).
shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False
    ),
    Column("sharee", String(320), nullable=True, index=True),
    Column(
        "group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=True, index=True
    ),
    Column("rights", String(24), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The contact properties the sharee does not receive, as a JSON list of
    # specs such as "BDAY" or "ADR;TYPE=HOME" (SPEC: confidential fields).
    Column("confidential", Text, nullable=False, server_default="[]"),
    UniqueConstraint("collection_id", "sharee", name="uq_shares_collection_sharee"),
    UniqueConstraint("collection_id", "group_id", name="uq_shares_collection_group"),
)

# Which domains the accounts of a domain may share with (SPEC A1). A domain with
# no row shares with every domain; one with rows only with those (and itself).
domain_share_rules = Table(
    "domain_share_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("domain", String(255), nullable=False, index=True),
    Column("allowed", String(255), nullable=False),
    UniqueConstraint("domain", "allowed", name="uq_domain_share_rules_domain_allowed"),
)

# One row per collection, principals included (tag ""). ``path`` is Radicale's
# sanitized path without leading or trailing slash: "alice@example.com/contacts".
collections = Table(
    "collections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String(1024), nullable=False, unique=True),
    Column("parent_path", String(1024), nullable=False, index=True),
    Column("owner", String(320), nullable=False, index=True),
    # Set for the collections of a group (their owner is "@<group name>").
    Column(
        "group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=True, index=True
    ),
    Column("tag", String(16), nullable=False, server_default=""),
    # Collection properties (displayname, colour, ...) as JSON text.
    Column("props", Text, nullable=False, server_default="{}"),
    # Bumped on every change of an item; with ``uuid`` it makes the sync token.
    Column("revision", BigInteger, nullable=False, server_default="0"),
    # Changes up to this revision were pruned from the change log: an older token
    # cannot be answered incrementally (RFC 6578: the client syncs afresh).
    Column("pruned_revision", BigInteger, nullable=False, server_default="0"),
    # A collection deleted and created again under the same path must not
    # accept the old one's sync tokens.
    Column("uuid", String(32), nullable=False),
    Column("modified_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("href", String(1024), nullable=False),
    Column("uid", String(1024), nullable=False),
    Column("etag", String(80), nullable=False),
    # The text as the client sent it (once validated): never re-serialised.
    Column("text", Text, nullable=False),
    Column("component", String(16), nullable=False),
    # Radicale's enclosing time range (seconds since the epoch), recurrences included.
    Column("time_start", BigInteger, nullable=False, server_default="0"),
    Column("time_end", BigInteger, nullable=False, server_default="0"),
    # Indexed search fields, extracted on write, lower-cased, newline-separated.
    Column("fn", Text, nullable=False, server_default=""),
    Column("emails", Text, nullable=False, server_default=""),
    Column("addresses", Text, nullable=False, server_default=""),
    Column("org", Text, nullable=False, server_default=""),
    Column("tels", Text, nullable=False, server_default=""),
    Column("categories", Text, nullable=False, server_default=""),
    # Contacts' sort key: the name, lower-cased, accents folded, cut to 255 characters.
    Column("sort_name", String(255), nullable=False, server_default=""),
    # Who created the item: recorded by the server, never taken from the data.
    Column("creator", String(320), nullable=False, server_default=""),
    # Who wrote the item last (recorded by the server too), and when it was created.
    Column("modified_by", String(320), nullable=False, server_default=""),
    # NULL for items stored before davshare recorded it.
    Column("created_at", DateTime(timezone=True), nullable=True),
    Column("revision", BigInteger, nullable=False),
    Column("modified_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # RFC 6638 Schedule-Tag of a scheduling object: changed by the organizer's writes and
    # by deliveries, not by replies merged in ("": not a scheduling object).
    Column("schedule_tag", String(40), nullable=False, server_default=""),
    UniqueConstraint("collection_id", "href", name="uq_items_collection_href"),
    UniqueConstraint("collection_id", "uid", name="uq_items_collection_uid"),
    Index("ix_items_collection_time", "collection_id", "time_start", "time_end"),
    Index("ix_items_collection_sort", "collection_id", "sort_name"),
)

# The change log that makes an incremental sync cost O(changes): one row per
# item write or deletion, keyed by the collection's revision at that moment.
changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("revision", BigInteger, nullable=False),
    Column("href", String(1024), nullable=False),
    # The lenses (views "v<id>", redacted shares "s<id>", linked copies) through
    # which this change cannot be seen, space-separated: a viewer looking through
    # one of them is not told about it (SPEC Q3, issue 5: honest sync).
    Column("hidden_for", Text, nullable=False, server_default=""),
    # When (epoch seconds): changes past [storage] change_log_days are pruned.
    Column("changed_at", BigInteger, nullable=False, server_default="0"),
    Index("ix_changes_collection_revision", "collection_id", "revision"),
    Index("ix_changes_changed_at", "changed_at"),
)

# The values views filter on (SPEC Q1), one row per value, lower-cased and cut
# to 255 characters: every vCard property by its name ("EMAIL", "X-LEVEL"),
# and derived fields in lower case ("city", "country", "email_domain", ...).
item_props = Table(
    "item_props",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column(
        "collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False
    ),
    Column("name", String(64), nullable=False),
    Column("value", String(255), nullable=False),
    Index("ix_item_props_lookup", "collection_id", "name", "value"),
)

# Saved filters over an address book (SPEC Q1); ``version`` changes with the
# filter, so the sync tokens of the people looking through it expire (Q3).
views = Table(
    "views",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False
    ),
    Column("name", String(64), nullable=False),
    Column("filter", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", String(320), nullable=False),
    UniqueConstraint("collection_id", "name", name="uq_views_collection_name"),
)

# The one view a person sees an address book through (SPEC Q2); no row: all of it.
view_assignments = Table(
    "view_assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False
    ),
    Column("login", String(320), nullable=False),
    Column("view_id", Integer, ForeignKey("views.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("collection_id", "login", name="uq_view_assignments_collection_login"),
)

# A private contact shared into a group's address book (SPEC R6): the group's
# copy follows the source, without the properties kept ``confidential``.
linked_items = Table(
    "linked_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "source_item_id",
        Integer,
        ForeignKey("items.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "target_item_id",
        Integer,
        ForeignKey("items.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("sharer", String(320), nullable=False),
    Column("confidential", Text, nullable=False, server_default="[]"),
)
