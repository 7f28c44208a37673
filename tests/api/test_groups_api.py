"""Managing a group through the JSON API (SPEC G1, G2, G6-G10, R3)."""

import uuid

import pytest
import requests

from tests.support.api import PREFIX, ApiClient
from tests.support.dav import put, vcard


def _group(server, **extra_members):
    admin = server.new_user()
    name = f"g-{uuid.uuid4().hex[:8]}"
    ApiClient(server.url, server.session(admin)).ok("POST", "/groups", {"name": name})
    logins = {"admin": admin}
    for role in extra_members:
        logins[role] = server.new_user()
        api(server, admin).ok("POST", f"/groups/{name}/members", {"login": logins[role]})
        if extra_members[role] == "coadmin":
            api(server, admin).ok(
                "PUT", f"/groups/{name}/members/{logins[role]}/role", {"role": "coadmin"}
            )
    return name, logins


def api(server, login):
    return ApiClient(server.url, server.session(login))


def test_g1_g2_creator_is_admin_and_group_has_three_collections(server):
    name, logins = _group(server)
    group = api(server, logins["admin"]).ok("GET", f"/groups/{name}")
    assert group["my_role"] == "admin"
    assert [m["role"] for m in group["members"]] == ["admin"]
    kinds = {c["name"]: c["kind"] for c in group["collections"]}
    assert kinds == {
        "contacts": "addressbook",
        "calendar": "calendar",
        "tasks": "tasks",
        "members": "addressbook",
    }
    assert group["collections"][0]["url"].startswith(f"{server.url}/{logins['admin']}/")


def test_g1_group_name_is_unique_and_valid(server):
    name, _ = _group(server)
    other = api(server, server.new_user())
    taken = other.call("POST", "/groups", {"name": name})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "already_exists"
    bad = other.call("POST", "/groups", {"name": "Not a Name!"})
    assert bad.status_code == 400 and "cannot be a group name" in bad.json()["error"]["message"]


def test_g6_only_the_admin_changes_settings_and_never_the_name(server):
    name, logins = _group(server, co="coadmin", plain="member")
    for role in ("co", "plain"):
        refused = api(server, logins[role]).call(
            "PATCH", f"/groups/{name}", {"description": "mine"}
        )
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    admin = api(server, logins["admin"])
    assert (
        admin.ok("PATCH", f"/groups/{name}", {"description": "Sales team"})["description"]
        == "Sales team"
    )
    renamed = admin.call("PATCH", f"/groups/{name}", {"name": "other-name", "description": "x"})
    assert renamed.status_code == 400 and "never changes" in renamed.text
    assert admin.ok("GET", f"/groups/{name}")["name"] == name


def test_g8_group_is_deleted_only_when_alone_and_confirmed(server):
    name, logins = _group(server, plain="member")
    admin = api(server, logins["admin"])
    put(
        server.session(logins["admin"]),
        f"{server.url}/{logins['admin']}/contacts@{name}/a.vcf",
        vcard("a", "A"),
    )
    assert (
        api(server, logins["plain"]).call("DELETE", f"/groups/{name}", confirm=name).status_code
        == 403
    )
    crowded = admin.call("DELETE", f"/groups/{name}", confirm=name)
    assert crowded.status_code == 409 and "remove them first" in crowded.text
    assert crowded.json()["error"]["code"] == "group_has_members"
    admin.ok("DELETE", f"/groups/{name}/members/{logins['plain']}")
    unconfirmed = admin.call("DELETE", f"/groups/{name}")
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.text
    assert admin.call("DELETE", f"/groups/{name}", confirm=name).status_code == 204
    assert admin.call("GET", f"/groups/{name}").status_code == 404
    gone = server.session(logins["admin"]).get(
        f"{server.url}/{logins['admin']}/contacts@{name}/a.vcf"
    )
    assert gone.status_code in (403, 404)


def test_g9_admin_cannot_leave_before_handing_over(server):
    name, logins = _group(server, heir="member")
    admin = api(server, logins["admin"])
    refused = admin.call("DELETE", f"/groups/{name}/members/{logins['admin']}")
    assert refused.status_code == 409 and "hand the admin role" in refused.text
    assert refused.json()["error"]["code"] == "admin_must_hand_over"
    assert (
        api(server, logins["heir"])
        .call("POST", f"/groups/{name}/transfer", {"login": logins["heir"]})
        .status_code
        == 403
    )
    group = admin.ok("POST", f"/groups/{name}/transfer", {"login": logins["heir"]})
    roles = {m["login"]: m["role"] for m in group["members"]}
    assert roles == {logins["heir"]: "admin", logins["admin"]: "coadmin"}
    assert admin.call("DELETE", f"/groups/{name}/members/{logins['admin']}").status_code == 200
    assert admin.call("GET", f"/groups/{name}").status_code == 404


def test_g7_removed_member_loses_access_at_once_and_their_contacts_stay(server):
    name, logins = _group(server, leaver="member")
    admin = api(server, logins["admin"])
    admin.ok(
        "PUT", f"/groups/{name}/collections/contacts/grants/{logins['leaver']}", {"rights": "add"}
    )
    url = f"{server.url}/{logins['leaver']}/contacts@{name}/mine.vcf"
    assert (
        put(server.session(logins["leaver"]), url, vcard("mine", "Leaver's contact")).status_code
        == 201
    )
    admin.ok("DELETE", f"/groups/{name}/members/{logins['leaver']}")
    assert server.session(logins["leaver"]).get(url).status_code in (403, 404)
    kept = server.session(logins["admin"]).get(
        f"{server.url}/{logins['admin']}/contacts@{name}/mine.vcf"
    )
    assert kept.status_code == 200 and "Leaver's contact" in kept.text


def test_g7_remove_all_members_keeps_the_admin(server):
    name, logins = _group(server, a="member", b="coadmin", c="member")
    assert api(server, logins["b"]).call("DELETE", f"/groups/{name}/members").status_code == 403
    assert api(server, logins["admin"]).ok("DELETE", f"/groups/{name}/members") == {"removed": 3}
    members = api(server, logins["admin"]).ok("GET", f"/groups/{name}")["members"]
    assert [m["login"] for m in members] == [logins["admin"]]


def test_g10_coadmin_powers_and_limits(server):
    name, logins = _group(server, co="coadmin", plain="member", other_co="coadmin")
    co = api(server, logins["co"])
    co.ok(
        "PUT",
        f"/groups/{name}/collections/contacts/grants/{logins['plain']}",
        {"rights": "add_delete"},
    )
    co.ok("POST", f"/groups/{name}/collections", {"name": "suppliers", "kind": "addressbook"})
    assert (
        co.call(
            "PUT", f"/groups/{name}/members/{logins['plain']}/role", {"role": "coadmin"}
        ).status_code
        == 403
    )
    assert co.call("DELETE", f"/groups/{name}/members/{logins['other_co']}").status_code == 403
    assert co.call("DELETE", f"/groups/{name}/members/{logins['admin']}").status_code == 403
    assert co.call("DELETE", f"/groups/{name}/members/{logins['plain']}").status_code == 200


def test_g10_revoked_coadmin_keeps_grants_given_to_them(server):
    name, logins = _group(server, co="coadmin")
    admin = api(server, logins["admin"])
    admin.ok("PUT", f"/groups/{name}/collections/calendar/grants/{logins['co']}", {"rights": "add"})
    admin.ok("PUT", f"/groups/{name}/members/{logins['co']}/role", {"role": "member"})
    grants = admin.ok("GET", f"/groups/{name}/collections/calendar/grants")["grants"]
    assert grants == [{"grantee": logins["co"], "rights": "add"}]
    session = server.session(logins["co"])
    base = f"{server.url}/{logins['co']}"
    from tests.support.dav import vevent

    assert (
        put(session, f"{base}/calendar@{name}/e.ics", vevent("e", "Still allowed")).status_code
        == 201
    )
    assert (
        session.delete(f"{base}/calendar@{name}/e.ics").status_code == 403
    )  # add only, no delete now


def test_non_members_do_not_learn_a_group_exists(server):
    name, _ = _group(server)
    stranger = api(server, server.new_user())
    response = stranger.call("GET", f"/groups/{name}")
    assert response.status_code == 404
    assert stranger.call("GET", "/groups/no-such-group").json() == response.json() | {
        "error": {
            "code": "not_found",
            "message_code": "no_group",
            "message": "no group 'no-such-group'",
        }
    }


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/groups", "not json"),
        ("POST", "/groups", "[1, 2]"),
        ("POST", "/groups", '{"name": 42}'),
    ],
)
def test_bad_bodies_get_400_with_a_message(server, method, path, body):
    response = server.session(server.new_user()).request(
        method, server.url + PREFIX + path, data=body
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_api_needs_credentials_and_answers_json_errors(server):
    response = requests.get(server.url + PREFIX + "/groups")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.json()["error"]["code"] == "unauthorized"
    unknown = server.session(server.new_user()).get(server.url + PREFIX + "/nothing-here")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "no_such_endpoint"


def test_openapi_document_describes_every_route(server):
    from davshare.api.groups import ROUTES

    document = requests.get(server.url + PREFIX + "/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    for method, path, handler in ROUTES:
        templated = path.replace("<", "{").replace(">", "}")
        assert document["paths"][templated][method.lower()]["operationId"] == handler.__name__
