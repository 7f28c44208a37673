"""The API endpoints the web pages need (issue 9): items with what one may do with each,
people to share with, the QR code of a URL, the server admin's accounts and domains."""

import uuid

import requests

from davshare.model import accounts
from tests.support.api import PREFIX, ApiClient
from tests.support.dav import put, vcard, vevent
from tests.support.server import PASSWORD


def api(server, login):
    return ApiClient(server.url, server.session(login))


def _group_with_member(server):
    admin, member = server.new_user(), server.new_user()
    name = f"p-{uuid.uuid4().hex[:8]}"
    api(server, admin).ok("POST", "/groups", {"name": name})
    api(server, admin).ok("POST", f"/groups/{name}/members", {"login": member})
    return name, admin, member


def test_items_of_a_group_book_say_who_created_them_and_what_one_may_do(server):
    name, admin, member = _group_with_member(server)
    url = f"{server.url}/{admin}/contacts@{name}/"
    assert (
        put(
            server.session(admin), url + "a.vcf", vcard("a", "Anne Martin", email="anne@x.org")
        ).status_code
        == 201
    )
    items = api(server, member).ok("GET", f"/collections/contacts@{name}/items")
    assert items["dav_path"] == f"/{member}/contacts@{name}/"
    [item] = items["items"]
    assert item["href"] == "a.vcf"
    assert item["title"] == "Anne Martin"
    assert item["emails"] == ["anne@x.org"]
    assert item["creator"] == admin
    assert (item["may_modify"], item["may_delete"], item["may_choose_editors"]) == (
        False,
        False,
        False,
    )
    mine = api(server, admin).ok("GET", f"/collections/contacts@{name}/items")["items"][0]
    assert (mine["may_modify"], mine["may_delete"], mine["may_choose_editors"]) == (
        True,
        True,
        True,
    )
    # The creator lets all members modify it: the listing follows the same rule as DAV.
    api(server, admin).ok("PUT", f"/groups/{name}/collections/contacts/items/a.vcf/editors/*")
    again = api(server, member).ok("GET", f"/collections/contacts@{name}/items")["items"][0]
    assert again["may_modify"] is True and again["editors"] == ["*"]


def test_items_search_and_events(server):
    login = server.new_user()
    session = server.session(login)
    put(session, f"{server.url}/{login}/contacts/b.vcf", vcard("b", "Bruno Petit", city="Lyon"))
    put(session, f"{server.url}/{login}/contacts/c.vcf", vcard("c", "Claire Roux"))
    found = api(server, login).ok("GET", "/collections/contacts/items", q="bru")["items"]
    assert [i["title"] for i in found] == ["Bruno Petit"]
    put(session, f"{server.url}/{login}/calendar/e.ics", vevent("e", "Réunion d'équipe"))
    [event] = api(server, login).ok("GET", "/collections/calendar/items")["items"]
    assert event["title"] == "Réunion d'équipe" and event["kind"] == "VEVENT" and event["when"]


def test_s1_items_need_the_read_right(server):
    owner, other = server.new_user(), server.new_user()
    api(server, owner).ok("PUT", f"/collections/calendar/shares/{other}", {"rights": "freebusy"})
    refused = api(server, other).call("GET", f"/collections/calendar~{owner}/items")
    assert refused.status_code == 403
    assert "ask its owner" in refused.json()["error"]["message"]
    missing = api(server, other).call("GET", "/collections/nothing/items")
    assert missing.status_code == 404


def test_s1_people_to_share_with(server):
    login = server.new_user()
    other = server.new_user(display_name="Zoé Lambert")
    assert api(server, login).ok("GET", "/people", q="zo")["people"] == []  # 3 letters at least
    found = api(server, login).ok("GET", "/people", q="zoé")["people"]
    assert {"login": other, "display_name": "Zoé Lambert"} in found
    accented = server.new_user(display_name="Élodie Été")
    found = api(server, login).ok("GET", "/people", q="élo")["people"]
    assert {"login": accented, "display_name": "Élodie Été"} in found
    assert all(
        p["login"] != login for p in api(server, login).ok("GET", "/people", q=login[:5])["people"]
    )


def test_a1_people_suggested_follow_the_domain_rules(server):
    import uuid

    tag = uuid.uuid4().hex[:6]
    closed, ok, other = (f"{n}-{tag}.example" for n in ("closed", "ok", "other"))
    login = server.new_user(domain=closed)
    allowed = server.new_user(domain=ok, display_name=f"Quentin{tag} Allowed")
    server.new_user(domain=other, display_name=f"Quentin{tag} Elsewhere")
    root = server.new_user(server_admin=True)
    api(server, root).ok("PUT", f"/domains/{closed}/rules", {"share_with": [ok]})
    found = api(server, login).ok("GET", "/people", q=f"quentin{tag}")["people"]
    assert [p["login"] for p in found] == [allowed]
    # Without a rule, both.
    assert len(api(server, allowed).ok("GET", "/people", q=f"quentin{tag}")["people"]) == 1
    assert len(api(server, root).ok("GET", "/people", q=f"quentin{tag}")["people"]) == 2


def test_s3_qr_code_of_the_account_url(server):
    login = server.new_user()
    answer = api(server, login).call("GET", "/me/qr.svg")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("image/svg+xml")
    assert answer.text.lstrip().startswith("<?xml") and "<svg" in answer.text
    elsewhere = api(server, login).call("GET", "/me/qr.svg", url="https://evil.example/")
    assert elsewhere.status_code == 400


def test_a2_server_admin_manages_accounts_and_domains(server):
    admin = server.new_user(server_admin=True)
    domain = f"d{uuid.uuid4().hex[:6]}.org"
    client = api(server, admin)
    assert client.ok("POST", "/domains", {"name": domain})["name"] == domain
    assert {"name": domain, "accounts": 0} in client.ok("GET", "/domains")["domains"]
    login = f"new@{domain}"
    made = client.ok("POST", "/accounts", {"login": login, "password": PASSWORD, "profile": "add"})
    assert made == {
        "login": login,
        "display_name": "",
        "profile": "add",
        "disabled": False,
        "server_admin": False,
        "sign_in_backend": "local",
    }
    assert (
        server.session(login)
        .request("PROPFIND", f"{server.url}/{login}/", headers={"Depth": "0"})
        .status_code
        == 207
    )
    client.ok("PATCH", f"/accounts/{login}", {"disabled": True, "profile": "read_only"})
    assert accounts.get_user(server.engine, login).disabled
    assert server.session(login).request("PROPFIND", f"{server.url}/{login}/").status_code == 401
    client.ok("PATCH", f"/accounts/{login}", {"disabled": False, "password": "another password"})
    assert (
        server.session(login, "another password")
        .request("PROPFIND", f"{server.url}/{login}/", headers={"Depth": "0"})
        .status_code
        == 207
    )
    busy = client.call("DELETE", f"/domains/{domain}")
    assert busy.status_code >= 400
    client.ok("DELETE", f"/accounts/{login}")
    client.ok("DELETE", f"/domains/{domain}")
    assert all(d["name"] != domain for d in client.ok("GET", "/domains")["domains"])
    itself = client.call("PATCH", f"/accounts/{admin}", {"disabled": True})
    assert itself.status_code == 400


def test_a2_only_server_admins_manage_accounts(server):
    login = server.new_user()
    for method, path in [("GET", "/accounts"), ("POST", "/accounts"), ("GET", "/domains")]:
        answer = api(server, login).call(method, path, {})
        assert answer.status_code == 403, path
        assert "server admin" in answer.json()["error"]["message"]


def test_patch_account_refuses_unknown_fields_and_changes_nothing(server):
    admin = server.new_user(server_admin=True)
    login = server.new_user()
    client = ApiClient(server.url, server.session(admin))
    before = client.ok("GET", "/accounts")
    refused = client.call(
        "PATCH", f"/accounts/{login}", {"password": "new password 1", "role": "x"}
    )
    assert refused.status_code == 400
    assert "'role'" in refused.json()["error"]["message"]
    refused = client.call(
        "PATCH", f"/accounts/{login}", {"password": "new password 2", "disabled": "yes"}
    )
    assert refused.status_code == 400
    assert server.session(login).request("PROPFIND", f"{server.url}/").status_code == 207
    assert client.ok("GET", "/accounts") == before
    document = requests.get(server.url + PREFIX + "/openapi.json").json()
    schema = document["paths"]["/accounts/{login}"]["patch"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["disabled"]["type"] == "boolean"
    assert "409" in document["paths"]["/groups/{name}"]["delete"]["responses"]
