"""The rules of the trash, history and undo (issue 20), as pure functions: who puts back
what was deleted or overwritten, who undoes a burst, who reads a group's whole activity,
when changes are one burst, and when a client's deletions are refused as a mass deletion.
"""

from davshare.core.policy import (
    CollectionFacts,
    Profile,
    Requester,
    Role,
    can_add,
    can_add_collection,
)


def can_restore(requester: Requester, collection: CollectionFacts, deleted_by: str) -> bool:
    """Who puts a deleted item back: whoever may add there, and in a group also the member
    who deleted it (as long as they may write at all)."""
    own_mistake = bool(requester.login) and requester.login == deleted_by
    writer = Profile(requester.profile) != Profile.READ_ONLY
    in_group = collection.group is not None and collection.role is not None
    return can_add(requester, collection) or (in_group and own_mistake and writer)


def can_undo_burst(requester: Requester, collection: CollectionFacts) -> bool:
    """Who undoes a burst of deletions and overwrites at once: a personal collection's
    owner; a group's admin and co-admins (SPEC G10)."""
    if collection.group is None:
        return bool(requester.login) and requester.login == collection.owner
    return collection.role in (Role.ADMIN, Role.COADMIN)


def can_restore_collection(requester: Requester, owner: str, role: Role | None) -> bool:
    """A deleted collection comes back by its owner; a group's by its admin and co-admins."""
    if owner.startswith("@"):
        return can_add_collection(role, requester)
    return bool(requester.login) and requester.login == owner


def sees_all_activity(role: Role | None) -> bool:
    """Admins and co-admins read a group's whole activity log (members: what they read)."""
    return role in (Role.ADMIN, Role.COADMIN)


def same_burst(last_at: int, now: int, window: int) -> bool:
    """Whether a change at ``now`` continues a burst whose last change was at ``last_at``."""
    return 0 <= now - last_at <= window


GUARD_MINIMUM = 10  # deletions a burst may always make (``share``: 0 never refuses)


def mass_deletion_refused(deleted: int, total: int, share: float) -> bool:
    """Whether a burst that deleted ``deleted`` of ``total`` items may delete no more."""
    return share > 0 and deleted >= max(GUARD_MINIMUM, share * total)
