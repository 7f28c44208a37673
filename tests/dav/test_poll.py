"""The Depth-0 PROPFIND every client repeats on each collection (issue 21): written
straight from the collection, it must say what Radicale's machinery says, per viewer:
the owner, a group member (a mount), a member seeing through a view, a read sharee."""

import xml.etree.ElementTree as ET

import pytest

from tests.dav.test_views import Team, _contacts
from tests.support.api import ApiClient
from tests.support.dav import NS, propfind, put, vcard

POLL = (
    "<CS:getctag/><D:sync-token/><D:displayname/><D:resourcetype/>"
    "<D:current-user-privilege-set/><D:getetag/><D:getcontenttype/>"
    '<I:calendar-color xmlns:I="http://apple.com/ns/ical/"/><C:calendar-description/>'
)


def _props(response):
    """{clark name: (status, canonical XML of the property)} of the one response."""
    assert response.status_code == 207, response.text
    found = {}
    (answer,) = ET.fromstring(response.content).findall("D:response", NS)
    for propstat in answer.findall("D:propstat", NS):
        status = propstat.findtext("D:status", namespaces=NS)
        for prop in propstat.find("D:prop", NS):
            children = sorted(child.tag for child in prop.iter() if child is not prop)
            found[prop.tag] = (status, (prop.text or "").strip(), children)
    return found


def _both(session, url):
    """The fast answer and Radicale's (asking for DAV:owner too sends it there)."""
    fast = _props(propfind(session, url, POLL))
    slow = _props(propfind(session, url, POLL + "<D:owner/>"))
    del slow["{DAV:}owner"]
    return fast, slow


@pytest.mark.parametrize("tool", ["contacts", "calendar"])
def test_the_owners_poll_matches_radicale(server, tool):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/{tool}/"
    before = _props(propfind(session, url, POLL))
    fast, slow = _both(session, url)
    assert fast == slow
    ctag = fast["{http://calendarserver.org/ns/}getctag"]
    assert ctag[0] == "HTTP/1.1 200 OK" and ctag == before["{http://calendarserver.org/ns/}getctag"]
    assert "{DAV:}write-content" in fast["{DAV:}current-user-privilege-set"][2]
    # A change moves the CTag and the token in the fast answer too.
    if tool == "contacts":
        assert put(session, url + "a.vcf", vcard("a", "A")).status_code == 201
        after = _props(propfind(session, url, POLL))
        for name in ("{http://calendarserver.org/ns/}getctag", "{DAV:}sync-token"):
            assert after[name] != fast[name]


def test_q3_a_group_members_poll_matches_radicale_and_a_view_has_its_own_token(server):
    team = Team(server)
    _contacts(team)
    team.view("lyon", {"field": "city", "op": "equals", "value": "lyon"}, to=team.member)
    member, other = (
        _both(server.session(login), team.url(login)) for login in (team.member, team.other)
    )
    assert member[0] == member[1] and other[0] == other[1]
    token = "{DAV:}sync-token"
    assert member[0][token] != other[0][token]
    assert member[0]["{DAV:}displayname"][1].endswith(")")  # "contacts (the group)"


def test_a_read_sharees_poll_matches_radicale_and_grants_no_write(server):
    owner, sharee = server.new_user(), server.new_user(domain="partner.example")
    ApiClient(server.url, server.session(owner)).ok(
        "PUT", f"/collections/contacts/shares/{sharee}", {"rights": "read"}
    )
    fast, slow = _both(server.session(sharee), f"{server.url}/{sharee}/contacts~{owner}/")
    assert fast == slow
    privileges = fast["{DAV:}current-user-privilege-set"][2]
    assert "{DAV:}read" in privileges and "{DAV:}write-content" not in privileges


def test_r7_a_strangers_poll_tells_nothing(server):
    owner, stranger = server.new_user(), server.new_user()
    response = propfind(server.session(stranger), f"{server.url}/{owner}/contacts/", POLL)
    assert response.status_code in (403, 404)
    assert "getctag" not in response.text and "sync-token" not in response.text
