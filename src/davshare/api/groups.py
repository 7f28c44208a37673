"""API handlers for groups, members, roles and rights (SPEC G1-G10, R3, R4)."""

from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.api.sharing import share_json
from davshare.model import accounts, group_rights, groups, membership
from davshare.model.errors import InvalidInput

NO_CONTENT = HTTPStatus.NO_CONTENT


def _group_json(call: Call, group: groups.Group) -> dict[str, Any]:
    my_role = next((m.role for m in group.members if m.login == call.login), None)
    return {
        "name": group.name,
        "description": group.description,
        "my_role": my_role,
        "members": [
            {"login": m.login, "role": m.role, "display_name": m.display_name}
            for m in group.members
        ],
        "collections": [
            {
                "name": c.name,
                "kind": c.kind,
                "display_name": c.display_name,
                # The collection as it appears in the caller's own home (SPEC S3).
                "url": f"{call.base_url()}/{call.login}/{c.name}@{group.name}/"
                if my_role
                else None,
            }
            for c in group.collections
        ],
    }


def _done() -> Response:
    return Response(status=NO_CONTENT)


def me(call: Call) -> Response:
    """The caller's account, with what fellow group members see of it."""
    account = accounts.get_user(call.engine, call.login)
    return json_response(
        {
            "login": account.login,
            "profile": account.profile,
            "server_admin": account.is_server_admin,
            "home_url": f"{call.base_url()}/{account.login}/",
            **accounts.card_of(call.engine, call.login),
        }
    )


def update_me(call: Call) -> Response:
    """Change what fellow group members see: names, organisation, photo (a data: URI)."""
    body = call.body()
    accounts.update_card(call.engine, call.login, **{k: call.field(k) for k in body})
    return me(call)


def list_groups(call: Call) -> Response:
    """The caller's groups (every group for a server admin)."""
    found = groups.list_groups(call.engine, call.login)
    return json_response(
        {"groups": [{"name": name, "my_role": role or None} for name, role in found]}
    )


def create_group(call: Call) -> Response:
    """Create a group; the caller becomes its admin."""
    group = groups.create_group(
        call.engine, call.login, call.field("name"), call.field("description", "")
    )
    return json_response(_group_json(call, group), HTTPStatus.CREATED)


def show_group(call: Call, name: str) -> Response:
    """A group as its members see it."""
    return json_response(_group_json(call, groups.get_group(call.engine, call.login, name)))


def update_group(call: Call, name: str) -> Response:
    """Change the settings (admin only); the name never changes."""
    body = call.body()
    if "name" in body and str(body["name"]).lower() != name.lower():
        raise InvalidInput("a group's name never changes: create a new group instead")
    groups.update_settings(call.engine, call.login, name, description=call.field("description"))
    return show_group(call, name)


def delete_group(call: Call, name: str) -> Response:
    """Delete a group and all its content; ``confirm`` must repeat its name."""
    confirm = call.request.args.get("confirm") or str(call.body().get("confirm", ""))
    groups.delete_group(call.engine, call.login, name, confirm)
    return _done()


def add_member(call: Call, name: str) -> Response:
    """Add an existing account as a member."""
    membership.add_member(call.engine, call.login, name, call.field("login"))
    return show_group(call, name)


def remove_member(call: Call, name: str, login: str) -> Response:
    """Remove a member, or leave the group when ``login`` is the caller.

    The answer lists what the member shared with the group or its members;
    ``withdraw_shares=true`` (when leaving) withdraws those shares at once.
    """
    withdraw = call.request.args.get("withdraw_shares", "").lower() in ("1", "true", "yes")
    given = membership.remove_member(call.engine, call.login, name, login, withdraw_shares=withdraw)
    return json_response(
        {
            "removed": login.strip().lower(),
            "shares": [share_json(s) for s in given],
            "shares_withdrawn": withdraw and login.strip().lower() == call.login,
        }
    )


def my_shares(call: Call, name: str) -> Response:
    """What the caller shares with the group or its members (to review before leaving)."""
    return json_response(
        {"shares": [share_json(s) for s in groups.shares_given(call.engine, call.login, name)]}
    )


def remove_all_members(call: Call, name: str) -> Response:
    """Remove every member but the admin."""
    removed = membership.remove_all_members(call.engine, call.login, name)
    return json_response({"removed": removed})


def set_role(call: Call, name: str, login: str) -> Response:
    """Appoint (``coadmin``) or revoke (``member``) a co-admin."""
    membership.set_role(call.engine, call.login, name, login, call.field("role"))
    return show_group(call, name)


def transfer(call: Call, name: str) -> Response:
    """Hand the admin role to a member."""
    membership.transfer_admin(call.engine, call.login, name, call.field("login"))
    return show_group(call, name)


def add_collection(call: Call, name: str) -> Response:
    """Add an address book, calendar or task list to the group."""
    groups.add_collection(
        call.engine,
        call.login,
        name,
        call.field("name"),
        call.field("kind"),
        call.field("display_name", ""),
    )
    return json_response(
        _group_json(call, groups.get_group(call.engine, call.login, name)), HTTPStatus.CREATED
    )


def list_grants(call: Call, name: str, collection: str) -> Response:
    """Who besides admins may add (and delete) in a group collection; "*" is all members."""
    grants = group_rights.list_grants(call.engine, call.login, name, collection)
    return json_response(
        {"grants": [{"grantee": g, "rights": r} for g, r in sorted(grants.items())]}
    )


def grant(call: Call, name: str, collection: str, grantee: str) -> Response:
    """Give ``add`` or ``add_delete`` to a member or to all members ("*")."""
    group_rights.grant_collection(
        call.engine, call.login, name, collection, grantee, call.field("rights")
    )
    return list_grants(call, name, collection)


def revoke(call: Call, name: str, collection: str, grantee: str) -> Response:
    """Take a grant back."""
    group_rights.revoke_collection(call.engine, call.login, name, collection, grantee)
    return _done()


def item_editors(call: Call, name: str, collection: str, href: str) -> Response:
    """Who created an item and who else may modify it."""
    creator, editors = group_rights.item_editors_of(call.engine, call.login, name, collection, href)
    return json_response({"creator": creator, "editors": editors})


def allow_editor(call: Call, name: str, collection: str, href: str, grantee: str) -> Response:
    """The creator lets a member (or "*", all members) modify the item."""
    group_rights.set_item_editor(call.engine, call.login, name, collection, href, grantee, True)
    return item_editors(call, name, collection, href)


def forbid_editor(call: Call, name: str, collection: str, href: str, grantee: str) -> Response:
    """The creator takes the right to modify back."""
    group_rights.set_item_editor(call.engine, call.login, name, collection, href, grantee, False)
    return _done()


GROUP = "/groups/<name>"
COLLECTION = GROUP + "/collections/<collection>"
ITEM = COLLECTION + "/items/<href>"

ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/me", me),
    ("PATCH", "/me", update_me),
    ("GET", "/groups", list_groups),
    ("POST", "/groups", create_group),
    ("GET", GROUP, show_group),
    ("PATCH", GROUP, update_group),
    ("DELETE", GROUP, delete_group),
    ("POST", GROUP + "/members", add_member),
    ("DELETE", GROUP + "/members", remove_all_members),
    ("DELETE", GROUP + "/members/<login>", remove_member),
    ("GET", GROUP + "/my-shares", my_shares),
    ("PUT", GROUP + "/members/<login>/role", set_role),
    ("POST", GROUP + "/transfer", transfer),
    ("POST", GROUP + "/collections", add_collection),
    ("GET", COLLECTION + "/grants", list_grants),
    ("PUT", COLLECTION + "/grants/<grantee>", grant),
    ("DELETE", COLLECTION + "/grants/<grantee>", revoke),
    ("GET", ITEM + "/editors", item_editors),
    ("PUT", ITEM + "/editors/<grantee>", allow_editor),
    ("DELETE", ITEM + "/editors/<grantee>", forbid_editor),
]
