"""The rules of SPEC.md as pure functions: who may do what to which collection or item.

No I/O here: callers pass the facts (who asks, who owns, who created). A
question this module does not recognise answers "nothing allowed".
"""

from dataclasses import dataclass
from enum import StrEnum


class Privilege(StrEnum):
    """The WebDAV ACL privileges davshare reports and checks (RFC 3744)."""

    READ = "read"
    WRITE_PROPERTIES = "write-properties"
    WRITE_CONTENT = "write-content"
    BIND = "bind"
    UNBIND = "unbind"
    WRITE = "write"


OWNER_PRIVILEGES = frozenset(Privilege)
NO_PRIVILEGES: frozenset[Privilege] = frozenset()


@dataclass(frozen=True)
class Requester:
    """Who asks."""

    login: str
    profile: str = "add_delete"


@dataclass(frozen=True)
class CollectionFacts:
    """What the rules need to know of a collection."""

    path: str
    owner: str


def collection_privileges(
    requester: Requester, collection: CollectionFacts
) -> frozenset[Privilege]:
    """Everything ``requester`` may do in ``collection``.

    Today the one rule is that a user reads and writes only their own
    collections; group and shared collections add to this.
    """
    if requester.login and requester.login == collection.owner:
        return OWNER_PRIVILEGES
    return NO_PRIVILEGES


def can_read(requester: Requester, collection: CollectionFacts) -> bool:
    """Whether ``requester`` may read the collection and its items."""
    return Privilege.READ in collection_privileges(requester, collection)


def can_add(requester: Requester, collection: CollectionFacts) -> bool:
    """Whether ``requester`` may create an item in the collection."""
    return Privilege.BIND in collection_privileges(requester, collection)


def can_edit(requester: Requester, collection: CollectionFacts, creator: str) -> bool:
    """Whether ``requester`` may modify an existing item created by ``creator``."""
    del creator  # creator-owned items arrive with groups (SPEC R4)
    return Privilege.WRITE_CONTENT in collection_privileges(requester, collection)


def can_delete(requester: Requester, collection: CollectionFacts, creator: str) -> bool:
    """Whether ``requester`` may delete an item created by ``creator``."""
    del creator
    return Privilege.UNBIND in collection_privileges(requester, collection)
