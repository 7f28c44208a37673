"""200 contacts and 200 events go in and come back unchanged (issue 2, DESIGN "Storage")."""

import xml.etree.ElementTree as ET

import caldav
import pytest

from tests.support.dav import NS, put
from tests.support.samples import contact, event
from tests.support.server import PASSWORD

COUNT = 200


def _multiget(session, url, kind, hrefs):
    ns, tag, data = (
        (("C", "urn:ietf:params:xml:ns:caldav"), "calendar-multiget", "calendar-data")
        if kind == "calendar"
        else (("CR", "urn:ietf:params:xml:ns:carddav"), "addressbook-multiget", "address-data")
    )
    body = (
        f'<?xml version="1.0"?><{ns[0]}:{tag} xmlns:D="DAV:" xmlns:{ns[0]}="{ns[1]}">'
        f"<D:prop><D:getetag/><{ns[0]}:{data}/></D:prop>"
        + "".join(f"<D:href>{h}</D:href>" for h in hrefs)
        + f"</{ns[0]}:{tag}>"
    )
    response = session.request("REPORT", url, data=body.encode(), headers={"Depth": "1"})
    assert response.status_code == 207
    result = {}
    for r in ET.fromstring(response.content).findall("D:response", NS):
        text = r.findtext(f".//{ns[0]}:{data}", namespaces=NS)
        result[r.findtext("D:href", namespaces=NS)] = text
    return result


@pytest.mark.parametrize(("collection", "make"), [("contacts", contact), ("calendar", event)])
def test_round_trip_loses_no_property(server, collection, make):
    login = server.new_user()
    session = server.session(login)
    base = f"/{login}/{collection}/"
    sent = {}
    for i in range(COUNT):
        href = f"{base}item-{i}.{'vcf' if collection == 'contacts' else 'ics'}"
        response = put(session, server.url + href, make(i))
        assert response.status_code == 201, response.text
        sent[href.replace("@", "%40")] = make(i)
    received = _multiget(session, server.url + base, collection, list(sent))
    assert len(received) == COUNT
    for href, text in sent.items():
        # XML normalises CR LF to LF in text; the bytes on GET are the exact ones.
        assert received[href].replace("\r\n", "\n") == text.replace("\r\n", "\n"), href
    for i in (0, 1, 4, 199):
        href = f"{base}item-{i}.{'vcf' if collection == 'contacts' else 'ics'}"
        assert session.get(server.url + href).content.decode() == make(i)


def test_caldav_library_reads_back_recurrence_exceptions_and_alarms(server):
    login = server.new_user()
    url = f"{server.url}/{login}/calendar/"
    calendar = caldav.DAVClient(url=url, username=login, password=PASSWORD).calendar(url=url)
    calendar.save_event(event(4))
    stored = calendar.event_by_uid("event-4@davshare.test").icalendar_instance
    components = [c for c in stored.walk("VEVENT")]
    assert len(components) == 2
    assert "RECURRENCE-ID" in components[1]
    assert stored.walk("VALARM")[0]["TRIGGER"].to_ical() == b"-PT15M"
    assert stored.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
