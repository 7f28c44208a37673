"""Plans and quotas (SPEC A4): what an account may create and store, and what it uses.

Usage is summed from the stored items each time it is needed, so it stays
exact after deletions, imports and moves; it is only computed when a cap exists.
"""

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, LargeBinary, cast, delete, func, insert, select, update
from sqlalchemy.sql.elements import ColumnElement

from davshare.core import policy
from davshare.model import members_book
from davshare.model.db import is_sqlite, read_transaction, write_transaction
from davshare.model.errors import AlreadyExists, InvalidInput, NotFound, PlanLimit, QuotaExceeded
from davshare.model.service_tables import plans
from davshare.model.tables import collections, group_members, groups, items, users

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LIMITS = ("max_groups", "max_members", "group_storage", "personal_storage")


@dataclass(frozen=True)
class Plan:
    """A plan's caps; None means no cap. ``name`` "" is the absence of a plan."""

    name: str = ""
    max_groups: int | None = None
    max_members: int | None = None
    group_storage: int | None = None
    personal_storage: int | None = None

    def describe(self) -> str:
        """How the plan is named in messages."""
        return f"the plan {self.name!r}" if self.name else "no plan"


NO_PLAN = Plan()


def _plan(row: object) -> Plan:
    return Plan(**{k: getattr(row, k) for k in ("name", *LIMITS)})


def set_plan(engine: Engine, name: str, **limits: int | None) -> Plan:
    """Create or replace a plan (the server admin's)."""
    name = name.strip().lower()
    if not _NAME_RE.match(name):
        raise InvalidInput(f"{name!r} cannot be a plan name: use a-z, 0-9, '-' or '_'")
    unknown = set(limits) - set(LIMITS)
    if unknown:
        raise InvalidInput(
            f"unknown limit(s) {', '.join(sorted(unknown))}: use {', '.join(LIMITS)}"
        )
    for key, value in limits.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            raise InvalidInput(f"{key} must be a whole number of at least 0, or null (no cap)")
    with write_transaction(engine) as conn:
        values = {k: limits.get(k) for k in LIMITS}
        if conn.execute(update(plans).where(plans.c.name == name).values(values)).rowcount == 0:
            conn.execute(insert(plans).values(name=name, **values))
    return Plan(name, **values)


def list_plans(engine: Engine) -> list[Plan]:
    """Every plan, by name."""
    with read_transaction(engine) as conn:
        return [_plan(row) for row in conn.execute(select(plans).order_by(plans.c.name))]


def remove_plan(engine: Engine, name: str) -> None:
    """Remove a plan no account has."""
    name = name.strip().lower()
    with write_transaction(engine) as conn:
        holders = conn.scalar(select(func.count()).where(users.c.plan == name))
        if holders:
            raise AlreadyExists(
                f"{holders} account(s) have the plan {name!r}: assign another first"
            )
        if conn.execute(delete(plans).where(plans.c.name == name)).rowcount == 0:
            raise NotFound(f"no plan {name!r}")


def assign_plan(engine: Engine, login: str, name: str | None) -> None:
    """Give an account a plan (None: no caps)."""
    login = login.strip().lower()
    with write_transaction(engine) as conn:
        if name is not None:
            name = name.strip().lower()
            if conn.scalar(select(plans.c.id).where(plans.c.name == name)) is None:
                raise NotFound(f"no plan {name!r}")
        if (
            conn.execute(update(users).where(users.c.login == login).values(plan=name)).rowcount
            == 0
        ):
            raise NotFound(f"no account {login}")


def plan_of(conn: Connection, login: str) -> Plan:
    """The plan capping ``login`` (NO_PLAN when none is assigned)."""
    row = conn.execute(
        select(plans).join(users, users.c.plan == plans.c.name).where(users.c.login == login)
    ).first()
    return _plan(row) if row is not None else NO_PLAN


def _admin_of(conn: Connection, group_id: int) -> str:
    admin = conn.scalar(
        select(group_members.c.login).where(
            group_members.c.group_id == group_id, group_members.c.role == policy.Role.ADMIN
        )
    )
    return str(admin or "")


def _size(conn: Connection) -> ColumnElement[int]:
    """An item's size in bytes, in SQL (SQLite's length() of text counts characters)."""
    if is_sqlite(conn):
        return func.length(cast(items.c.text, LargeBinary))
    return func.octet_length(items.c.text)


def group_usage(conn: Connection, group_id: int) -> int:
    """Bytes stored in a group's collections (not the members' book, which the server keeps)."""
    counted = select(collections.c.id).where(
        collections.c.group_id == group_id,
        collections.c.path.not_like(f"%/{members_book.NAME}"),
    )
    query = select(func.coalesce(func.sum(_size(conn)), 0)).where(
        items.c.collection_id.in_(counted)
    )
    return int(conn.scalar(query) or 0)


def personal_usage(conn: Connection, login: str) -> int:
    """Bytes stored in an account's own collections."""
    mine = select(collections.c.id).where(
        collections.c.owner == login, collections.c.group_id.is_(None)
    )
    query = select(func.coalesce(func.sum(_size(conn)), 0)).where(items.c.collection_id.in_(mine))
    return int(conn.scalar(query) or 0)


def groups_administered(conn: Connection, login: str) -> int:
    """How many groups ``login`` is the admin of (what "groups one may create" counts)."""
    return int(
        conn.scalar(
            select(func.count()).where(
                group_members.c.login == login, group_members.c.role == policy.Role.ADMIN
            )
        )
        or 0
    )


def members_of(conn: Connection, group_id: int) -> int:
    """How many members a group has, its admin included."""
    return int(conn.scalar(select(func.count()).where(group_members.c.group_id == group_id)) or 0)


def check_group_creation(conn: Connection, login: str) -> None:
    """Refuse a new group beyond the groups ``login``'s plan allows."""
    plan = plan_of(conn, login)
    if not policy.within(plan.max_groups, groups_administered(conn, login) + 1):
        raise PlanLimit(
            f"{plan.describe()} allows {plan.max_groups} group(s) and you administer that many: "
            "delete one or hand it over, or ask the server admin for a larger plan"
        )


def check_member_room(conn: Connection, group_id: int) -> None:
    """Refuse a new member beyond what the group's admin's plan allows."""
    plan = plan_of(conn, _admin_of(conn, group_id))
    if not policy.within(plan.max_members, members_of(conn, group_id) + 1):
        raise PlanLimit(
            f"the group is full: its admin's plan allows {plan.max_members} member(s), "
            "admin included; remove a member or ask the admin to get a larger plan"
        )


def check_new_admin(conn: Connection, group_id: int, login: str) -> None:
    """Refuse handing a group to someone whose plan cannot hold it (SPEC A4, G9)."""
    plan = plan_of(conn, login)
    problems = []
    if not policy.within(plan.max_members, members_of(conn, group_id)):
        problems.append(f"it allows {plan.max_members} member(s)")
    if not policy.within(plan.group_storage, group_usage(conn, group_id)):
        problems.append(f"it allows {plan.group_storage} bytes of group storage")
    if not policy.within(plan.max_groups, groups_administered(conn, login) + 1):
        problems.append(f"it allows administering {plan.max_groups} group(s)")
    if problems:
        raise PlanLimit(
            f"{login} cannot become the admin: the group would exceed their plan "
            f"({plan.describe()}): {'; '.join(problems)}"
        )


def storage_of(conn: Connection, collection_id: int) -> tuple[int | None, int]:
    """(limit or None, bytes used) of the space a collection counts against."""
    row = conn.execute(
        select(collections.c.owner, collections.c.group_id).where(collections.c.id == collection_id)
    ).first()
    if row is None:
        return None, 0
    if row.group_id is not None:
        plan = plan_of(conn, _admin_of(conn, row.group_id))
        limit = plan.group_storage
        return limit, group_usage(conn, row.group_id) if limit is not None else 0
    limit = plan_of(conn, row.owner).personal_storage
    return limit, personal_usage(conn, row.owner) if limit is not None else 0


def check_storage(conn: Connection, collection_id: int, href: str, size: int) -> None:
    """Refuse storing ``size`` bytes at ``href`` beyond the storage allowed (its old text freed)."""
    limit, used = storage_of(conn, collection_id)
    if limit is None:
        return
    replaced = conn.scalar(
        select(_size(conn)).where(items.c.collection_id == collection_id, items.c.href == href)
    )
    used -= int(replaced or 0)
    if not policy.within(limit, used + size):
        raise QuotaExceeded(limit, used, size)


def check_written(conn: Connection, collection_id: int) -> None:
    """Refuse (and so undo) what this transaction wrote into a collection if its space is
    now beyond the storage allowed."""
    limit, used = storage_of(conn, collection_id)
    if limit is not None and not policy.within(limit, used):
        written = int(
            conn.scalar(
                select(func.coalesce(func.sum(_size(conn)), 0)).where(
                    items.c.collection_id == collection_id
                )
            )
            or 0
        )
        raise QuotaExceeded(limit, used - written, written)


def check_move(conn: Connection, from_id: int, to_id: int, href: str, size: int) -> None:
    """Refuse a move into another space (personal, a group's) that cannot hold it (SPEC A4)."""
    if _space(conn, from_id) != _space(conn, to_id):
        check_storage(conn, to_id, href, size)


def _space(conn: Connection, collection_id: int) -> tuple[str, str]:
    row = conn.execute(
        select(collections.c.owner, collections.c.group_id).where(collections.c.id == collection_id)
    ).first()
    if row is None:
        return ("", "")
    return ("group", str(row.group_id)) if row.group_id is not None else ("user", row.owner)


def usage_report(engine: Engine, collection_id: int) -> tuple[int, int | None]:
    """(bytes used, bytes available or None) for a collection's space (RFC 4331)."""
    with read_transaction(engine) as conn:
        row = conn.execute(
            select(collections.c.owner, collections.c.group_id).where(
                collections.c.id == collection_id
            )
        ).first()
        if row is None:
            return 0, None
        if row.group_id is not None:
            used = group_usage(conn, row.group_id)
            limit = plan_of(conn, _admin_of(conn, row.group_id)).group_storage
        else:
            used = personal_usage(conn, row.owner)
            limit = plan_of(conn, row.owner).personal_storage
    return used, None if limit is None else max(0, limit - used)


@dataclass(frozen=True)
class AccountQuota:
    """An account's plan and what it uses of it."""

    plan: Plan
    groups: int
    personal_used: int


def account_quota(engine: Engine, login: str) -> AccountQuota:
    """The plan of ``login`` with its groups and its personal storage used."""
    with read_transaction(engine) as conn:
        if conn.scalar(select(users.c.id).where(users.c.login == login)) is None:
            raise NotFound(f"no account {login}")
        return AccountQuota(
            plan_of(conn, login), groups_administered(conn, login), personal_usage(conn, login)
        )


def group_quota(engine: Engine, group_id: int) -> tuple[Plan, int, int]:
    """(the admin's plan, members, bytes used) of a group."""
    with read_transaction(engine) as conn:
        return (
            plan_of(conn, _admin_of(conn, group_id)),
            members_of(conn, group_id),
            group_usage(conn, group_id),
        )


def group_id_of(engine: Engine, name: str) -> int:
    """The id of the group named ``name``."""
    with read_transaction(engine) as conn:
        found = conn.scalar(select(groups.c.id).where(groups.c.name == name.strip().lower()))
    if found is None:
        raise NotFound(f"no group {name!r}")
    return int(found)
