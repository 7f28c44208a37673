"""addressbook-multiget and calendar-multiget (RFC 6352 §8.7, RFC 4791 §7.9) as each
viewer sees the items: the plain request every client sends after a sync is written
straight from the rows (issue 21); any other prop goes through Radicale's machinery.
Both must give the same answer, views and confidential fields applied."""

import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

from tests.dav.test_confidential import _card, _hidden_parts_absent, _shared
from tests.dav.test_views import Team, _contacts
from tests.support.dav import NS, put, vevent

CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALDAV = "urn:ietf:params:xml:ns:caldav"


def _multiget(session, url, hrefs, *, calendar=False, extra=""):
    ns, report, data = (
        (CALDAV, "calendar-multiget", "calendar-data")
        if calendar
        else (CARDDAV, "addressbook-multiget", "address-data")
    )
    body = (
        f'<?xml version="1.0"?><X:{report} xmlns:D="DAV:" xmlns:X="{ns}">'
        f"<D:prop><D:getetag/><D:getcontenttype/><X:{data}/>{extra}</D:prop>"
        + "".join(f"<D:href>{h}</D:href>" for h in hrefs)
        + f"</X:{report}>"
    )
    response = session.request("REPORT", url, data=body.encode(), headers={"Depth": "1"})
    assert response.status_code == 207, response.text
    return response


def _parsed(response, calendar=False):
    """href -> (etag, content type, data) of the items found, None for 404s."""
    data = f"{{{CALDAV if calendar else CARDDAV}}}{'calendar' if calendar else 'address'}-data"
    found = {}
    for r in ET.fromstring(response.content).findall("D:response", NS):
        href = unquote(r.findtext("D:href", namespaces=NS) or "")
        ok = [
            p
            for p in r.findall("D:propstat", NS)
            if "200" in (p.findtext("D:status", namespaces=NS) or "")
        ]
        if not ok:
            found[href] = None
            continue
        prop = ok[0].find("D:prop", NS)
        found[href] = (
            prop.findtext("D:getetag", namespaces=NS),
            prop.findtext("D:getcontenttype", namespaces=NS),
            (prop.findtext(data) or "").replace("\r\n", "\n"),
        )
    return found


def _both(session, url, hrefs, calendar=False):
    """The fast answer and Radicale's (a displayname asked too sends it there)."""
    fast = _parsed(_multiget(session, url, hrefs, calendar=calendar), calendar)
    slow = _parsed(
        _multiget(session, url, hrefs, calendar=calendar, extra="<D:displayname/>"), calendar
    )
    return fast, slow


def test_multiget_of_own_contacts_matches_radicale_and_reports_missing_ones(server):
    login = server.new_user()
    session = server.session(login)
    book = f"/{login}/contacts/"
    for name in ("anne.vcf", "été 1.vcf"):
        assert put(session, server.url + book + quote(name), _card(name, "Anne")).status_code == 201
    hrefs = [quote(book + "anne.vcf"), quote(book + "été 1.vcf"), quote(book + "gone.vcf")]
    fast, slow = _both(session, server.url + book, hrefs)
    assert fast == slow
    assert fast[book + "gone.vcf"] is None
    etag, kind, text = fast[book + "anne.vcf"]
    assert etag == session.get(server.url + book + "anne.vcf").headers["ETag"]
    assert kind.startswith("text/vcard") and "UID:anne.vcf" in text


def test_multiget_of_events_matches_radicale(server):
    login = server.new_user()
    session = server.session(login)
    cal = f"/{login}/calendar/"
    uid = uuid.uuid4().hex
    assert put(session, server.url + cal + "e.ics", vevent(uid, "Budget")).status_code == 201
    fast, slow = _both(session, server.url + cal, [cal + "e.ics", cal + "none.ics"], calendar=True)
    assert fast == slow
    _, kind, text = fast[cal + "e.ics"]
    assert "component=VEVENT" in kind and f"UID:{uid}" in text


def test_q2_multiget_through_a_view_answers_404_for_hidden_contacts(server):
    team = Team(server)
    _contacts(team)
    team.view("lyon", {"field": "city", "op": "equals", "value": "lyon"}, to=team.member)
    url = team.url(team.member)
    base = url[len(server.url) :]
    hrefs = [base + n for n in ("lyon1.vcf", "paris.vcf", "nowhere.vcf")]
    fast, slow = _both(server.session(team.member), url, hrefs)
    assert fast == slow
    assert fast[base + "lyon1.vcf"] is not None
    assert fast[base + "paris.vcf"] is None and fast[base + "nowhere.vcf"] is None


def test_r6_multiget_leaves_confidential_fields_out_with_the_sharees_etag(server):
    _, sharee, mount = _shared(server)
    session = server.session(sharee)
    base = mount[len(server.url) :]
    fast, slow = _both(session, mount, [base + "anne.vcf"])
    assert fast == slow
    etag, _, text = fast[base + "anne.vcf"]
    assert _hidden_parts_absent(text) and "Rue du Travail" in text
    assert etag == session.get(mount + "anne.vcf").headers["ETag"]


def test_multiget_naming_another_collection_is_answered_as_before(server):
    login = server.new_user()
    session = server.session(login)
    book = f"/{login}/contacts/"
    assert put(session, server.url + book + "a.vcf", _card("a", "A")).status_code == 201
    found = _parsed(_multiget(session, server.url + book, [book + "a.vcf", f"/{login}/calendar/x"]))
    assert found[book + "a.vcf"] is not None


def test_r7_multiget_of_someone_elses_book_is_refused(server):
    owner, stranger = server.new_user(), server.new_user()
    book = f"/{owner}/contacts/"
    assert (
        put(server.session(owner), server.url + book + "a.vcf", _card("a", "A")).status_code == 201
    )
    body = (
        f'<?xml version="1.0"?><CR:addressbook-multiget xmlns:D="DAV:" xmlns:CR="{CARDDAV}">'
        f"<D:prop><D:getetag/><CR:address-data/></D:prop><D:href>{book}a.vcf</D:href>"
        "</CR:addressbook-multiget>"
    )
    response = server.session(stranger).request(
        "REPORT", server.url + book, data=body.encode(), headers={"Depth": "1"}
    )
    assert response.status_code in (403, 404)
    assert "UID:a" not in response.text
