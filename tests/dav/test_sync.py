"""Incremental sync and preconditions (issue 2 §5, SPEC S4)."""

import caldav
import pytest

from tests.support.dav import put, sync_collection, vcard, vevent
from tests.support.server import PASSWORD


def test_s4_incremental_sync_reports_exactly_what_changed(server):
    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    for name in ("a", "b", "c"):
        put(session, f"{book}{name}.vcf", vcard(name, name.upper()))
    token, everything = sync_collection(session, book)
    assert sorted(h.rsplit("/", 1)[1] for h in everything) == ["a.vcf", "b.vcf", "c.vcf"]

    again, nothing = sync_collection(session, book, token)
    assert (again, nothing) == (token, {})

    put(session, f"{book}b.vcf", vcard("b", "B changed"))
    session.delete(f"{book}c.vcf")
    put(session, f"{book}d.vcf", vcard("d", "D"))
    newer, changed = sync_collection(session, book, token)
    assert newer != token
    by_name = {h.rsplit("/", 1)[1]: status for h, status in changed.items()}
    assert set(by_name) == {"b.vcf", "c.vcf", "d.vcf"}
    assert "404" in by_name["c.vcf"] and "200" in by_name["b.vcf"]


@pytest.mark.parametrize(
    ("agent", "status"),
    [
        ("DAVx5/4.4.2-ose (dav4jvm; okhttp/4.12.0) Android/14", 403),  # RFC 6578
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0", 400),
    ],
)
def test_s4_invalid_sync_token_makes_each_client_resync(server, agent, status):
    login = server.new_user()
    session = server.session(login)
    body = (
        '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>'
        "http://davshare.org/ns/sync/bogus-9</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    response = session.request(
        "REPORT", f"{server.url}/{login}/contacts/", data=body, headers={"User-Agent": agent}
    )
    assert response.status_code == status
    assert "valid-sync-token" in response.text


def test_caldav_library_sync_sees_changes_from_another_client(server):
    login = server.new_user()
    url = f"{server.url}/{login}/calendar/"
    first = caldav.DAVClient(url=url, username=login, password=PASSWORD).calendar(url=url)
    second = caldav.DAVClient(url=url, username=login, password=PASSWORD).calendar(url=url)
    first.save_event(vevent("one", "First"))
    objects = second.objects_by_sync_token(load_objects=True)
    assert [o.icalendar_component["UID"] for o in objects] == ["one"]
    first.save_event(vevent("two", "Second"))
    updates = second.objects_by_sync_token(sync_token=objects.sync_token, load_objects=True)
    assert [o.icalendar_component["UID"] for o in updates] == ["two"]


def test_stale_if_match_gets_412_and_keeps_the_newer_version(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/x.vcf"
    old_etag = put(session, url, vcard("x", "Version 1")).headers["ETag"]
    put(session, url, vcard("x", "Version 2"), **{"If-Match": old_etag})
    stale = put(session, url, vcard("x", "Version 3"), **{"If-Match": old_etag})
    assert stale.status_code == 412
    assert "Version 2" in session.get(url).text
    assert session.delete(url, headers={"If-Match": old_etag}).status_code == 412
    assert session.get(url).status_code == 200


def test_if_none_match_star_does_not_overwrite(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/y.vcf"
    put(session, url, vcard("y", "Original"))
    assert put(session, url, vcard("y", "Clobber"), **{"If-None-Match": "*"}).status_code == 412
    assert "Original" in session.get(url).text


def test_same_uid_under_another_href_is_a_conflict(server):
    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    put(session, book + "one.vcf", vcard("same-uid", "One"))
    response = put(session, book + "two.vcf", vcard("same-uid", "Two"))
    assert response.status_code == 409
    assert "no-uid-conflict" in response.text
    assert session.get(book + "two.vcf").status_code == 404


def test_fast_initial_sync_answers_as_radicale_does(server):
    import xml.etree.ElementTree as ET

    from tests.support.dav import NS

    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    for name in ("a", "b", "c"):
        put(session, f"{book}{name}.vcf", vcard(name, name.upper()))

    def initial(props):
        body = (
            '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/>'
            f"<D:sync-level>1</D:sync-level><D:prop>{props}</D:prop></D:sync-collection>"
        )
        root = ET.fromstring(session.request("REPORT", book, data=body).content)
        etags = {
            r.findtext("D:href", namespaces=NS): r.findtext(".//D:getetag", namespaces=NS)
            for r in root.findall("D:response", NS)
        }
        return root.findtext("D:sync-token", namespaces=NS), etags

    fast = initial("<D:getetag/>")  # served by davshare's fast path
    slow = initial("<D:getetag/><D:getcontentlength/>")  # only Radicale's path answers this
    assert fast == slow and len(fast[1]) == 3
    put(session, f"{book}d.vcf", vcard("d", "D"))
    _, changes = sync_collection(session, book, fast[0])
    assert [h.rsplit("/", 1)[1] for h in changes] == ["d.vcf"]
