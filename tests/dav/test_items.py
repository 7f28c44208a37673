"""Create, read, update and delete contacts, events and tasks as clients do (issue 2)."""

import datetime
import xml.etree.ElementTree as ET

import caldav
import pytest

from tests.support.dav import NS, propfind, put, vcard, vevent, vtodo
from tests.support.server import PASSWORD


def _calendar(server, login, name):
    client = caldav.DAVClient(url=server.url + "/", username=login, password=PASSWORD)
    return client.calendar(url=f"{server.url}/{login}/{name}/")


def test_event_crud_with_caldav_library(server):
    login = server.new_user()
    calendar = _calendar(server, login, "calendar")
    event = calendar.save_event(vevent("ev-1", "Kick-off"))
    assert [e.icalendar_component["SUMMARY"] for e in calendar.events()] == ["Kick-off"]
    event.icalendar_component["SUMMARY"] = "Kick-off (moved)"
    event.save()
    again = calendar.event_by_uid("ev-1")
    assert again.icalendar_component["SUMMARY"] == "Kick-off (moved)"
    again.delete()
    assert calendar.events() == []


def test_task_crud_with_caldav_library(server):
    login = server.new_user()
    tasks = _calendar(server, login, "tasks")
    todo = tasks.save_todo(
        vtodo("todo-1", "Call the printer company", extra="PRIORITY:1\nDUE:20261210T170000Z")
    )
    found = tasks.todos()
    assert [t.icalendar_component["SUMMARY"] for t in found] == ["Call the printer company"]
    todo.complete()
    assert tasks.todos() == []  # completed tasks are hidden by default
    assert len(tasks.todos(include_completed=True)) == 1
    todo.delete()
    assert tasks.todos(include_completed=True) == []


def test_contact_crud_over_http(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/ann.vcf"
    created = put(session, url, vcard("ann", "Ann Archer", email="ann@example.org"))
    assert created.status_code == 201
    etag = created.headers["ETag"]
    assert session.get(url).text == vcard("ann", "Ann Archer", email="ann@example.org")
    updated = put(session, url, vcard("ann", "Ann Archer-Smith"), **{"If-Match": etag})
    assert updated.status_code == 204
    assert "Archer-Smith" in session.get(url).text
    assert session.delete(url).status_code == 200
    assert session.get(url).status_code == 404


def test_time_range_query_finds_recurring_event_occurrences(server):
    login = server.new_user()
    calendar = _calendar(server, login, "calendar")
    calendar.save_event(vevent("weekly", "Standup", extra="RRULE:FREQ=WEEKLY;COUNT=10"))
    calendar.save_event(vevent("once", "Review", start="20270301T100000Z", end="20270301T110000Z"))
    week = calendar.search(
        start=datetime.datetime(2026, 12, 15, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 12, 16, tzinfo=datetime.UTC),
        event=True,
    )
    assert [e.icalendar_component["UID"] for e in week] == ["weekly"]
    later = calendar.search(
        start=datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 2, tzinfo=datetime.UTC),
        event=True,
    )
    assert [e.icalendar_component["UID"] for e in later] == ["once"]


def test_addressbook_query_by_email_domain_and_city(server):
    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    put(session, book + "a.vcf", vcard("a", "Ann", email="ann@acme.fr", city="Lyon"))
    put(session, book + "b.vcf", vcard("b", "Bob", email="bob@other.org", city="Paris"))
    put(session, book + "c.vcf", vcard("c", "Cid", city="Lyon"))

    def query(prop, text, match_type="contains"):
        body = (
            '<?xml version="1.0"?><CR:addressbook-query xmlns:D="DAV:" '
            'xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>'
            f'<CR:filter><CR:prop-filter name="{prop}"><CR:text-match match-type="{match_type}">'
            f"{text}</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>"
        )
        response = session.request("REPORT", book, data=body, headers={"Depth": "1"})
        assert response.status_code == 207
        hrefs = [h.text for h in ET.fromstring(response.content).findall(".//D:href", NS)]
        return sorted(h.rsplit("/", 1)[1] for h in hrefs)

    assert query("EMAIL", "@ACME.fr") == ["a.vcf"]
    assert query("EMAIL", "bob@", "starts-with") == ["b.vcf"]
    assert query("ADR", "lyon") == ["a.vcf", "c.vcf"]
    assert query("FN", "nobody") == []


@pytest.mark.parametrize("kind", ["MKCALENDAR", "MKCOL"])
def test_a3_user_creates_renames_and_deletes_a_collection(server, kind):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/project-x/"
    if kind == "MKCALENDAR":
        body = (
            '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" '
            'xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Project X</D:displayname>'
            "<I:calendar-color>#ff0000</I:calendar-color>"
            "<C:calendar-description>Planning</C:calendar-description></D:prop></D:set></C:mkcalendar>"
        )
    else:
        body = (
            '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
            "<D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>"
            "<D:displayname>Project X</D:displayname>"
            "<CR:addressbook-description>Planning</CR:addressbook-description></D:prop></D:set></D:mkcol>"
        )
    assert session.request(kind, url, data=body).status_code == 201
    assert "Project X" in propfind(session, url, "<D:displayname/>").text
    rename = (
        '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
        "<D:displayname>Project Y</D:displayname></D:prop></D:set></D:propertyupdate>"
    )
    assert session.request("PROPPATCH", url, data=rename).status_code == 207
    assert "Project Y" in propfind(session, url, "<D:displayname/>").text
    assert session.delete(url).status_code == 200
    assert propfind(session, url, "<D:displayname/>").status_code == 404


@pytest.mark.parametrize(
    ("collection", "text"), [("calendar", vtodo("t", "A task")), ("tasks", vevent("e", "An event"))]
)
def test_calendar_refuses_components_it_does_not_hold(server, collection, text):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/{collection}/x.ics"
    response = put(session, url, text)
    assert response.status_code == 403
    assert "supported-calendar-component" in response.text
    assert "put it in another calendar" in response.text
    assert session.get(url).status_code == 404


@pytest.mark.parametrize("collection", ["contacts", "calendar"])
def test_fast_depth_1_listing_answers_as_radicale_does(server, collection):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/{collection}/"
    for i in range(5):
        text = vcard(f"c{i}", f"C {i}") if collection == "contacts" else vevent(f"e{i}", f"E {i}")
        put(session, f"{url}{i}.{'vcf' if collection == 'contacts' else 'ics'}", text)

    def listing(extra):
        props = f"<D:getetag/><D:getcontenttype/><D:getlastmodified/><D:resourcetype/><CS:getctag/>{extra}"
        root = ET.fromstring(propfind(session, url, props, depth="1").content)
        answer = {}
        for r in root.findall("D:response", NS):
            found = {
                p.tag: (p.text, len(p))
                for p in r.findall("D:propstat[D:status='HTTP/1.1 200 OK']/D:prop/*", NS)
            }
            missing = {
                p.tag
                for p in r.findall("D:propstat[D:status='HTTP/1.1 404 Not Found']/D:prop/*", NS)
            }
            answer[r.findtext("D:href", namespaces=NS)] = (
                found,
                missing - {"{DAV:}getcontentlength"},
            )
        return answer

    fast = listing("")  # served by davshare's fast path
    slow = listing("<D:getcontentlength/>")  # a property only Radicale's path answers
    for found, _ in slow.values():
        found.pop("{DAV:}getcontentlength", None)
    assert len(fast) == 6
    assert fast == slow
