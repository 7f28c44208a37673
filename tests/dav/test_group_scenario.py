"""Seed 001 end to end: Gilles's team shares an address book, a calendar and a task list.

Gilles creates the group; its collections appear in every member's client by
discovery alone, and what one member changes the others see at their next sync.
"""

import xml.etree.ElementTree as ET

import caldav
import pytest

from tests.support.api import ApiClient
from tests.support.dav import NS, propfind, put, sync_collection, vcard, vevent
from tests.support.server import PASSWORD


@pytest.fixture(scope="module")
def seed001(server):
    people = {
        "gilles": server.new_user(domain="buisson-conseil.fr", display_name="Gilles Buisson"),
        "alexandre": server.new_user(domain="buisson-conseil.fr"),
        "david": server.new_user(domain="buisson-conseil.fr"),
        "eve": server.new_user(domain="partner.example"),
    }
    gilles = ApiClient(server.url, server.session(people["gilles"]))
    name = gilles.ok("POST", "/groups", {"name": f"equipe-{people['gilles'][1:7]}"})["name"]
    for who in ("alexandre", "david", "eve"):
        gilles.ok("POST", f"/groups/{name}/members", {"login": people[who]})
    for tool in ("contacts", "calendar", "tasks"):
        gilles.ok("PUT", f"/groups/{name}/collections/{tool}/grants/*", {"rights": "add"})
    return server, people, name


def test_g2_group_collections_appear_by_discovery_for_every_member(seed001):
    server, people, name = seed001
    for login in people.values():
        client = caldav.DAVClient(
            url=f"{server.url}/.well-known/caldav", username=login, password=PASSWORD
        )
        found = {str(c.url).rstrip("/").rsplit("/", 1)[1] for c in client.principal().calendars()}
        assert found == {"calendar", "tasks", f"calendar@{name}", f"tasks@{name}"}, login
        home = f"{server.url}/{login}/"
        response = propfind(
            server.session(login), home, "<D:resourcetype/><D:displayname/>", depth="1"
        )
        names = {
            r.findtext("D:href", namespaces=NS)
            .rstrip("/")
            .rsplit("/", 1)[1]
            .replace("%40", "@"): r.findtext(".//D:displayname", namespaces=NS)
            for r in ET.fromstring(response.content).findall("D:response", NS)
        }
        assert names[f"contacts@{name}"] == f"Contacts ({name})"


def test_s4_changes_by_one_member_reach_the_others_at_next_sync(seed001):
    server, people, name = seed001
    books = {who: f"{server.url}/{login}/contacts@{name}/" for who, login in people.items()}
    tokens = {who: sync_collection(server.session(people[who]), books[who])[0] for who in people}
    assert (
        put(
            server.session(people["alexandre"]),
            books["alexandre"] + "client-1.vcf",
            vcard("client-1", "Client One", email="one@client.example"),
        ).status_code
        == 201
    )
    for who in ("gilles", "david", "eve"):
        token, changes = sync_collection(server.session(people[who]), books[who], tokens[who])
        assert [h.rsplit("/", 1)[1] for h in changes] == ["client-1.vcf"], who
        assert changes and all(
            h.startswith(f"/{people[who].replace('@', '%40')}/") for h in changes
        )
        tokens[who] = token
    calendar_url = f"{server.url}/{people['david']}/calendar@{name}/"
    calendar = caldav.DAVClient(
        url=calendar_url, username=people["david"], password=PASSWORD
    ).calendar(url=calendar_url)
    calendar.save_event(vevent("kickoff", "Kick-off with the client"))
    seen_by_eve = f"{server.url}/{people['eve']}/calendar@{name}/"
    eve_calendar = caldav.DAVClient(
        url=seen_by_eve, username=people["eve"], password=PASSWORD
    ).calendar(url=seen_by_eve)
    assert [e.icalendar_component["SUMMARY"] for e in eve_calendar.events()] == [
        "Kick-off with the client"
    ]


def test_r4_creator_edits_and_others_get_403_in_the_client(seed001):
    server, people, name = seed001
    url = lambda who: f"{server.url}/{people[who]}/contacts@{name}/supplier.vcf"  # noqa: E731
    assert (
        put(
            server.session(people["david"]), url("david"), vcard("supplier", "Supplier")
        ).status_code
        == 201
    )
    assert (
        put(
            server.session(people["david"]), url("david"), vcard("supplier", "Supplier Ltd")
        ).status_code
        == 204
    )
    refused = put(
        server.session(people["alexandre"]), url("alexandre"), vcard("supplier", "Hijacked")
    )
    assert refused.status_code == 403
    assert "Supplier Ltd" in server.session(people["gilles"]).get(url("gilles")).text


def test_current_user_privilege_set_per_collection_and_item(seed001):
    server, people, name = seed001
    book = f"{server.url}/{people['alexandre']}/contacts@{name}/"
    put(server.session(people["alexandre"]), book + "mine.vcf", vcard("mine", "Mine"))
    put(
        server.session(people["gilles"]),
        f"{server.url}/{people['gilles']}/contacts@{name}/his.vcf",
        vcard("his", "His"),
    )
    response = propfind(
        server.session(people["alexandre"]), book, "<D:current-user-privilege-set/>", depth="1"
    )
    privileges = {}
    for r in ET.fromstring(response.content).findall("D:response", NS):
        href = r.findtext("D:href", namespaces=NS).rsplit("/", 1)[1] or "collection"
        privileges[href] = {p[0].tag.split("}")[1] for p in r.findall(".//D:privilege", NS)}
    assert privileges["collection"] == {"read", "write-properties", "write-content", "bind"}
    assert privileges["mine.vcf"] == {"read", "write-properties", "write-content"}
    assert privileges["his.vcf"] == {"read", "write-properties"}
    assert "all" not in set().union(*privileges.values())


def test_member_renames_and_colours_a_group_collection_for_themselves_only(seed001):
    server, people, name = seed001
    body = (
        '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:I="http://apple.com/ns/ical/">'
        "<D:set><D:prop><D:displayname>Team calendar</D:displayname>"
        "<I:calendar-color>#00aa00</I:calendar-color></D:prop></D:set></D:propertyupdate>"
    )
    mine = f"{server.url}/{people['eve']}/calendar@{name}/"
    assert server.session(people["eve"]).request("PROPPATCH", mine, data=body).status_code == 207
    assert "Team calendar" in propfind(server.session(people["eve"]), mine, "<D:displayname/>").text
    theirs = f"{server.url}/{people['david']}/calendar@{name}/"
    assert (
        f"Calendar ({name})"
        in propfind(server.session(people["david"]), theirs, "<D:displayname/>").text
    )


def test_deleting_a_mount_is_refused_and_the_group_collection_stays(seed001):
    server, people, name = seed001
    mount = f"{server.url}/{people['gilles']}/contacts@{name}/"
    response = server.session(people["gilles"]).delete(mount)
    assert response.status_code == 403 and "leave the group" in response.text
    assert (
        propfind(
            server.session(people["david"]),
            f"{server.url}/{people['david']}/contacts@{name}/",
            "<D:displayname/>",
        ).status_code
        == 207
    )


def test_personal_collection_names_cannot_take_a_mounts_form(seed001):
    server, people, _ = seed001
    body = (
        '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set>'
        "<D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"
    )
    url = f"{server.url}/{people['david']}/contacts@someothergroup/"
    assert server.session(people["david"]).request("MKCOL", url, data=body).status_code == 403


def test_other_members_homes_stay_private(seed001):
    server, people, name = seed001
    response = server.session(people["eve"]).get(
        f"{server.url}/{people['gilles']}/contacts@{name}/"
    )
    assert response.status_code in (403, 404)
