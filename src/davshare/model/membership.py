"""A group's members and roles (SPEC G7, G9, G10): adding, removing, co-admins, handing over.

Every operation takes the requester and checks the rule in ``core.policy`` inside the
transaction that changes the data.
"""

from sqlalchemy import Connection, Engine, delete, insert, update

from davshare.core import policy
from davshare.model import activity, groups, members_book, quotas, sharing
from davshare.model.db import write_transaction
from davshare.model.errors import AlreadyExists, InvalidInput, NotFound, StateConflict
from davshare.model.tables import group_members


def add_member(engine: Engine, login: str, name: str, member: str) -> None:
    """Add an existing account as a member (invitations come on top of this, G3, G7)."""
    member = member.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, who = groups.member_context(conn, name, login)
        if not policy.can_manage_members(role, who):
            raise groups.refuse("only the group's admin and co-admins add members")
        if not groups.requester(conn, member).login:
            raise NotFound(f"no account {member}")
        insert_member(conn, group_id, member)


def insert_member(conn: Connection, group_id: int, member: str) -> None:
    """Make ``member`` a plain member, within the admin's plan (A4); refreshes the members' book.

    Adding, accepting an invitation and joining from the directory all come here.
    """
    if groups.role_of(conn, group_id, member) is not None:
        raise AlreadyExists(f"{member} is a member already")
    quotas.check_member_room(conn, group_id)
    conn.execute(
        insert(group_members).values(group_id=group_id, login=member, role=policy.Role.MEMBER)
    )
    members_book.refresh(conn, group_id)
    activity.on_member(conn, group_id, member, "joined", member)


def remove_member(
    engine: Engine, login: str, name: str, member: str, withdraw_shares: bool = False
) -> list[sharing.Share]:
    """Remove a member, or leave when ``member`` is oneself; what they added stays (G7, G9).

    Returns what the member shared with the group or its members (G11); with
    ``withdraw_shares`` those shares are withdrawn in the same step.
    """
    member = member.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, who = groups.member_context(conn, name, login)
        target = groups.role_of(conn, group_id, member)
        if target is None:
            raise NotFound(f"{member} is not a member of {name}")
        if member == login and target == policy.Role.ADMIN:
            raise StateConflict(
                "the admin cannot leave the group: hand the admin role to a member first",
                "admin_must_hand_over",
            )
        if member != login and not policy.can_remove_member(role, who, target):
            raise groups.refuse(f"you may not remove {member} ({target}) from the group")
        given = sharing.shares_reaching_group(conn, member, group_id)
        if withdraw_shares and member == login:
            sharing.withdraw(conn, member, given)
        conn.execute(
            delete(group_members).where(
                group_members.c.group_id == group_id, group_members.c.login == member
            )
        )
        members_book.refresh(conn, group_id)
        activity.on_member(conn, group_id, member, "left", login)
        return given


def remove_all_members(engine: Engine, login: str, name: str) -> int:
    """Remove every member but the admin (G7); returns how many were removed."""
    with write_transaction(engine) as conn:
        group_id, role, who = groups.member_context(conn, name, login)
        if role != policy.Role.ADMIN and not who.server_admin:
            raise groups.refuse("only the group's admin removes all members")
        result = conn.execute(
            delete(group_members).where(
                group_members.c.group_id == group_id, group_members.c.role != policy.Role.ADMIN
            )
        )
        members_book.refresh(conn, group_id)
        return int(result.rowcount)


def set_role(engine: Engine, login: str, name: str, member: str, new_role: str) -> None:
    """Appoint or revoke a co-admin (the admin only, G10); specific grants are kept."""
    member = member.strip().lower()
    if new_role not in (policy.Role.COADMIN, policy.Role.MEMBER):
        raise InvalidInput(
            "the role must be 'coadmin' or 'member' (hand over 'admin' with transfer)"
        )
    with write_transaction(engine) as conn:
        group_id, role, who = groups.member_context(conn, name, login)
        if not policy.can_appoint_coadmins(role, who):
            raise groups.refuse("only the group's admin appoints and revokes co-admins")
        target = groups.role_of(conn, group_id, member)
        if target is None:
            raise NotFound(f"{member} is not a member of {name}")
        if target == policy.Role.ADMIN:
            raise InvalidInput("the admin's role changes only by handing it over to a member")
        conn.execute(
            update(group_members)
            .where(group_members.c.group_id == group_id, group_members.c.login == member)
            .values(role=new_role)
        )
        action = "granted" if new_role == policy.Role.COADMIN else "revoked"
        activity.on_member(conn, group_id, f"{member}: coadmin", action, login)


def transfer_admin(engine: Engine, login: str, name: str, member: str) -> None:
    """Hand the admin role to a member; the former admin stays as a co-admin (G9)."""
    member = member.strip().lower()
    with write_transaction(engine) as conn:
        group_id, role, _ = groups.member_context(conn, name, login)
        if role != policy.Role.ADMIN:
            raise groups.refuse("only the group's admin hands over the admin role")
        if groups.role_of(conn, group_id, member) is None:
            raise NotFound(f"{member} is not a member of {name}: add them first")
        quotas.check_new_admin(conn, group_id, member)  # SPEC A4: the group's caps follow
        where = group_members.c.group_id == group_id
        conn.execute(
            update(group_members)
            .where(where, group_members.c.login == login)
            .values(role=policy.Role.COADMIN)
        )
        conn.execute(
            update(group_members)
            .where(where, group_members.c.login == member)
            .values(role=policy.Role.ADMIN)
        )
        activity.on_member(conn, group_id, f"{member}: admin", "granted", login)
