"""Sharing a personal collection with people of any domain (SPEC S1-S4, A1)."""

import datetime
import uuid

import caldav
import pytest

from tests.support.api import ApiClient
from tests.support.dav import need_privilege, propfind, put, sync_collection, vcard, vevent
from tests.support.server import PASSWORD

# rights -> (read, create, modify, delete)
RIGHTS = {
    "read": (True, False, False, False),
    "read_write": (True, True, True, False),
    "read_write_delete": (True, True, True, True),
    "freebusy": (False, False, False, False),
}


def _api(server, login):
    return ApiClient(server.url, server.session(login))


def _shared(server, rights, tool="contacts", sharee_domain="partner.example"):
    owner = server.new_user(display_name="Gilles Buisson")
    sharee = server.new_user(domain=sharee_domain)
    _api(server, owner).ok("PUT", f"/collections/{tool}/shares/{sharee}", {"rights": rights})
    return owner, sharee


def _text(tool, uid, summary):
    return vcard(uid, summary) if tool == "contacts" else vevent(uid, summary)


CASES = [
    (r, t) for r in RIGHTS for t in ("contacts", "calendar") if (r, t) != ("freebusy", "contacts")
]


@pytest.mark.parametrize(("rights", "tool"), CASES)
def test_s1_every_right_level_against_every_operation(server, rights, tool):
    can_read, can_create, can_modify, can_delete = RIGHTS[rights]
    owner, sharee = _shared(server, rights, tool)
    ext = "vcf" if tool == "contacts" else "ics"
    own_url = f"{server.url}/{owner}/{tool}/"
    mount = f"{server.url}/{sharee}/{tool}~{owner}/"
    put(server.session(owner), own_url + f"existing.{ext}", _text(tool, "existing", "Original"))
    session = server.session(sharee)

    read = session.get(mount + f"existing.{ext}")
    assert (read.status_code == 200) is can_read and ("Original" in read.text) is can_read

    created = put(session, mount + f"new.{ext}", _text(tool, "new", "By the sharee"))
    assert created.status_code == (201 if can_create else 403)
    if not can_create and can_read:
        assert need_privilege(created) == "bind"
    assert (server.session(owner).get(own_url + f"new.{ext}").status_code == 200) is can_create

    modified = put(session, mount + f"existing.{ext}", _text(tool, "existing", "Changed"))
    assert modified.status_code == (204 if can_modify else 403)
    assert ("Changed" in server.session(owner).get(own_url + f"existing.{ext}").text) is can_modify

    deleted = session.delete(mount + f"existing.{ext}")
    assert deleted.status_code == (200 if can_delete else 403)
    assert (server.session(owner).get(own_url + f"existing.{ext}").status_code == 404) is can_delete


def test_s2_shared_collection_appears_by_itself_with_the_owners_name(server):
    owner, sharee = _shared(server, "read_write", "calendar", sharee_domain="other-domain.example")
    client = caldav.DAVClient(
        url=f"{server.url}/.well-known/caldav", username=sharee, password=PASSWORD
    )
    calendars = {
        str(c.url).rstrip("/").rsplit("/", 1)[1]: c for c in client.principal().calendars()
    }
    mount = f"calendar~{owner}"
    assert mount in calendars
    assert calendars[mount].get_display_name() == "Calendar (Gilles Buisson)"
    calendars[mount].save_event(vevent("from-sharee", "Planned by the sharee"))
    owners = caldav.DAVClient(
        url=f"{server.url}/{owner}/calendar/", username=owner, password=PASSWORD
    )
    events = owners.calendar(url=f"{server.url}/{owner}/calendar/").events()
    assert [e.icalendar_component["SUMMARY"] for e in events] == ["Planned by the sharee"]


def test_s2_sharee_renames_recolours_and_hides_for_themselves(server):
    owner, sharee = _shared(server, "read")
    api = _api(server, sharee)
    name = f"contacts~{owner}"
    renamed = api.ok(
        "PATCH", f"/collections/{name}", {"display_name": "Gilles's clients", "color": "#123456"}
    )
    assert (renamed["display_name"], renamed["color"]) == ("Gilles's clients", "#123456")
    assert (
        _api(server, owner).ok("GET", "/collections")["collections"][1]["display_name"]
        == "Contacts"
    )
    api.ok("PATCH", f"/collections/{name}", {"hidden": True})
    home = propfind(
        server.session(sharee), f"{server.url}/{sharee}/", "<D:displayname/>", depth="1"
    ).text
    assert name.replace("@", "%40") not in home
    assert (
        server.session(sharee).request("PROPFIND", f"{server.url}/{sharee}/{name}/").status_code
        == 207
    )
    api.ok("PATCH", f"/collections/{name}", {"hidden": False})
    home = propfind(
        server.session(sharee), f"{server.url}/{sharee}/", "<D:displayname/>", depth="1"
    ).text
    assert name.replace("@", "%40") in home


def test_s3_every_collection_reports_a_subscription_url_that_works(server):
    owner, sharee = _shared(server, "read", "calendar")
    collections = _api(server, sharee).ok("GET", "/collections")["collections"]
    shared = next(c for c in collections if c["source"] == "shared")
    assert shared["owner"] == owner and shared["privileges"] == [
        "read",
        "read-free-busy",
        "write-properties",
    ]
    put(server.session(owner), f"{server.url}/{owner}/calendar/e.ics", vevent("e", "Visible"))
    by_url = caldav.DAVClient(url=shared["url"], username=sharee, password=PASSWORD).calendar(
        url=shared["url"]
    )
    assert [e.icalendar_component["SUMMARY"] for e in by_url.events()] == ["Visible"]


def test_s1_changing_or_withdrawing_a_share_takes_effect_at_once(server):
    owner, sharee = _shared(server, "read")
    url = f"{server.url}/{sharee}/contacts~{owner}/x.vcf"
    assert put(server.session(sharee), url, vcard("x", "X")).status_code == 403
    _api(server, owner).ok(
        "PUT", f"/collections/contacts/shares/{sharee}", {"rights": "read_write"}
    )
    assert put(server.session(sharee), url, vcard("x", "X")).status_code == 201
    _api(server, owner).ok("DELETE", f"/collections/contacts/shares/{sharee}")
    assert server.session(sharee).get(url).status_code in (403, 404)


def test_s1_share_with_a_whole_group_reaches_later_members(server):
    owner = server.new_user()
    group = f"g-{uuid.uuid4().hex[:8]}"
    _api(server, owner).ok("POST", "/groups", {"name": group})
    refused = _api(server, server.new_user()).call(
        "PUT", f"/collections/contacts/group-shares/{group}", {"rights": "read"}
    )
    assert refused.status_code == 404  # only members share with their group
    _api(server, owner).ok("PUT", f"/collections/contacts/group-shares/{group}", {"rights": "read"})
    newcomer = server.new_user()
    _api(server, owner).ok("POST", f"/groups/{group}/members", {"login": newcomer})
    put(
        server.session(owner),
        f"{server.url}/{owner}/contacts/c.vcf",
        vcard("c", "Shared with the group"),
    )
    assert (
        "Shared with the group"
        in server.session(newcomer).get(f"{server.url}/{newcomer}/contacts~{owner}/c.vcf").text
    )
    _api(server, owner).ok("DELETE", f"/groups/{group}/members/{newcomer}")
    assert server.session(newcomer).get(
        f"{server.url}/{newcomer}/contacts~{owner}/c.vcf"
    ).status_code in (403, 404)


def test_a1_domain_restriction_refuses_a_share_and_says_why(server):
    admin = server.new_user(server_admin=True)
    owner = server.new_user(domain="restricted.example")
    friend, stranger = (
        server.new_user(domain="friend.example"),
        server.new_user(domain="stranger.example"),
    )
    _api(server, admin).ok(
        "PUT", "/domains/restricted.example/rules", {"share_with": ["friend.example"]}
    )
    api = _api(server, owner)
    api.ok("PUT", f"/collections/contacts/shares/{friend}", {"rights": "read"})
    refused = api.call("PUT", f"/collections/contacts/shares/{stranger}", {"rights": "read"})
    assert refused.status_code == 403
    assert (
        "may share only with friend.example, restricted.example"
        in refused.json()["error"]["message"]
    )
    assert api.ok("GET", "/collections/contacts/shares")["shares"] == [
        {
            "collection": "contacts",
            "sharee": friend,
            "group": None,
            "rights": "read",
            "confidential": [],
        }
    ]
    assert (
        _api(server, owner)
        .call("PUT", "/domains/restricted.example/rules", {"share_with": []})
        .status_code
        == 403
    )
    _api(server, admin).ok("PUT", "/domains/restricted.example/rules", {"share_with": []})
    api.ok("PUT", f"/collections/contacts/shares/{stranger}", {"rights": "read"})


def test_a1_a_later_domain_rule_also_stops_existing_shares(server):
    admin = server.new_user(server_admin=True)
    owner = server.new_user(domain="later-rule.example")
    sharee = server.new_user(domain="elsewhere.example")
    _api(server, owner).ok("PUT", f"/collections/contacts/shares/{sharee}", {"rights": "read"})
    url = f"{server.url}/{sharee}/contacts~{owner}/"
    assert server.session(sharee).request("PROPFIND", url).status_code == 207
    _api(server, admin).ok(
        "PUT", "/domains/later-rule.example/rules", {"share_with": ["friend.example"]}
    )
    assert server.session(sharee).request("PROPFIND", url).status_code in (403, 404)


def test_s4_sync_tokens_are_right_for_owner_and_sharee_after_changes_on_either_side(server):
    owner, sharee = _shared(server, "read_write_delete")
    owner_book, sharee_book = (
        f"{server.url}/{owner}/contacts/",
        f"{server.url}/{sharee}/contacts~{owner}/",
    )
    owner_token, _ = sync_collection(server.session(owner), owner_book)
    sharee_token, _ = sync_collection(server.session(sharee), sharee_book)
    put(server.session(owner), owner_book + "a.vcf", vcard("a", "By owner"))
    put(server.session(sharee), sharee_book + "b.vcf", vcard("b", "By sharee"))
    owner_token, owner_changes = sync_collection(server.session(owner), owner_book, owner_token)
    sharee_token, sharee_changes = sync_collection(
        server.session(sharee), sharee_book, sharee_token
    )
    assert sorted(h.rsplit("/", 1)[1] for h in owner_changes) == ["a.vcf", "b.vcf"]
    assert sorted(h.rsplit("/", 1)[1] for h in sharee_changes) == ["a.vcf", "b.vcf"]
    server.session(sharee).delete(sharee_book + "a.vcf")
    _, owner_changes = sync_collection(server.session(owner), owner_book, owner_token)
    assert list(owner_changes) == [f"/{owner.replace('@', '%40')}/contacts/a.vcf"]


def test_s1_free_busy_only_sharee_sees_busy_blocks_and_nothing_else(server):
    owner, sharee = _shared(server, "freebusy", "calendar")
    put(
        server.session(owner),
        f"{server.url}/{owner}/calendar/secret.ics",
        vevent(
            "secret",
            "Secret merger talks",
            start="20261202T090000Z",
            end="20261202T100000Z",
            extra="LOCATION:Board room\nRRULE:FREQ=DAILY;COUNT=3",
        ),
    )
    url = f"{server.url}/{sharee}/calendar~{owner}/"
    calendar = caldav.DAVClient(url=url, username=sharee, password=PASSWORD).calendar(url=url)
    freebusy = calendar.freebusy_request(
        datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC),
    )
    text = freebusy.data
    assert text.count("FREEBUSY") >= 3 and "20261203T090000Z" in text
    assert "Secret" not in text and "Board room" not in text
    assert server.session(sharee).get(url + "secret.ics").status_code == 403
    report = (
        '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        '<D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter>'
        "</C:calendar-query>"
    )
    # Listed empty rather than refused: clients poll it right after discovery (issue 22).
    empty = server.session(sharee).request("REPORT", url, data=report, headers={"Depth": "1"})
    assert empty.status_code == 207 and "Secret" not in empty.text and "<response" not in empty.text


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/collections/contacts/shares/{sharee}",
            {"rights": "freebusy"},
            "only applies to calendars",
        ),
        ("/collections/contacts/shares/{sharee}", {"rights": "everything"}, "unknown rights"),
        ("/collections/contacts/shares/{owner}", {"rights": "read"}, "with yourself"),
        ("/collections/contacts/shares/nobody@nowhere.example", {"rights": "read"}, "no account"),
        ("/collections/nothing/shares/{sharee}", {"rights": "read"}, "no collection"),
    ],
)
def test_s1_bad_shares_are_refused_with_a_reason(server, path, body, message):
    owner, sharee = server.new_user(), server.new_user()
    response = _api(server, owner).call("PUT", path.format(owner=owner, sharee=sharee), body)
    assert response.status_code in (400, 404)
    assert message in response.json()["error"]["message"]
    assert _api(server, owner).ok("GET", "/collections/contacts/shares")["shares"] == []
