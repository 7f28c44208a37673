"""Any name works: non-ASCII, emoji, spaces and reserved characters read back as sent
(issue 22 §4), and names too long for storage get a clear answer."""

import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

import pytest

from tests.support.dav import NS, propfind, put, sync_collection, vcard, vevent

ITEM_NAMES = ["été.vcf", "bär 🎉.vcf", "a b+c&d=e;f,g!$'()*@:.vcf", "日本語.vcf", "100%.vcf"]
COLLECTION_NAMES = ["bär", "fêtes 🎂", "a+b&c=d;e,f!$'()*"]


def _hrefs(response) -> list[str]:
    assert response.status_code == 207, response.text
    root = ET.fromstring(response.content)
    return [
        unquote(r.findtext("D:href", namespaces=NS) or "") for r in root.findall("D:response", NS)
    ]


def _multiget(session, url: str, hrefs: list[str]) -> list[str]:
    body = (
        '<?xml version="1.0"?><CR:addressbook-multiget xmlns:D="DAV:" '
        'xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><CR:address-data/>'
        "</D:prop>"
        + "".join(f"<D:href>{quote(h)}</D:href>" for h in hrefs)
        + "</CR:addressbook-multiget>"
    )
    response = session.request("REPORT", url, data=body.encode(), headers={"Depth": "1"})
    root = ET.fromstring(response.content)
    found = []
    for r in root.findall("D:response", NS):
        if r.find("D:propstat/D:prop/CR:address-data", NS) is not None:
            found.append(unquote(r.findtext("D:href", namespaces=NS) or ""))
    return found


@pytest.mark.parametrize("name", ITEM_NAMES)
def test_s4_item_names_read_back_identically(server, name):
    login = server.new_user()
    session = server.session(login)
    book = f"/{login}/contacts/"
    url = server.url + book + quote(name)
    uid = f"uid-{ITEM_NAMES.index(name)}"
    response = put(session, url, vcard(uid, "Name test"))
    assert response.status_code == 201, response.text
    got = session.get(url)
    assert got.status_code == 200
    assert f"UID:{uid}" in got.text
    expected = book + name
    assert expected in _hrefs(propfind(session, server.url + book, "<D:getetag/>", depth="1"))
    assert expected in _hrefs(
        propfind(session, server.url + book, "<D:getetag/><D:displayname/>", depth="1")
    )
    _, changes = sync_collection(session, server.url + book)
    assert expected in {unquote(h) for h in changes}
    assert _multiget(session, server.url + book, [expected]) == [expected]
    assert session.delete(url).status_code in (200, 204)
    assert session.get(url).status_code == 404


@pytest.mark.parametrize("name", COLLECTION_NAMES)
def test_s4_collection_names_read_back_identically(server, name):
    login = server.new_user()
    session = server.session(login)
    path = f"/{login}/{name}/"
    body = (
        '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        "<D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype>"
        "</D:prop></D:set></D:mkcol>"
    )
    response = session.request("MKCOL", server.url + quote(path), data=body)
    assert response.status_code == 201, response.text
    assert path in _hrefs(propfind(session, f"{server.url}/{login}/", "<D:resourcetype/>", "1"))
    event = server.url + quote(path + "fête.ics")
    assert put(session, event, vevent("fête", "Fête")).status_code == 201
    assert path + "fête.ics" in _hrefs(
        propfind(session, server.url + quote(path), "<D:getetag/>", "1")
    )
    assert "SUMMARY:Fête" in session.get(event).text


def test_names_longer_than_255_characters_are_refused(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/{'n' * 256}.vcf"
    response = put(session, url, vcard("long", "Long"))
    assert response.status_code == 414
    assert "at most 255" in response.text
    assert (
        put(
            session, f"{server.url}/{login}/contacts/{'n' * 251}.vcf", vcard("ok", "Ok")
        ).status_code
        == 201
    )


def test_a_path_that_is_not_utf8_gets_400(server):
    login = server.new_user()
    response = server.session(login).get(f"{server.url}/{login}/contacts/%FF%FE.vcf")
    assert response.status_code == 400
    assert "UTF-8" in response.text
