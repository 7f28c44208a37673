"""A user reads and writes only their own collections (issue 2 §4, SPEC R7)."""

import pytest

from tests.support.dav import need_privilege, propfind, put, vcard, vevent


@pytest.fixture
def victim(server):
    login = server.new_user()
    session = server.session(login)
    put(session, f"{server.url}/{login}/contacts/secret.vcf", vcard("secret", "Secret Person"))
    put(session, f"{server.url}/{login}/calendar/meeting.ics", vevent("meeting", "Secret meeting"))
    return login, session


@pytest.mark.parametrize("path", ["contacts/secret.vcf", "calendar/meeting.ics", "contacts/", ""])
def test_r7_other_user_cannot_read(server, victim, path):
    owner, _ = victim
    intruder = server.session(server.new_user(domain="other.org"))
    url = f"{server.url}/{owner}/{path}"
    assert intruder.get(url).status_code in (403, 404)
    response = propfind(intruder, url, "<D:getetag/><D:displayname/>", depth="1")
    assert response.status_code in (403, 404)
    assert "Secret" not in response.text


def test_r7_other_user_cannot_search(server, victim):
    owner, _ = victim
    intruder = server.session(server.new_user())
    body = (
        '<?xml version="1.0"?><CR:addressbook-query xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
        "<D:prop><CR:address-data/></D:prop></CR:addressbook-query>"
    )
    response = intruder.request("REPORT", f"{server.url}/{owner}/contacts/", data=body)
    assert response.status_code in (403, 404)
    assert "Secret" not in response.text


@pytest.mark.parametrize(
    ("method", "path", "privilege"),
    [
        ("PUT", "contacts/new.vcf", "bind"),
        ("PUT", "contacts/secret.vcf", "write-content"),
        ("DELETE", "contacts/secret.vcf", "unbind"),
        ("PUT", "calendar/meeting.ics", "write-content"),
        ("DELETE", "calendar/meeting.ics", "unbind"),
        ("DELETE", "calendar/", "unbind"),
    ],
)
def test_r7_other_user_cannot_write_and_nothing_changes(server, victim, method, path, privilege):
    owner, owner_session = victim
    intruder = server.session(server.new_user())
    url = f"{server.url}/{owner}/{path}"
    before = owner_session.get(
        url.replace("calendar/", "calendar/meeting.ics") if path == "calendar/" else url
    )
    text = (
        vevent("meeting", "Hijacked")
        if "calendar" in path
        else vcard(path.split("/")[1][:-4], "Hijacked")
    )
    response = put(intruder, url, text) if method == "PUT" else intruder.delete(url)
    assert response.status_code == 403
    assert need_privilege(response) == privilege
    after = owner_session.get(
        url.replace("calendar/", "calendar/meeting.ics") if path == "calendar/" else url
    )
    assert (after.status_code, after.text) == (before.status_code, before.text)


def test_r7_other_user_cannot_move_an_item_out(server, victim):
    owner, owner_session = victim
    intruder_login = server.new_user()
    intruder = server.session(intruder_login)
    response = intruder.request(
        "MOVE",
        f"{server.url}/{owner}/contacts/secret.vcf",
        headers={"Destination": f"{server.url}/{intruder_login}/contacts/stolen.vcf"},
    )
    assert response.status_code == 403
    assert need_privilege(response) == "unbind"
    assert owner_session.get(f"{server.url}/{owner}/contacts/secret.vcf").status_code == 200


def test_owner_can_move_between_own_address_books(server, victim):
    owner, session = victim
    body = (
        '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>'
        "<D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"
    )
    assert session.request("MKCOL", f"{server.url}/{owner}/archive/", data=body).status_code == 201
    response = session.request(
        "MOVE",
        f"{server.url}/{owner}/contacts/secret.vcf",
        headers={"Destination": f"{server.url}/{owner}/archive/secret.vcf"},
    )
    assert response.status_code == 201
    assert session.get(f"{server.url}/{owner}/archive/secret.vcf").status_code == 200
    assert session.get(f"{server.url}/{owner}/contacts/secret.vcf").status_code == 404
