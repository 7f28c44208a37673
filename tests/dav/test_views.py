"""Views over a group's address book (SPEC Q1-Q3, issue 5), over real HTTP."""

import uuid

import pytest

from tests.support.api import ApiClient
from tests.support.dav import need_privilege, propfind, put, sync_collection, vcard


def _api(server, login):
    return ApiClient(server.url, server.session(login))


class Team:
    """A group with an admin and two members; contacts stored by the admin."""

    def __init__(self, server):
        self.server = server
        self.name = "team-" + uuid.uuid4().hex[:8]
        self.admin = server.new_user(display_name="Gilles")
        self.member = server.new_user(display_name="Alexandre")
        self.other = server.new_user(display_name="David")
        admin = _api(server, self.admin)
        admin.ok("POST", "/groups", {"name": self.name})
        for login in (self.member, self.other):
            admin.ok("POST", f"/groups/{self.name}/members", {"login": login})
        admin.ok("PUT", f"/groups/{self.name}/collections/contacts/grants/*", {"rights": "add"})
        self.book = f"/groups/{self.name}/collections/contacts"

    def url(self, login):
        return f"{self.server.url}/{login}/contacts@{self.name}/"

    def store(self, href, text, login=None):
        login = login or self.admin
        response = put(self.server.session(login), self.url(login) + href, text)
        assert response.status_code in (201, 204), response.text
        return response

    def view(self, name, spec, *, to=None):
        admin = _api(self.server, self.admin)
        admin.ok("PUT", f"{self.book}/views/{name}", {"filter": spec})
        if to:
            admin.ok("PUT", f"{self.book}/view-assignments/{to}", {"view": name})

    def hrefs(self, login):
        response = propfind(self.server.session(login), self.url(login), "<D:getetag/>", depth="1")
        assert response.status_code == 207
        names = {h.rsplit("/", 1)[1] for h in _hrefs(response.text)}
        return names - {""}


def _hrefs(text):
    import re

    return re.findall(r"<(?:\w+:)?href>([^<]*)</(?:\w+:)?href>", text)


def _contacts(team):
    team.store("lyon1.vcf", vcard("lyon1", "Anne Lyon", email="anne@acme.example", city="Lyon"))
    team.store("lyon2.vcf", vcard("lyon2", "Bruno Lyon", city="Lyon", extra="CATEGORIES:VIP,Press"))
    team.store(
        "paris.vcf", vcard("paris", "Chloé Paris", email="chloe@other.example", city="Paris")
    )
    team.store(
        "nowhere.vcf", vcard("nowhere", "Denis", extra="X-SUPPORT-LEVEL:gold\r\nTEL:+33 1 00")
    )


def test_q2_a_member_given_a_view_sees_only_its_contacts_in_every_listing(server):
    team = Team(server)
    _contacts(team)
    team.view("lyon", {"field": "city", "op": "equals", "value": "lyon"}, to=team.member)
    assert team.hrefs(team.member) == {"lyon1.vcf", "lyon2.vcf"}
    assert team.hrefs(team.other) == {"lyon1.vcf", "lyon2.vcf", "paris.vcf", "nowhere.vcf"}
    # The same through sync, GET, and the API's export.
    _, listed = sync_collection(server.session(team.member), team.url(team.member))
    assert {h.rsplit("/", 1)[1] for h in listed} == {"lyon1.vcf", "lyon2.vcf"}
    session = server.session(team.member)
    assert session.get(team.url(team.member) + "paris.vcf").status_code == 404
    exported = session.get(
        f"{server.url}/.davshare/api/v1/collections/contacts@{team.name}/export",
        params={"format": "vcard"},
    )
    assert exported.status_code == 200, exported.text
    assert "Anne Lyon" in exported.text and "Chloé" not in exported.text
    listed = _api(server, team.member).ok("GET", f"/collections/contacts@{team.name}/items")
    assert {i["href"] for i in listed["items"]} == {"lyon1.vcf", "lyon2.vcf"}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"field": "email", "op": "exists"}, {"lyon1.vcf", "paris.vcf"}),
        (
            {"all": [{"field": "city", "value": "Lyon"}, {"field": "email", "op": "exists"}]},
            {"lyon1.vcf"},
        ),
        (
            {"any": [{"field": "category", "value": "vip"}, {"field": "city", "value": "paris"}]},
            {"lyon2.vcf", "paris.vcf"},
        ),
        ({"not": {"field": "city", "value": "lyon"}}, {"paris.vcf", "nowhere.vcf"}),
        ({"field": "X-SUPPORT-LEVEL", "op": "equals", "value": "Gold"}, {"nowhere.vcf"}),
        ({"field": "email_domain", "value": "acme.example"}, {"lyon1.vcf"}),
        ({"field": "name", "op": "starts_with", "value": "bru"}, {"lyon2.vcf"}),
        (
            {"field": "country", "op": "contains", "value": "fran"},
            {"lyon1.vcf", "lyon2.vcf", "paris.vcf"},
        ),
        ({"field": "phone", "op": "exists"}, {"nowhere.vcf"}),
    ],
)
def test_q1_filters_combine_with_and_or_not(server, spec, expected):
    team = Team(server)
    _contacts(team)
    admin = _api(server, team.admin)
    assert admin.ok("POST", f"{team.book}/views-preview", {"filter": spec}) == {
        "count": len(expected)
    }
    team.view("v", spec, to=team.member)
    assert team.hrefs(team.member) == expected


def test_q3_an_edit_moving_a_contact_out_of_a_view_is_reported_removed(server):
    team = Team(server)
    _contacts(team)
    team.view("lyon", {"field": "city", "value": "lyon"}, to=team.member)
    session = server.session(team.member)
    token, _ = sync_collection(session, team.url(team.member))
    team.store("lyon1.vcf", vcard("lyon1", "Anne Lyon", email="anne@acme.example", city="Paris"))
    token, changes = sync_collection(session, team.url(team.member), token)
    assert [(h.rsplit("/", 1)[1], s) for h, s in changes.items()] == [
        ("lyon1.vcf", "HTTP/1.1 404 Not Found")
    ]
    # ... and entering it again is reported as a new contact.
    team.store("paris.vcf", vcard("paris", "Chloé", city="Lyon"))
    _, changes = sync_collection(session, team.url(team.member), token)
    assert [(h.rsplit("/", 1)[1], "200" in s) for h, s in changes.items()] == [("paris.vcf", True)]


def test_q3_tokens_stay_put_while_nothing_visible_changes(server):
    team = Team(server)
    _contacts(team)
    team.view("lyon", {"field": "city", "value": "lyon"}, to=team.member)
    session = server.session(team.member)
    token, _ = sync_collection(session, team.url(team.member))
    assert sync_collection(session, team.url(team.member), token) == (token, {})
    ctag = propfind(session, team.url(team.member), "<CS:getctag/>").text
    # Changes to contacts outside the view: the member's token and CTag do not move.
    team.store("paris.vcf", vcard("paris", "Chloé Paris", city="Paris", extra="NOTE:moved desk"))
    team.store("new.vcf", vcard("new", "Eve", city="Nice"))
    assert sync_collection(session, team.url(team.member), token) == (token, {})
    assert propfind(session, team.url(team.member), "<CS:getctag/>").text == ctag
    # The other member, without a view, hears of both.
    other = server.session(team.other)
    other_token, _ = sync_collection(other, team.url(team.other))
    team.store("new.vcf", vcard("new", "Eve N.", city="Nice"))
    _, changes = sync_collection(other, team.url(team.other), other_token)
    assert len(changes) == 1


def test_q3_changing_a_view_makes_its_members_resync(server):
    team = Team(server)
    _contacts(team)
    team.view("v", {"field": "city", "value": "lyon"}, to=team.member)
    session = server.session(team.member)
    token, _ = sync_collection(session, team.url(team.member))
    team.view("v", {"field": "city", "value": "paris"})
    body = (
        '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:">'
        f"<D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    stale = session.request("REPORT", team.url(team.member), data=body)
    assert stale.status_code == 403 and "valid-sync-token" in stale.text
    _, listed = sync_collection(session, team.url(team.member))
    assert {h.rsplit("/", 1)[1] for h in listed} == {"paris.vcf"}
    # Full access again: also a new token.
    _api(server, team.admin).ok("DELETE", f"{team.book}/view-assignments/{team.member}")
    assert session.request("REPORT", team.url(team.member), data=body).status_code == 403
    assert len(team.hrefs(team.member)) == 4


def test_q2_a_member_cannot_read_overwrite_or_delete_a_hidden_contact(server):
    team = Team(server)
    _contacts(team)
    team.view("lyon", {"field": "city", "value": "lyon"}, to=team.member)
    session = server.session(team.member)
    hidden = team.url(team.member) + "paris.vcf"
    before = server.session(team.admin).get(team.url(team.admin) + "paris.vcf").text

    assert session.get(hidden).status_code == 404
    overwrite = put(session, hidden, vcard("paris", "Taken over", city="Lyon"))
    assert overwrite.status_code == 403 and need_privilege(overwrite) == "write-content"
    assert "view" in overwrite.text and "Chloé" not in overwrite.text
    assert session.delete(hidden).status_code == 404
    # Creating a contact outside one's view is refused too, and nothing is stored.
    outside = put(session, team.url(team.member) + "mine.vcf", vcard("mine", "Mine", city="Nice"))
    assert outside.status_code == 403 and need_privilege(outside) == "bind"
    admin = server.session(team.admin)
    assert admin.get(team.url(team.admin) + "mine.vcf").status_code == 404
    assert admin.get(team.url(team.admin) + "paris.vcf").text == before
    # Inside the view, the member adds as the grant allows.
    inside = put(session, team.url(team.member) + "ok.vcf", vcard("ok", "Ok", city="Lyon"))
    assert inside.status_code == 201


def test_q1_only_admins_define_and_give_views(server):
    team = Team(server)
    _contacts(team)
    member = _api(server, team.member)
    refused = member.call(
        "PUT", f"{team.book}/views/mine", {"filter": {"field": "city", "value": "x"}}
    )
    assert refused.status_code == 403 and "admin" in refused.json()["error"]["message"]
    refused = member.call("PUT", f"{team.book}/view-assignments/{team.other}", {"view": "mine"})
    assert refused.status_code == 403
    assert _api(server, team.admin).ok("GET", f"{team.book}/views") == {
        "views": [],
        "assignments": {},
    }
    stranger = _api(server, server.new_user())
    assert stranger.call("GET", f"{team.book}/views").status_code == 404


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ({"field": "city", "op": "near", "value": "x"}, "unknown op"),
        ({"field": "ci ty", "value": "x"}, "unknown field"),
        ({"all": []}, "non-empty list"),
        ({"field": "city"}, 'needs a "value"'),
        ("city = lyon", "a filter is an object"),
    ],
)
def test_q1_a_bad_filter_is_refused_with_the_reason(server, spec, says):
    team = Team(server)
    refused = _api(server, team.admin).call("PUT", f"{team.book}/views/bad", {"filter": spec})
    assert refused.status_code == 400 and says in refused.json()["error"]["message"]
    assert _api(server, team.admin).ok("GET", f"{team.book}/views")["views"] == []


def test_q1_the_owner_and_the_server_admin_give_views_of_a_personal_address_book(server):
    owner, sharee, stranger = server.new_user(), server.new_user(), server.new_user()
    root = server.new_user(server_admin=True)
    session = server.session(owner)
    for uid, city in (("a", "Lyon"), ("b", "Paris")):
        put(session, f"{server.url}/{owner}/contacts/{uid}.vcf", vcard(uid, uid.upper(), city=city))
    _api(server, owner).ok("PUT", f"/collections/contacts/shares/{sharee}", {"rights": "read"})
    book = f"/accounts/{owner}/collections/contacts"
    spec = {"filter": {"field": "city", "value": "paris"}}

    refused = _api(server, stranger).call("PUT", f"{book}/views/paris", spec)
    assert refused.status_code == 403 and "owner" in refused.json()["error"]["message"]
    not_shared = _api(server, owner).call(
        "PUT", f"{book}/view-assignments/{stranger}", {"view": "paris"}
    )
    assert not_shared.status_code == 404  # the view does not exist yet either
    _api(server, root).ok("PUT", f"{book}/views/paris", spec)  # the server admin may
    assert _api(server, owner).ok("POST", f"{book}/views-preview", spec) == {"count": 1}
    not_shared = _api(server, owner).call(
        "PUT", f"{book}/view-assignments/{stranger}", {"view": "paris"}
    )
    assert not_shared.status_code == 404 and "shared with" in not_shared.json()["error"]["message"]
    assert _api(server, stranger).call("GET", f"{book}/views").status_code == 403

    mount = f"{server.url}/{sharee}/contacts~{owner}/"
    before, _ = sync_collection(server.session(sharee), mount)
    _api(server, owner).ok("PUT", f"{book}/view-assignments/{sharee}", {"view": "paris"})
    body = (
        '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:">'
        f"<D:sync-token>{before}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    assert server.session(sharee).request("REPORT", mount, data=body).status_code == 403
    _, listed = sync_collection(server.session(sharee), mount)
    assert [h.rsplit("/", 1)[1] for h in listed] == ["b.vcf"]
    assert server.session(sharee).get(mount + "a.vcf").status_code == 404
    # The owner's own view of it is whole.
    assert len(sync_collection(session, f"{server.url}/{owner}/contacts/")[1]) == 2


def test_q1_the_server_admin_gives_views_in_any_group(server):
    team = Team(server)
    _contacts(team)
    root = _api(server, server.new_user(server_admin=True))
    root.ok("PUT", f"{team.book}/views/paris", {"filter": {"field": "city", "value": "paris"}})
    root.ok("PUT", f"{team.book}/view-assignments/{team.other}", {"view": "paris"})
    assert team.hrefs(team.other) == {"paris.vcf"}


def test_q2_a_move_through_a_view_cannot_overwrite_a_hidden_contact_or_leave_the_view(server):
    team = Team(server)
    _contacts(team)
    team.view("lyon", {"field": "city", "value": "lyon"}, to=team.member)
    session = server.session(team.member)
    own = f"{server.url}/{team.member}/contacts/"
    put(session, own + "x.vcf", vcard("x", "Xavier", city="Nice"))
    put(session, own + "y.vcf", vcard("y", "Yves", city="Lyon"))
    before = server.session(team.admin).get(team.url(team.admin) + "paris.vcf").text
    for source, target in (("x.vcf", "moved.vcf"), ("y.vcf", "paris.vcf")):
        moved = session.request(
            "MOVE", own + source, headers={"Destination": team.url(team.member) + target}
        )
        assert moved.status_code == 403 and "through the view" in moved.text, moved.text
        assert session.get(own + source).status_code == 200  # nothing moved
    assert server.session(team.admin).get(team.url(team.admin) + "paris.vcf").text == before
    assert server.session(team.admin).get(team.url(team.admin) + "moved.vcf").status_code == 404
    fine = session.request(
        "MOVE", own + "y.vcf", headers={"Destination": team.url(team.member) + "y.vcf"}
    )
    assert fine.status_code == 201, fine.text
    assert "y.vcf" in team.hrefs(team.member)
