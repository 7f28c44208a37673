"""Bad input gets a clear error and stores nothing (issue 2 §8)."""

import pytest

from tests.support.dav import put, vcard, vevent

BAD_BODIES = [
    ("contacts", "BEGIN:VCARD\r\nFN garbage\r\n", "not a valid vCard"),
    ("contacts", "", "not a valid vCard"),
    ("contacts", "hello world", "not a valid vCard"),
    ("calendar", vcard("wrong-kind", "A contact"), "not a valid iCalendar object"),
    ("contacts", vevent("wrong-kind", "An event"), "not a valid vCard"),
    ("calendar", vevent("x", "No end").replace("UID:x\r\n", ""), "without UID"),
    (
        "calendar",
        vevent("x", "Two").replace(
            "END:VCALENDAR",
            "BEGIN:VEVENT\r\nUID:y\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR",
        ),
        "not a valid iCalendar object",
    ),
]


@pytest.mark.parametrize(("collection", "body", "reason"), BAD_BODIES)
def test_malformed_item_gets_400_with_reason_and_nothing_is_stored(
    server, collection, body, reason
):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/{collection}/bad.item"
    response = put(session, url, body) if body else session.put(url, data=b"")
    assert response.status_code == 400
    assert reason in response.text
    assert "Traceback" not in response.text
    assert session.get(url).status_code == 404


def test_xml_entities_are_not_expanded(server):
    login = server.new_user()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&c;'
        "</D:displayname></D:prop></D:propfind>"
    )
    response = server.session(login).request("PROPFIND", f"{server.url}/{login}/", data=bomb)
    assert response.status_code == 400
    external = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&x;</D:displayname></D:prop></D:propfind>'
    )
    response = server.session(login).request("PROPFIND", f"{server.url}/{login}/", data=external)
    assert response.status_code == 400
    assert "root:" not in response.text


def test_oversized_body_gets_413_and_nothing_is_stored(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/huge.vcf"
    huge = vcard("huge", "Huge", extra="NOTE:" + "x" * 11_000_000)
    response = put(session, url, huge)
    assert response.status_code == 413
    assert "at most" in response.text
    assert session.get(url).status_code == 404


def test_invalid_xml_gets_400(server):
    login = server.new_user()
    response = server.session(login).request(
        "PROPFIND", f"{server.url}/{login}/", data="<not-closed>"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/nobody@nowhere.org/contacts/", "/nobody@nowhere.org/", "/a/b/c/d/e.vcf"]
)
def test_paths_outside_reach_get_403_or_404_never_500(server, path):
    session = server.session(server.new_user())
    for method in ("GET", "PROPFIND", "DELETE", "REPORT"):
        assert session.request(method, server.url + path).status_code in (403, 404, 405)
    assert put(session, server.url + path + "x.vcf", vcard("x", "X")).status_code in (403, 404, 409)


def test_principal_home_cannot_be_deleted(server):
    login = server.new_user()
    session = server.session(login)
    assert session.delete(f"{server.url}/{login}/").status_code == 403
    assert session.get(f"{server.url}/{login}/contacts/").status_code in (200, 403)
    assert session.request("PROPFIND", f"{server.url}/{login}/contacts/").status_code == 207


@pytest.mark.parametrize(
    "method", ["PUT", "DELETE", "MOVE", "PROPPATCH", "MKCOL", "POST", "REPORT"]
)
@pytest.mark.parametrize("path", ["/", "/{login}/.outbox/", "/@somegroup/contacts/"])
def test_writes_on_odd_paths_are_refused_never_500(server, method, path):
    login = server.new_user()
    response = server.session(login).request(
        method,
        server.url + path.format(login=login),
        data=b"<garbage",
        headers={"Destination": f"{server.url}/{login}/contacts/x.vcf", "Depth": "1"},
    )
    assert 400 <= response.status_code < 500
