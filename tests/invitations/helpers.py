"""Small helpers shared by the invitation tests."""

import uuid

from sqlalchemy import func, select

from davshare.model.service_tables import invitations, join_requests, mail_outbox
from davshare.model.tables import group_members, groups
from tests.support.api import ApiClient


def api(server, login):
    return ApiClient(server.url, server.session(login))


def new_group(server, admin, **settings):
    name = f"g{uuid.uuid4().hex[:8]}"
    api(server, admin).ok("POST", "/groups", {"name": name})
    if settings:
        api(server, admin).ok("PATCH", f"/groups/{name}/directory", settings)
    return name


def members(server, name):
    with server.engine.connect() as conn:
        query = (
            select(group_members.c.login, group_members.c.role)
            .join(groups)
            .where(groups.c.name == name)
        )
        return dict(conn.execute(query).all())


def counts(server):
    """Rows of the tables a refusal must not change."""
    with server.engine.connect() as conn:
        return {
            table.name: conn.scalar(select(func.count()).select_from(table))
            for table in (group_members, invitations, join_requests, mail_outbox, groups)
        }
