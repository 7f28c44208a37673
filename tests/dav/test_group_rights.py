"""Who may do what to a group's contacts, events and tasks (SPEC R1-R5, R7, A2, G7).

A table over real HTTP: each role reaches the group's collections through the
mount in its own home, as its DAV client does; every refusal is a 403 naming
the missing privilege, and nothing changed.
"""

import uuid

import pytest

from tests.support.api import ApiClient
from tests.support.dav import need_privilege, put, vcard, vevent, vtodo

ROLES = [
    "admin",
    "coadmin",
    "member",
    "member_add",
    "member_add_delete",
    "item_editor",
    "former",
    "outsider",
    "read_only",
]
TOOLS = ["contacts", "calendar", "tasks"]
GRANTS = {
    "member_add": "add",
    "member_add_delete": "add_delete",
    "creator": "add",
    "read_only": "add_delete",
}

# role -> (read, create, modify own, modify another's, delete own, delete another's); None: not applicable
OK, NO, GONE = "ok", "no", "gone"
EXPECTED = {
    "admin": (OK, OK, OK, NO, OK, OK),
    "coadmin": (OK, OK, OK, NO, OK, OK),
    "member": (OK, NO, None, NO, None, NO),
    "member_add": (OK, OK, OK, NO, NO, NO),
    "member_add_delete": (OK, OK, OK, NO, OK, OK),
    "item_editor": (OK, NO, None, OK, None, NO),
    "former": (GONE, GONE, None, GONE, None, GONE),
    "outsider": (GONE, GONE, None, GONE, None, GONE),
    "read_only": (OK, NO, None, NO, None, NO),
}
OPERATIONS = ["read", "create", "modify_own", "modify_other", "delete_own", "delete_other"]


class Team:
    """A group with one account per role."""

    def __init__(self, server):
        self.server = server
        self.logins = {
            role: server.new_user(profile="read_only" if role == "read_only" else "add_delete")
            for role in [*ROLES, "creator"]
        }
        self.name = f"team-{uuid.uuid4().hex[:8]}"
        admin = self.api("admin")
        admin.ok("POST", "/groups", {"name": self.name, "description": "Seed 001's team"})
        for role, login in self.logins.items():
            if role not in ("admin", "outsider"):
                admin.ok("POST", f"/groups/{self.name}/members", {"login": login})
        admin.ok(
            "PUT", f"/groups/{self.name}/members/{self.logins['coadmin']}/role", {"role": "coadmin"}
        )
        for tool in TOOLS:
            for role, rights in GRANTS.items():
                admin.ok(
                    "PUT",
                    f"/groups/{self.name}/collections/{tool}/grants/{self.logins[role]}",
                    {"rights": rights},
                )
        admin.ok("DELETE", f"/groups/{self.name}/members/{self.logins['former']}")

    def api(self, role):
        return ApiClient(self.server.url, self.server.session(self.logins[role]))

    def session(self, role):
        return self.server.session(self.logins[role])

    def url(self, role, tool, href=""):
        return f"{self.server.url}/{self.logins[role]}/{tool}@{self.name}/{href}"


@pytest.fixture(scope="module")
def team(server):
    return Team(server)


def _text(tool, uid, summary):
    return {"contacts": vcard, "calendar": vevent, "tasks": vtodo}[tool](uid, summary)


def _href(tool):
    return f"{uuid.uuid4().hex}.{'vcf' if tool == 'contacts' else 'ics'}"


def _create(team, role, tool, href):
    response = put(
        team.session(role), team.url(role, tool, href), _text(tool, href[:-4], f"by {role}")
    )
    assert response.status_code == 201, response.text


def _admin_view(team, tool, href):
    response = team.session("admin").get(team.url("admin", tool, href))
    return response.status_code, response.text


def _assert_refused(response, expected, privilege):
    if expected == GONE:
        assert response.status_code in (403, 404), response.text
    else:
        assert response.status_code == 403, response.text
        assert need_privilege(response) == privilege


CASES = [
    (role, op, tool)
    for role in ROLES
    for op, expected in zip(OPERATIONS, EXPECTED[role], strict=True)
    if expected is not None
    for tool in TOOLS
]


@pytest.mark.parametrize(("role", "operation", "tool"), CASES)
def test_r1_to_r5_group_item_rights(team, role, operation, tool):
    expected = EXPECTED[role][OPERATIONS.index(operation)]
    session, href = team.session(role), _href(tool)
    url = team.url(role, tool, href)
    own = operation.endswith("_own")
    if operation != "create":
        _create(team, role if own else "creator", tool, href)
    if operation == "modify_other" and role == "item_editor":
        team.api("creator").ok(
            "PUT",
            f"/groups/{team.name}/collections/{tool}/items/{href}/editors/"
            f"{team.logins['item_editor']}",
        )
    before = _admin_view(team, tool, href)

    if operation == "read":
        response = session.get(url)
        if expected == OK:
            assert response.status_code == 200 and "BEGIN:" in response.text
        else:
            assert response.status_code in (403, 404) and "BEGIN:" not in response.text
        return
    if operation == "create":
        response = put(session, url, _text(tool, href[:-4], "new"))
        privilege, success = "bind", 201
    elif operation.startswith("modify"):
        response = put(session, url, _text(tool, href[:-4], f"changed by {role}"))
        privilege, success = "write-content", 204
    else:
        response = session.delete(url)
        privilege, success = "unbind", 200

    if expected == OK:
        assert response.status_code == success, response.text
        assert _admin_view(team, tool, href) != before
    else:
        _assert_refused(response, expected, privilege)
        assert _admin_view(team, tool, href) == before


def test_r5_admin_deletes_but_cannot_edit_members_contact(team):
    href = _href("contacts")
    _create(team, "creator", "contacts", href)
    edit = put(
        team.session("admin"), team.url("admin", "contacts", href), vcard(href[:-4], "Admin edit")
    )
    assert edit.status_code == 403 and need_privilege(edit) == "write-content"
    assert "ask its creator" in edit.text
    assert team.session("admin").delete(team.url("admin", "contacts", href)).status_code == 200


def test_r4_creator_grants_edit_to_all_members(team):
    href = _href("contacts")
    _create(team, "creator", "contacts", href)
    path = f"/groups/{team.name}/collections/contacts/items/{href}/editors"
    assert (
        team.api("member").call("PUT", f"{path}/*").status_code == 403
    )  # only the creator decides
    team.api("creator").ok("PUT", f"{path}/*")
    assert team.api("member").ok("GET", path) == {
        "creator": team.logins["creator"],
        "editors": ["*"],
    }
    response = put(
        team.session("member"),
        team.url("member", "contacts", href),
        vcard(href[:-4], "Member edit"),
    )
    assert response.status_code == 204
    team.api("creator").ok("DELETE", f"{path}/*")
    response = put(
        team.session("member"), team.url("member", "contacts", href), vcard(href[:-4], "Again")
    )
    assert response.status_code == 403


def test_r3_grant_to_all_members_includes_members_who_join_later(team, server):
    admin = team.api("admin")
    admin.ok("PUT", f"/groups/{team.name}/collections/tasks/grants/*", {"rights": "add"})
    newcomer = server.new_user()
    admin.ok("POST", f"/groups/{team.name}/members", {"login": newcomer})
    url = f"{server.url}/{newcomer}/tasks@{team.name}/{_href('tasks')}"
    assert (
        put(server.session(newcomer), url, vtodo(uuid.uuid4().hex, "Late joiner")).status_code
        == 201
    )
    admin.ok("DELETE", f"/groups/{team.name}/collections/tasks/grants/*")
    assert (
        put(
            server.session(newcomer), url.replace(".ics", "x.ics"), vtodo("y", "No more")
        ).status_code
        == 403
    )


def test_creator_is_recorded_by_the_server_not_taken_from_the_data(team):
    href = _href("contacts")
    forged = vcard(href[:-4], "Forged", extra=f"X-DAVSHARE-CREATOR:{team.logins['admin']}")
    assert (
        put(team.session("creator"), team.url("creator", "contacts", href), forged).status_code
        == 201
    )
    editors = team.api("admin").ok(
        "GET", f"/groups/{team.name}/collections/contacts/items/{href}/editors"
    )
    assert editors["creator"] == team.logins["creator"]


# role -> (change rights, change settings, appoint co-admin, delete group): expected HTTP status
MANAGEMENT = {
    "admin": (200, 200, 200, 409),  # deleting needs the other members gone first (G8)
    "coadmin": (200, 403, 403, 403),
    "member": (403, 403, 403, 403),
    "member_add": (403, 403, 403, 403),
    "member_add_delete": (403, 403, 403, 403),
    "item_editor": (403, 403, 403, 403),
    "read_only": (403, 403, 403, 403),
    "former": (404, 404, 404, 404),  # non-members do not learn that the group exists
    "outsider": (404, 404, 404, 404),
}


@pytest.mark.parametrize("role", list(MANAGEMENT))
def test_g6_g8_g10_r3_who_manages_the_group(team, role):
    api = team.api(role)
    group = f"/groups/{team.name}"
    before = team.api("admin").ok("GET", group)
    statuses = (
        api.call(
            "PUT", f"{group}/collections/calendar/grants/{team.logins['member']}", {"rights": "add"}
        ).status_code,
        api.call("PATCH", group, {"description": f"changed by {role}"}).status_code,
        api.call(
            "PUT", f"{group}/members/{team.logins['member']}/role", {"role": "coadmin"}
        ).status_code,
        api.call("DELETE", group, confirm=team.name).status_code,
    )
    assert statuses == MANAGEMENT[role]
    admin = team.api("admin")
    admin.call("DELETE", f"{group}/collections/calendar/grants/{team.logins['member']}")
    admin.ok("PUT", f"{group}/members/{team.logins['member']}/role", {"role": "member"})
    admin.ok("PATCH", group, {"description": before["description"]})
    if MANAGEMENT[role][0] != 200:
        after = admin.ok("GET", f"{group}/collections/calendar/grants")["grants"]
        assert all(g["grantee"] != team.logins["member"] for g in after)
