"""Each group's address book of its members (SPEC G4) and leaving a group (SPEC G11)."""

import uuid
import xml.etree.ElementTree as ET

import pytest

from tests.support.api import ApiClient
from tests.support.dav import NS, propfind, put, sync_collection, vcard

PHOTO = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _api(server, login):
    return ApiClient(server.url, server.session(login))


@pytest.fixture
def team(server):
    admin, member = server.new_user(), server.new_user()
    _api(server, admin).ok(
        "PATCH",
        "/me",
        {
            "given_name": "Gilles",
            "family_name": "Buisson",
            "organisation": "Buisson Conseil",
            "photo": PHOTO,
        },
    )
    name = f"g-{uuid.uuid4().hex[:8]}"
    _api(server, admin).ok("POST", "/groups", {"name": name})
    _api(server, admin).ok("POST", f"/groups/{name}/members", {"login": member})
    return name, admin, member


def _book(server, login, group):
    return f"{server.url}/{login}/members@{group}/"


def test_g4_members_see_each_others_names_organisation_email_and_photo(server, team):
    group, admin, member = team
    card = server.session(member).get(_book(server, member, group) + f"{admin}.vcf")
    assert card.status_code == 200
    for expected in (
        "FN:Gilles Buisson",
        "N:Buisson;Gilles;;;",
        "ORG:Buisson Conseil",
        f"EMAIL;TYPE=INTERNET:{admin}",
        "PHOTO;ENCODING=b;TYPE=PNG:iVBOR",
    ):
        assert expected in card.text
    listing = propfind(
        server.session(member), _book(server, member, group), "<D:getetag/>", depth="1"
    )
    hrefs = {
        r.findtext("D:href", namespaces=NS).rsplit("/", 1)[1]
        for r in ET.fromstring(listing.content).findall("D:response", NS)
    }
    assert hrefs == {"", f"{admin.replace('@', '%40')}.vcf", f"{member.replace('@', '%40')}.vcf"}


def test_g4_members_book_follows_joins_leaves_and_profile_changes(server, team):
    group, admin, member = team
    url = _book(server, admin, group)
    token, _ = sync_collection(server.session(admin), url)
    newcomer = server.new_user()
    _api(server, admin).ok("POST", f"/groups/{group}/members", {"login": newcomer})
    _api(server, member).ok(
        "PATCH", "/me", {"display_name": "Alexandre D.", "organisation": "Partner Ltd"}
    )
    _api(server, admin).ok("DELETE", f"/groups/{group}/members/{newcomer}")
    token2, changes = sync_collection(server.session(admin), url, token)
    by_name = {h.rsplit("/", 1)[1].replace("%40", "@"): s for h, s in changes.items()}
    assert set(by_name) == {f"{newcomer}.vcf", f"{member}.vcf"}
    assert "404" in by_name[f"{newcomer}.vcf"]
    assert "Partner Ltd" in server.session(admin).get(url + f"{member}.vcf").text
    assert sync_collection(server.session(admin), url, token2)[1] == {}


@pytest.mark.parametrize("who", ["admin", "member"])
def test_g4_members_book_is_read_only_for_everyone(server, team, who):
    group, admin, member = team
    login = admin if who == "admin" else member
    url = _book(server, login, group)
    created = put(server.session(login), url + "x.vcf", vcard("x", "Intruder"))
    assert created.status_code == 403
    edited = put(
        server.session(login), url + f"{member}.vcf", vcard(f"davshare-member-{member}", "Renamed")
    )
    assert edited.status_code == 403
    assert server.session(login).delete(url + f"{member}.vcf").status_code == 403
    assert server.session(login).get(url + "x.vcf").status_code == 404
    refused = _api(server, admin).call(
        "POST", f"/groups/{group}/collections", {"name": "members", "kind": "addressbook"}
    )
    assert refused.status_code == 400


def test_profile_edits_are_checked(server):
    api = _api(server, server.new_user())
    assert api.call("PATCH", "/me", {"photo": "http://example.com/me.png"}).status_code == 400
    assert api.call("PATCH", "/me", {"password": "sneaky"}).status_code == 400
    assert api.ok("PATCH", "/me", {"given_name": " Ann "})["given_name"] == "Ann"


def test_g11_leaving_lists_shares_to_the_group_and_withdraws_them_on_request(server, team):
    group, admin, member = team
    other = server.new_user()
    api = _api(server, member)
    api.ok("PUT", f"/collections/calendar/group-shares/{group}", {"rights": "read"})
    api.ok("PUT", f"/collections/contacts/shares/{admin}", {"rights": "read_write"})
    api.ok("PUT", f"/collections/tasks/shares/{other}", {"rights": "read"})
    listed = api.ok("GET", f"/groups/{group}/my-shares")["shares"]
    assert sorted((s["collection"], s["group"] or s["sharee"]) for s in listed) == [
        ("calendar", group),
        ("contacts", admin),
    ]
    left = api.ok("DELETE", f"/groups/{group}/members/{member}", withdraw_shares="true")
    assert left["shares_withdrawn"] is True and len(left["shares"]) == 2
    remaining = (
        api.ok("GET", "/collections/tasks/shares")["shares"]
        + api.ok("GET", "/collections/contacts/shares")["shares"]
    )
    assert [(s["collection"], s["sharee"]) for s in remaining] == [("tasks", other)]
    assert server.session(admin).get(f"{server.url}/{admin}/contacts~{member}/").status_code in (
        403,
        404,
    )


def test_g11_leaving_without_withdrawing_keeps_the_shares(server, team):
    group, admin, member = team
    api = _api(server, member)
    api.ok("PUT", f"/collections/contacts/shares/{admin}", {"rights": "read"})
    left = api.ok("DELETE", f"/groups/{group}/members/{member}")
    assert left["shares_withdrawn"] is False and left["shares"][0]["sharee"] == admin
    assert api.ok("GET", "/collections/contacts/shares")["shares"][0]["sharee"] == admin
