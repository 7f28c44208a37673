"""API handlers for plans and quotas (SPEC A4): the server admin's plans, everyone's usage."""

from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.model import accounts, groups, quotas
from davshare.model.errors import InvalidInput


def _plan(plan: quotas.Plan) -> dict[str, Any]:
    return {"name": plan.name or None, **{key: getattr(plan, key) for key in quotas.LIMITS}}


def list_plans(call: Call) -> Response:
    """Every plan (server admins)."""
    call.require_server_admin("manages plans")
    return json_response({"plans": [_plan(p) for p in quotas.list_plans(call.engine)]})


def put_plan(call: Call, plan: str) -> Response:
    """Create or replace a plan; each cap a JSON number, or null for none (server admins)."""
    call.require_server_admin("manages plans")
    body = call.body()
    return json_response(_plan(quotas.set_plan(call.engine, plan, **body)))


def delete_plan(call: Call, plan: str) -> Response:
    """Remove a plan no account has (server admins)."""
    call.require_server_admin("manages plans")
    quotas.remove_plan(call.engine, plan)
    return Response(status=HTTPStatus.NO_CONTENT)


def assign_plan(call: Call, login: str) -> Response:
    """Give an account a plan, or none with null (server admins)."""
    call.require_server_admin("manages plans")
    plan = call.body().get("plan")
    if plan is not None and not isinstance(plan, str):
        raise InvalidInput("plan must be a plan's name, or null for none")
    quotas.assign_plan(call.engine, login, plan)
    return json_response({"login": accounts.normalize_login(login), "plan": plan})


def my_quota(call: Call) -> Response:
    """The caller's plan, the groups they administer and their personal storage used."""
    quota = quotas.account_quota(call.engine, call.login)
    return json_response(
        {"plan": _plan(quota.plan), "groups": quota.groups, "personal_used": quota.personal_used}
    )


def group_quota(call: Call, name: str) -> Response:
    """A group's caps (its admin's plan), members and storage used (members)."""
    groups.get_group(call.engine, call.login, name)  # 404 to non-members
    plan, members, used = quotas.group_quota(call.engine, quotas.group_id_of(call.engine, name))
    return json_response({"plan": _plan(plan), "members": members, "used": used})


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/plans", list_plans),
    ("PUT", "/plans/<plan>", put_plan),
    ("DELETE", "/plans/<plan>", delete_plan),
    ("PUT", "/accounts/<login>/plan", assign_plan),
    ("GET", "/me/quota", my_quota),
    ("GET", "/groups/<name>/quota", group_quota),
]
