"""Clients find everything from the server's address (issue 2 §7, SPEC A3)."""

import xml.etree.ElementTree as ET

import caldav
import pytest

from tests.support.dav import NS, propfind
from tests.support.server import PASSWORD


@pytest.mark.parametrize("service", ["caldav", "carddav"])
def test_well_known_redirects_to_the_root(server, service):
    login = server.new_user()
    response = server.session(login).request(
        "PROPFIND", f"{server.url}/.well-known/{service}", allow_redirects=False
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "/"


def test_a3_caldav_client_discovers_calendar_and_task_list_from_well_known(server):
    login = server.new_user()
    client = caldav.DAVClient(
        url=f"{server.url}/.well-known/caldav", username=login, password=PASSWORD
    )
    calendars = {
        str(c.url).rstrip("/").rsplit("/", 1)[1]: c for c in client.principal().calendars()
    }
    assert set(calendars) == {"calendar", "tasks"}
    assert calendars["calendar"].get_supported_components() == ["VEVENT"]
    assert calendars["tasks"].get_supported_components() == ["VTODO"]


def test_principal_properties_point_to_one_home(server):
    login = server.new_user()
    session = server.session(login)
    root = ET.fromstring(propfind(session, server.url + "/", "<D:current-user-principal/>").content)
    principal = root.findtext(".//D:current-user-principal/D:href", namespaces=NS)
    assert principal == f"/{login.replace('@', '%40')}/"
    props = "<CR:addressbook-home-set/><C:calendar-home-set/>"
    root = ET.fromstring(propfind(session, server.url + principal, props).content)
    for name in ("CR:addressbook-home-set", "C:calendar-home-set"):
        hrefs = root.findall(f".//{name}/D:href", NS)
        assert [h.text for h in hrefs] == [principal]


def test_a3_home_lists_contacts_calendar_and_tasks_with_names(server):
    login = server.new_user()
    props = "<D:resourcetype/><D:displayname/><C:supported-calendar-component-set/><CS:getctag/>"
    response = propfind(server.session(login), f"{server.url}/{login}/", props, depth="1")
    assert response.status_code == 207
    found = {}
    for r in ET.fromstring(response.content).findall("D:response", NS):
        href = r.findtext("D:href", namespaces=NS).rstrip("/").rsplit("/", 1)[1]
        kinds = [c.tag.split("}")[1] for c in r.find(".//D:resourcetype", NS)]
        found[href] = (kinds, r.findtext(".//D:displayname", namespaces=NS))
        if "addressbook" in kinds or "calendar" in kinds:
            assert r.findtext(".//CS:getctag", namespaces=NS)
    assert found["contacts"] == (["addressbook", "collection"], "Contacts")
    assert found["calendar"] == (["calendar", "collection"], "Calendar")
    assert found["tasks"] == (["calendar", "collection"], "Tasks")
