"""Exporting a collection over the JSON API (SPEC I2): formats, downloads, who may export what."""

import uuid

import pytest
import vobject

from tests.support.api import ApiClient
from tests.transfer.helpers import export_file, exported, imported, new_group, sample


@pytest.mark.parametrize(
    ("collection", "name", "file_format", "media_type", "begins"),
    [
        ("contacts", "contacts_vcard30_apple.vcf", None, "text/vcard", "BEGIN:VCARD"),
        ("contacts", "contacts_vcard30_apple.vcf", "csv", "text/csv", "First Name,"),
        ("calendar", "calendar_thunderbird.ics", None, "text/calendar", "BEGIN:VCALENDAR"),
        ("tasks", "tasks_thunderbird.ics", "ics", "text/calendar", "BEGIN:VCALENDAR"),
    ],
)
def test_i2_a_collection_downloads_as_one_file(
    server, collection, name, file_format, media_type, begins
):
    login = server.new_user()
    imported(server, login, collection, sample(name))
    params = {"format": file_format} if file_format else {}
    response = export_file(server, login, collection, **params)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media_type)
    extension = file_format or ("vcf" if collection == "contacts" else "ics")
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="{collection}.{extension}"'
    )
    assert response.text.startswith(begins)


def test_i2_an_empty_collection_exports_an_empty_file(server):
    login = server.new_user()
    assert exported(server, login, "contacts") == ""
    assert vobject.readOne(exported(server, login, "calendar")).name == "VCALENDAR"


def test_i2_a_calendar_cannot_be_written_as_csv(server):
    response = export_file(server, server.new_user(), "calendar", format="csv")
    assert response.status_code == 400 and "cannot be written as csv" in response.text


class Team:
    """A group whose address book holds one contact, a member who may only read, an outsider."""

    def __init__(self, server):
        self.admin, self.member, self.outsider = (server.new_user() for _ in range(3))
        self.name = new_group(server, self.admin)
        ApiClient(server.url, server.session(self.admin)).ok(
            "POST", f"/groups/{self.name}/members", {"login": self.member}
        )
        imported(server, self.admin, self.mount(), sample("contacts_vcard40_thunderbird.vcf"))

    def mount(self):
        return f"contacts@{self.name}"


def test_i2_r1_every_member_may_export_a_group_collection(server):
    team = Team(server)
    text = exported(server, team.member, team.mount())
    assert {c.fn.value for c in vobject.readComponents(text)} == {"Gilles Buisson", "Anne Côté"}
    response = export_file(server, team.member, team.mount())
    assert response.headers["Content-Disposition"] == f'attachment; filename="{team.mount()}.vcf"'


def test_i2_an_outsider_cannot_export_a_group_collection(server):
    team = Team(server)
    response = export_file(server, team.outsider, team.mount())
    assert response.status_code == 404 and "BEGIN:VCARD" not in response.text


def test_i2_s1_a_reader_of_a_shared_calendar_exports_private_events_without_details(server):
    owner, reader = server.new_user(), server.new_user()
    imported(server, owner, "calendar", sample("calendar_thunderbird.ics"))
    ApiClient(server.url, server.session(owner)).ok(
        "PUT", f"/collections/calendar/shares/{reader}", {"rights": "read"}
    )
    text = exported(server, reader, f"calendar~{owner}")
    events = {e.uid.value: e for c in vobject.readComponents(text) for e in c.vevent_list}
    dentist = events["c9d8e7f6-a5b4-4c3d-2e1f-0a9b8c7d6e5f"]
    assert dentist.summary.value != "Dentiste" and "valarm" not in dentist.contents
    assert "Dentiste" in exported(server, owner, "calendar")


def test_i2_nobody_exports_another_persons_collection_by_naming_it(server):
    owner, other = server.new_user(), server.new_user()
    imported(server, owner, "contacts", sample("contacts_vcard30_apple.vcf"))
    for name in (f"contacts~{owner}", f"../{owner}/contacts", f"contacts@{uuid.uuid4().hex[:6]}"):
        response = export_file(server, other, name)
        assert response.status_code == 404, name
        assert "BEGIN:VCARD" not in response.text
