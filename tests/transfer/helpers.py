"""Sample files, the import and export calls, and property-by-property views of vCards and events."""

import collections
import uuid
from pathlib import Path

import icalendar
import requests
import vobject

from tests.support.api import PREFIX

DATA = Path(__file__).parent.parent / "data"


def sample(name: str) -> bytes:
    """The bytes of a sample file of tests/data."""
    return (DATA / name).read_bytes()


def import_file(server, login, collection, data, **params) -> requests.Response:
    """POST a file to the import endpoint as ``login``."""
    url = f"{server.url}{PREFIX}/collections/{collection}/import"
    return server.session(login).post(url, data=data, params=params or None)


def imported(server, login, collection, data, **params) -> dict:
    """The report of an import that must be accepted."""
    response = import_file(server, login, collection, data, **params)
    assert response.status_code == 200, response.text
    return response.json()


def export_file(server, login, collection, **params) -> requests.Response:
    """GET the export of a collection as ``login``."""
    url = f"{server.url}{PREFIX}/collections/{collection}/export"
    return server.session(login).get(url, params=params or None)


def exported(server, login, collection, **params) -> str:
    """The text of an export that must succeed."""
    response = export_file(server, login, collection, **params)
    assert response.status_code == 200, response.text
    return response.content.decode("utf-8")


def new_group(server, admin) -> str:
    """A new group administered by ``admin``; returns its name."""
    name = f"g-{uuid.uuid4().hex[:8]}"
    response = server.session(admin).post(f"{server.url}{PREFIX}/groups", json={"name": name})
    assert response.status_code == 201, response.text
    return name


def _vobject_property(prop) -> tuple:
    params = tuple(sorted((k.upper(), tuple(v)) for k, v in prop.params.items()))
    return prop.group, prop.name.upper(), params, repr(prop.value)


def vcards(text: str) -> dict[str, collections.Counter]:
    """Each vCard of ``text`` by FN: the multiset of its properties (group, name, params, value)."""
    found = {}
    for card in vobject.readComponents(text, allowQP=True):
        name = card.fn.value if "fn" in card.contents else " ".join(str(card.n.value).split())
        found[name] = collections.Counter(_vobject_property(p) for p in card.getChildren())
    return found


def _ical_property(name, value) -> tuple:
    params = getattr(value, "params", {})
    params = tuple(sorted((k.upper(), str(v)) for k, v in params.items()))
    return name, params, value.to_ical() if hasattr(value, "to_ical") else value


def components(text: str) -> dict[tuple[str, str], collections.Counter]:
    """Each event or task of ``text`` by (UID, RECURRENCE-ID): its properties, alarms included."""
    found = {}
    for component in icalendar.Calendar.from_ical(text).walk():
        if component.name in ("VEVENT", "VTODO"):
            recurrence = component.get("RECURRENCE-ID")
            key = (str(component["UID"]), recurrence.to_ical().decode() if recurrence else "")
            found[key] = collections.Counter(
                _ical_property(name, value) for name, value in component.property_items()
            )
    return found


def timezones(text: str) -> dict[str, collections.Counter]:
    """Each VTIMEZONE of ``text`` by TZID, as its properties."""
    return {
        str(tz["TZID"]): collections.Counter(
            _ical_property(name, value) for name, value in tz.property_items()
        )
        for tz in icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    }
