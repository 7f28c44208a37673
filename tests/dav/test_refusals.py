"""Every refusal is a proper DAV answer (issue 22 §6): 403 ``DAV:need-privileges`` naming the
privilege, 404 for what a person cannot know exists, and empty listings of a calendar
shared for busy times only."""

import uuid
import xml.etree.ElementTree as ET

from tests.support.api import ApiClient
from tests.support.dav import NS, need_privilege, propfind, put, vcard, vevent

SYNC = (
    '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}'
    "</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop>"
    "</D:sync-collection>"
)
QUERY = (
    '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    '<D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter '
    'name="VEVENT"><C:time-range start="20260101T000000Z"/></C:comp-filter></C:comp-filter>'
    "</C:filter></C:calendar-query>"
)
FREEBUSY = (
    '<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav">'
    '<C:time-range start="20261201T000000Z" end="20261202T000000Z"/></C:free-busy-query>'
)


def _api(server, login):
    return ApiClient(server.url, server.session(login))


def _responses(response) -> list[str]:
    assert response.status_code == 207, response.text
    root = ET.fromstring(response.content)
    return [r.findtext("D:href", namespaces=NS) or "" for r in root.findall("D:response", NS)]


def test_s1_r7_busy_only_calendar_answers_listings_empty_and_items_with_need_privileges(server):
    owner, sharee = server.new_user(), server.new_user()
    _api(server, owner).ok("PUT", f"/collections/calendar/shares/{sharee}", {"rights": "freebusy"})
    own = f"{server.url}/{owner}/calendar/"
    assert put(server.session(owner), own + "e.ics", vevent("e", "Secret")).status_code == 201
    session = server.session(sharee)
    calendar = f"{server.url}/{sharee}/calendar~{owner}/"
    # What DAVx5 and Thunderbird send right after discovery: 207, no item in it.
    assert len(_responses(propfind(session, calendar, "<D:getetag/>", depth="1"))) == 1
    sync = session.request("REPORT", calendar, data=SYNC.format(token=""))
    assert _responses(sync) == []
    token = ET.fromstring(sync.content).findtext("D:sync-token", namespaces=NS)
    assert token
    assert _responses(session.request("REPORT", calendar, data=SYNC.format(token=token))) == []
    assert _responses(session.request("REPORT", calendar, data=QUERY, headers={"Depth": "1"})) == []
    busy = session.request("REPORT", calendar, data=FREEBUSY, headers={"Depth": "1"})
    assert busy.status_code == 200 and "FREEBUSY" in busy.text and "Secret" not in busy.text
    # Asking for the event itself or writing: 403 naming the privilege, nothing changes.
    got = session.get(calendar + "e.ics")
    assert need_privilege(got) == "read"
    assert "Secret" not in got.text
    assert need_privilege(put(session, calendar + "n.ics", vevent("n", "New"))) == "bind"
    assert need_privilege(session.delete(calendar + "e.ics")) == "unbind"
    assert _responses(propfind(server.session(owner), own, "<D:getetag/>", depth="1")) == [
        f"/{owner}/calendar/".replace("@", "%40"),
        f"/{owner}/calendar/e.ics".replace("@", "%40"),
    ]


def _group(server, admin, member=None) -> str:
    name = "g-" + uuid.uuid4().hex[:8]
    _api(server, admin).ok("POST", "/groups", {"name": name})
    if member:
        _api(server, admin).ok("POST", f"/groups/{name}/members", {"login": member})
    return name


def test_g12_outsiders_get_the_same_404_whether_the_group_exists_or_not(server):
    admin, outsider = server.new_user(), server.new_user()
    group = _group(server, admin)
    session = server.session(outsider)
    answers = []
    for name in (group, "g-" + uuid.uuid4().hex[:8]):
        for url in (
            f"{server.url}/{admin}/contacts@{name}/x.vcf",
            f"{server.url}/{outsider}/contacts@{name}/x.vcf",
        ):
            response = put(session, url, vcard("x", "X"))
            answers.append((response.status_code, response.text.replace(name, "NAME")))
            assert session.request("PROPFIND", url.rsplit("/", 1)[0] + "/").status_code == 404
    assert {status for status, _ in answers} == {404}
    assert answers[0][1] == answers[2][1] and answers[1][1] == answers[3][1]
    assert (
        server.session(admin).get(f"{server.url}/{admin}/contacts@{group}/x.vcf").status_code == 404
    )


def test_g7_g8_former_members_and_deleted_groups_answer_404(server):
    admin, member = server.new_user(), server.new_user()
    group = _group(server, admin, member)
    mount = f"{server.url}/{member}/contacts@{group}/"
    admin_mount = f"{server.url}/{admin}/contacts@{group}/"
    assert put(server.session(admin), admin_mount + "a.vcf", vcard("a", "A")).status_code == 201
    assert server.session(member).get(mount + "a.vcf").status_code == 200
    _api(server, admin).ok("DELETE", f"/groups/{group}/members/{member}")
    session = server.session(member)
    assert put(session, mount + "b.vcf", vcard("b", "B")).status_code == 404
    assert session.get(mount + "a.vcf").status_code == 404
    assert session.request("PROPFIND", mount).status_code == 404
    _api(server, admin).call("DELETE", f"/groups/{group}", {"confirm": group})
    assert server.session(admin).request("PROPFIND", admin_mount).status_code == 404
    assert put(server.session(admin), admin_mount + "c.vcf", vcard("c", "C")).status_code == 404


def test_r7_others_homes_answer_403_with_need_privileges(server):
    login, other = server.new_user(), server.new_user()
    session = server.session(login)
    for method in ("GET", "PROPFIND", "REPORT"):
        response = session.request(method, f"{server.url}/{other}/contacts/")
        assert need_privilege(response) == "read", (method, response.text)
    response = session.request("PROPPATCH", f"{server.url}/{other}/contacts/", data=b"")
    assert need_privilege(response) in ("write-properties", "read")
    assert need_privilege(put(session, f"{server.url}/{other}/contacts/x.vcf", vcard("x", "X")))
    assert server.session(other).get(f"{server.url}/{other}/contacts/x.vcf").status_code == 404


def test_r7_reserved_collection_names_are_refused_with_need_privileges(server):
    login = server.new_user()
    response = server.session(login).request("MKCOL", f"{server.url}/{login}/mine@x/")
    assert need_privilege(response) == "bind"
    assert "kept for group and shared" in response.text
