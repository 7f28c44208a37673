"""The rules of SPEC.md as pure functions: who may do what to which collection or item.

No I/O here: callers pass the facts (who asks, their role, the grants, who
created an item). A question this module does not recognise answers
"nothing allowed".
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

ALL_MEMBERS = "*"


class Privilege(StrEnum):
    """The WebDAV ACL privileges davshare reports and checks (RFC 3744)."""

    READ = "read"
    WRITE_PROPERTIES = "write-properties"
    WRITE_CONTENT = "write-content"
    BIND = "bind"
    UNBIND = "unbind"
    WRITE = "write"
    # CalDAV's (RFC 4791 6.1.1): busy times without details.
    READ_FREE_BUSY = "read-free-busy"


class Role(StrEnum):
    """A person's role in a group (SPEC G9, G10)."""

    ADMIN = "admin"
    COADMIN = "coadmin"
    MEMBER = "member"


class Profile(StrEnum):
    """An account's cap on what it may do with shared content (SPEC A2)."""

    READ_ONLY = "read_only"
    ADD = "add"
    ADD_DELETE = "add_delete"


OWNER_PRIVILEGES = frozenset(Privilege) - {Privilege.READ_FREE_BUSY}  # CalDAV adds it for calendars
NO_PRIVILEGES: frozenset[Privilege] = frozenset()
READ_PRIVILEGES = frozenset({Privilege.READ, Privilege.WRITE_PROPERTIES})
ADD_PRIVILEGES = READ_PRIVILEGES | {Privilege.BIND, Privilege.WRITE_CONTENT}
ADD_DELETE_PRIVILEGES = ADD_PRIVILEGES | {Privilege.UNBIND}
_RIGHTS = {"add": ADD_PRIVILEGES, "add_delete": ADD_DELETE_PRIVILEGES}
FREE_BUSY_PRIVILEGES = frozenset({Privilege.READ_FREE_BUSY})
# What a personal collection's owner gives each sharee (SPEC S1), weakest first.
SHARE_RIGHTS = {
    "freebusy": FREE_BUSY_PRIVILEGES,
    "read": READ_PRIVILEGES,
    "read_write": ADD_PRIVILEGES,
    "read_write_delete": ADD_DELETE_PRIVILEGES,
}
_PROFILE_CAPS = {
    Profile.READ_ONLY: READ_PRIVILEGES | FREE_BUSY_PRIVILEGES,
    Profile.ADD: ADD_PRIVILEGES | FREE_BUSY_PRIVILEGES,
    Profile.ADD_DELETE: ADD_DELETE_PRIVILEGES | FREE_BUSY_PRIVILEGES,
}


@dataclass(frozen=True)
class Requester:
    """Who asks."""

    login: str
    profile: str = Profile.ADD_DELETE
    server_admin: bool = False


@dataclass(frozen=True)
class CollectionFacts:
    """What the rules need to know of a collection.

    For a group collection: the requester's role in the group (None if not a
    member) and the grants on the collection (grantee -> "add"/"add_delete").
    For a personal collection shared with the requester: the share's rights.
    """

    path: str
    owner: str
    group: str | None = None
    role: Role | None = None
    grants: Mapping[str, str] = field(default_factory=dict)
    share: str | None = None
    # Kept by the server (a group's members' address book): nobody writes in it.
    read_only: bool = False


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need to know of an item: who created it and whom they let modify it."""

    creator: str
    editors: frozenset[str] = frozenset()
    contact_group: bool = False
    # A copy of a member's private contact that follows it (SPEC R6).
    linked: bool = False


def collection_privileges(
    requester: Requester, collection: CollectionFacts
) -> frozenset[Privilege]:
    """Everything ``requester`` may do in ``collection``, capped by their profile."""
    if collection.group is None:
        if requester.login and requester.login == collection.owner:
            return OWNER_PRIVILEGES
        granted = SHARE_RIGHTS.get(collection.share or "", NO_PRIVILEGES)
    else:
        granted = _group_privileges(requester, collection)
    return granted & _PROFILE_CAPS.get(Profile(requester.profile), READ_PRIVILEGES)


def _group_privileges(requester: Requester, collection: CollectionFacts) -> frozenset[Privilege]:
    if collection.role is None:
        return NO_PRIVILEGES
    if collection.read_only:
        return READ_PRIVILEGES  # SPEC G4
    if collection.role in (Role.ADMIN, Role.COADMIN):
        return ADD_DELETE_PRIVILEGES  # SPEC R2
    granted = READ_PRIVILEGES  # SPEC R1
    for grantee in (requester.login, ALL_MEMBERS):
        granted = granted | _RIGHTS.get(collection.grants.get(grantee, ""), NO_PRIVILEGES)
    return granted


def reported(privileges: frozenset[Privilege], calendar: bool) -> frozenset[Privilege]:
    """The privileges as clients are told them: reading a calendar includes its free/busy."""
    if calendar and Privilege.READ in privileges:
        return privileges | FREE_BUSY_PRIVILEGES
    return privileges if calendar else privileges - FREE_BUSY_PRIVILEGES


def can_read(requester: Requester, collection: CollectionFacts) -> bool:
    """Whether ``requester`` may read the collection and its items (SPEC R1)."""
    return Privilege.READ in collection_privileges(requester, collection)


def can_add(requester: Requester, collection: CollectionFacts) -> bool:
    """Whether ``requester`` may create an item in the collection (SPEC R2, R3)."""
    return Privilege.BIND in collection_privileges(requester, collection)


def can_edit(requester: Requester, collection: CollectionFacts, item: ItemFacts) -> bool:
    """Whether ``requester`` may modify an existing item (SPEC R4, R5).

    In a group, the creator decides: they and the members they chose (or all
    members) may modify it; admins are no exception. A contact group (a vCard
    listing members) may be edited by anyone who may add, so that adding a
    contact to a colleague's list is not refused.
    """
    privileges = collection_privileges(requester, collection)
    if collection.group is None:
        return Privilege.WRITE_CONTENT in privileges  # a sharee with "read and write" edits all
    if item.linked:
        return False  # its sharer edits their own contact; the copy follows (R6)
    if collection.role is None or Profile(requester.profile) == Profile.READ_ONLY:
        return False
    if item.contact_group and Privilege.BIND in privileges:
        return True
    return requester.login == item.creator or bool({requester.login, ALL_MEMBERS} & item.editors)


def can_delete(requester: Requester, collection: CollectionFacts, item: ItemFacts) -> bool:
    """Whether ``requester`` may delete an item: admins always may (SPEC R5); the sharer of
    a linked contact takes it out of the group again, as long as they may add there (R6)."""
    privileges = collection_privileges(requester, collection)
    if item.linked and requester.login == item.creator and Privilege.BIND in privileges:
        return True
    return Privilege.UNBIND in privileges


def can_grant_editors(requester: Requester, item: ItemFacts) -> bool:
    """Only the creator of an item decides who else may modify it (SPEC R4)."""
    return bool(requester.login) and requester.login == item.creator


def item_privileges(
    requester: Requester, collection: CollectionFacts, item: ItemFacts
) -> frozenset[Privilege]:
    """What ``requester`` may do with one item, as reported in current-user-privilege-set."""
    privileges = set(collection_privileges(requester, collection) & READ_PRIVILEGES)
    if can_edit(requester, collection, item):
        privileges |= {Privilege.WRITE_CONTENT, Privilege.WRITE_PROPERTIES}
    if can_delete(requester, collection, item):
        privileges.add(Privilege.UNBIND)
    return frozenset(privileges)


# -- managing a group (SPEC G1-G10) ----------------------------------------------


def can_change_settings(role: Role | None, requester: Requester) -> bool:
    """Only the admin changes a group's settings (SPEC G6)."""
    return role == Role.ADMIN


def can_manage_members(role: Role | None, requester: Requester) -> bool:
    """Admin and co-admins add and remove members; so does the server admin."""
    return role in (Role.ADMIN, Role.COADMIN) or requester.server_admin


def can_appoint_coadmins(role: Role | None, requester: Requester) -> bool:
    """Only the admin appoints and revokes co-admins and hands over the role (SPEC G9, G10)."""
    return role == Role.ADMIN


def can_change_rights(role: Role | None, requester: Requester) -> bool:
    """Admin and co-admins change access rights on the group's collections (SPEC R3, G10)."""
    return role in (Role.ADMIN, Role.COADMIN)


def can_define_views(role: Role | None, requester: Requester) -> bool:
    """The group's admin and co-admins, and the server admin, define views and give them
    to members (SPEC Q1, Q2)."""
    return role in (Role.ADMIN, Role.COADMIN) or requester.server_admin


def can_define_own_views(requester: Requester, owner: str) -> bool:
    """The owner of a personal address book, and the server admin, define its views and
    give them to the people it is shared with (SPEC Q1)."""
    return bool(requester.login) and (requester.login == owner or requester.server_admin)


def can_share_contact_into(requester: Requester, collection: CollectionFacts) -> bool:
    """Putting one's private contact into a group's address book needs the add right (R6)."""
    return collection.group is not None and can_add(requester, collection)


def can_add_collection(role: Role | None, requester: Requester) -> bool:
    """Admin and co-admins add collections to the group (SPEC G2)."""
    return role in (Role.ADMIN, Role.COADMIN)


def can_delete_group(role: Role | None, requester: Requester) -> bool:
    """The admin (or the server admin) deletes a group (SPEC G8)."""
    return role == Role.ADMIN or requester.server_admin


def can_remove_member(role: Role | None, requester: Requester, target_role: Role) -> bool:
    """Who may remove whom: the admin anyone but themselves; co-admins only plain members."""
    if target_role == Role.ADMIN:
        return False
    if role == Role.ADMIN or requester.server_admin:
        return True
    return role == Role.COADMIN and target_role == Role.MEMBER


# -- sharing personal collections (SPEC S1, A1, G5) ---------------------------------


def best_share(rights: list[str]) -> str | None:
    """The strongest of several shares reaching one person (directly and through groups)."""
    order = list(SHARE_RIGHTS)
    known = [r for r in rights if r in SHARE_RIGHTS]
    return max(known, key=order.index) if known else None


def can_share_across(owner_domain: str, sharee_domain: str, allowed: frozenset[str] | None) -> bool:
    """Whether the owner's domain may share with the sharee's (SPEC A1).

    ``allowed`` is the set of domains the server admin listed for the owner's
    domain, or None when it shares with every domain.
    """
    return allowed is None or sharee_domain == owner_domain or sharee_domain in allowed


def can_see_details(requester: Requester, collection: CollectionFacts) -> bool:
    """Whether private and confidential events show their details (not only "busy").

    Only the owner and those who may change the calendar see them; readers
    see when, not what.
    """
    return Privilege.WRITE_CONTENT in collection_privileges(requester, collection)


# -- invitations, the directory, plans (SPEC G3, G12, A4) -----------------------------


def can_invite(role: Role | None, requester: Requester) -> bool:
    """Admin and co-admins invite, list, resend and withdraw invitations (SPEC G3)."""
    return can_manage_members(role, requester)


def may_send_again(window_start: int, sends: int, now: int, per_day: int) -> bool:
    """Whether an invitation may be sent once more: at most ``per_day`` sends a day."""
    return now - window_start >= 86_400 or sends < per_day


DIRECTORY_CRITERIA = ("activity", "sector", "language")
ACTIVITIES = ("professional", "personal")


def directory_query_problem(name: str, criteria: Mapping[str, str]) -> str | None:
    """Why a directory search is refused, or None (SPEC G12).

    At least two of the four criteria: the name (at least three consecutive letters,
    optional), activity, sector, language. A name given too short is refused as such.
    """
    given = sum(1 for c in DIRECTORY_CRITERIA if criteria.get(c, "").strip())
    if name.strip():
        if not any(len(run) >= 3 for run in _letter_runs(name)):
            return "give at least 3 consecutive letters of the group's name, or leave it out"
        given += 1
    if given < 2:
        return (
            "combine at least two of the four criteria: name (3 letters or more), "
            "activity, sector, language"
        )
    return None


def _letter_runs(text: str) -> list[str]:
    runs, current = [], ""
    for character in text:
        if character.isalpha():
            current += character
        else:
            runs.append(current)
            current = ""
    return [*runs, current]


class JoinMode(StrEnum):
    """How a person who is not invited may join a group (SPEC G12)."""

    AT_ONCE = "at_once"
    REQUEST = "request"
    INVITATION_ONLY = "invitation_only"


def join_mode(published: bool, open_: bool) -> JoinMode:
    """Open groups are joined at once, closed ones on request, private ones by invitation."""
    if not published:
        return JoinMode.INVITATION_ONLY
    return JoinMode.AT_ONCE if open_ else JoinMode.REQUEST


def within(limit: int | None, wanted: int) -> bool:
    """Whether ``wanted`` fits a plan's cap (None: no cap)."""
    return limit is None or wanted <= limit


def mail_retry_delay(attempts: int) -> int:
    """Seconds before sending a message again after ``attempts`` failures (at most an hour)."""
    return int(min(3600, 10 * 2 ** max(0, attempts - 1)))


def may_lose_server_admin(other_active_server_admins: int) -> bool:
    """Whether a server admin may be demoted or deleted: only while another enabled one
    stays, so that the server always has someone who can manage it."""
    return other_active_server_admins > 0


# -- trash, history and undo (issue 20) -------------------------------------------


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
