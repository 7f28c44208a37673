"""The group directory and joining (SPEC G12): settings, search, join, join requests.

Private (unpublished) groups never appear and cannot be asked for, not even by
exact name: to anyone but their members they do not exist.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from davshare.core import policy
from davshare.model import groups, invitations, mail_outbox, mail_templates, membership
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import AlreadyExists, InvalidInput, NotAllowed, NotFound
from davshare.model.service_tables import join_requests
from davshare.model.tables import group_members, users
from davshare.model.tables import groups as groups_table

SETTINGS = ("published", "members_published", "open", "activity", "sector", "language")
MAX_RESULTS = 50


@dataclass(frozen=True)
class Listing:
    """A group as the directory shows it."""

    name: str
    description: str
    activity: str
    sector: str
    language: str
    join: str
    members: list[str] | None


def settings_of(engine: Engine, login: str, name: str) -> dict[str, Any]:
    """The group's directory settings (its members see them)."""
    with read_transaction(engine) as conn:
        group_id, _, _ = groups.member_context(conn, name, login)
        row = conn.execute(select(groups_table).where(groups_table.c.id == group_id)).one()
    return {key: getattr(row, key) for key in SETTINGS}


def _check(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise InvalidInput(f"unknown setting(s) {', '.join(sorted(unknown))}: use {SETTINGS}")
    for key in ("published", "members_published", "open"):
        if key in values and not isinstance(values[key], bool):
            raise InvalidInput(f"{key} must be true or false")
    for key in ("activity", "sector", "language"):
        if key in values and not isinstance(values[key], str):
            raise InvalidInput(f"{key} must be a string")
    activity = values.get("activity")
    if activity and activity not in policy.ACTIVITIES:
        raise InvalidInput(f"activity must be one of {', '.join(policy.ACTIVITIES)} (or empty)")
    return {k: v.strip().lower() if isinstance(v, str) else v for k, v in values.items()}


def update_settings(engine: Engine, login: str, name: str, **values: Any) -> dict[str, Any]:
    """Change the directory settings: the admin only (G6); open only when published (G1)."""
    values = _check(values)
    with write_transaction(engine) as conn:
        group_id, role, who = groups.member_context(conn, name, login)
        if not policy.can_change_settings(role, who):
            raise NotAllowed("only the group's admin changes its settings")
        row = conn.execute(select(groups_table).where(groups_table.c.id == group_id)).one()
        merged = {**{k: getattr(row, k) for k in SETTINGS}, **values}
        if merged["open"] and not merged["published"]:
            raise InvalidInput("only a group published in the directory can be open")
        conn.execute(update(groups_table).where(groups_table.c.id == group_id).values(merged))
    return merged


def _listing(conn: Connection, row: Any) -> Listing:
    members = None
    if row.members_published:
        query = select(group_members.c.login).where(group_members.c.group_id == row.id)
        members = [m for (m,) in conn.execute(query.order_by(group_members.c.login))]
    mode = policy.join_mode(bool(row.published), bool(row.open))
    return Listing(
        row.name, row.description, row.activity, row.sector, row.language, mode.value, members
    )


def search(engine: Engine, name: str, **criteria: str) -> list[Listing]:
    """Published groups matching at least two of name part, activity, sector and
    language (G12; the name is optional)."""
    problem = policy.directory_query_problem(name, criteria)
    if problem:
        raise InvalidInput(problem)
    query = select(groups_table).where(groups_table.c.published.is_(True))
    if name.strip():
        query = query.where(groups_table.c.name.contains(name.strip().lower(), autoescape=True))
    for key in policy.DIRECTORY_CRITERIA:
        value = criteria.get(key, "").strip().lower()
        if value:
            query = query.where(groups_table.c[key] == value)
    with read_transaction(engine) as conn:
        rows = conn.execute(query.order_by(groups_table.c.name).limit(MAX_RESULTS)).all()
        return [_listing(conn, row) for row in rows]


def _published(conn: Connection, name: str) -> Any:
    row = conn.execute(
        select(groups_table).where(groups_table.c.name == name.strip().lower())
    ).first()
    if row is None or not row.published:
        raise NotFound(f"no group {name!r} in the directory")
    return row


def _managers(conn: Connection, group_id: int) -> list[str]:
    query = select(group_members.c.login).where(
        group_members.c.group_id == group_id,
        group_members.c.role.in_([policy.Role.ADMIN, policy.Role.COADMIN]),
    )
    return [login for (login,) in conn.execute(query)]


def _tell(conn: Connection, recipient: str, kind: str, link: str = "", **fields: str) -> None:
    language = invitations.language_of(conn, recipient)
    subject, body = mail_templates.render(kind, language, link=link, **fields)
    mail_outbox.enqueue(conn, recipient, subject, body, link)


def join(engine: Engine, login: str, name: str, message: str = "") -> str:
    """Join a published group: at once when open ("joined"), else a request ("requested")."""
    with write_transaction(engine) as conn:
        row = _published(conn, name)
        if groups.role_of(conn, row.id, login) is not None:
            raise AlreadyExists(f"you are a member of {row.name} already")
        if policy.join_mode(True, bool(row.open)) == policy.JoinMode.AT_ONCE:
            membership.insert_member(conn, row.id, login)
            return "joined"
        where = (join_requests.c.group_id == row.id) & (join_requests.c.login == login)
        if conn.scalar(select(join_requests.c.id).where(where)) is not None:
            raise AlreadyExists(f"you asked to join {row.name} already: the admin will answer")
        conn.execute(insert(join_requests).values(group_id=row.id, login=login, message=message))
        link = invitations.api_url(f"/groups/{row.name}/join-requests")
        for manager in _managers(conn, row.id):
            _tell(
                conn,
                manager,
                "join_request",
                link,
                requester=login,
                group=row.name,
                message=message,
            )
        return "requested"


def _manager_group(conn: Connection, login: str, name: str) -> int:
    group_id, role, who = groups.member_context(conn, name, login)
    if not policy.can_manage_members(role, who):
        raise NotAllowed("only the group's admin and co-admins answer join requests")
    return group_id


def requests_of(engine: Engine, login: str, name: str) -> list[tuple[str, str]]:
    """The pending join requests of a group: (login, message)."""
    with read_transaction(engine) as conn:
        group_id = _manager_group(conn, login, name)
        query = select(join_requests.c.login, join_requests.c.message).where(
            join_requests.c.group_id == group_id
        )
        return [(r.login, r.message) for r in conn.execute(query.order_by(join_requests.c.login))]


def answer(engine: Engine, login: str, name: str, requester: str, accepted: bool) -> None:
    """Accept (the requester becomes a member) or decline a join request; the requester is told."""
    requester = requester.strip().lower()
    with write_transaction(engine) as conn:
        group_id = _manager_group(conn, login, name)
        where = (join_requests.c.group_id == group_id) & (join_requests.c.login == requester)
        if conn.scalar(select(join_requests.c.id).where(where)) is None:
            raise NotFound(f"{requester} has no pending request to join {name}")
        if accepted and conn.scalar(select(users.c.id).where(users.c.login == requester)):
            membership.insert_member(conn, group_id, requester)
        conn.execute(delete(join_requests).where(where))
        kind = "join_accepted" if accepted else "join_declined"
        _tell(conn, requester, kind, group=name.strip().lower())
