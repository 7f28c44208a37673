"""Importing files over the JSON API (SPEC I1): formats, re-imports, duplicates, bad records, rights.

Over real HTTP on SQLite and PostgreSQL; what was imported is then read as a
DAV client reads it, and every refused import is checked to change nothing.
"""

import pytest

from tests.support.api import ApiClient
from tests.support.dav import sync_collection, vcard
from tests.transfer.helpers import import_file, imported, new_group, sample

# file -> (collection, imported, updated): Google lists an exception apart from its event.
SAMPLES = {
    "google_contacts.csv": ("contacts", 4),
    "google_contacts_legacy.csv": ("contacts", 2),
    "outlook_contacts.csv": ("contacts", 3),
    "contacts_vcard21_quoted_printable.vcf": ("contacts", 2),
    "contacts_vcard30_apple.vcf": ("contacts", 2),
    "contacts_vcard30_google.vcf": ("contacts", 2),
    "contacts_vcard30_bom_folded.vcf": ("contacts", 2),
    "contacts_vcard40_thunderbird.vcf": ("contacts", 2),
    "calendar_thunderbird.ics": ("calendar", 3),
    "calendar_google.ics": ("calendar", 2),
    "tasks_thunderbird.ics": ("tasks", 3),
}


def _state(server, login, collection):
    """What a syncing client sees: the sync token and the hrefs."""
    token, changes = sync_collection(server.session(login), f"{server.url}/{login}/{collection}/")
    return token, sorted(changes)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_i1_sample_files_import_and_clients_see_every_item(server, name):
    collection, count = SAMPLES[name]
    login = server.new_user()
    report = imported(server, login, collection, sample(name))
    assert (report["imported"], report["skipped"], report["problems"]) == (count, 0, [])
    assert report["format"] == name.rsplit(".", 1)[1]
    _, hrefs = _state(server, login, collection)
    assert len(hrefs) == count


@pytest.mark.parametrize(
    "name",
    [
        "google_contacts.csv",
        "outlook_contacts.csv",
        "calendar_google.ics",
        "contacts_vcard30_google.vcf",
    ],
)
def test_i1_importing_the_same_file_twice_changes_nothing(server, name):
    collection, count = SAMPLES[name]
    login = server.new_user()
    imported(server, login, collection, sample(name))
    before = _state(server, login, collection)
    again = imported(server, login, collection, sample(name))
    assert (again["unchanged"], again["imported"], again["updated"]) == (count, 0, 0)
    assert _state(server, login, collection) == before


def test_i1_an_existing_uid_is_updated_not_duplicated(server):
    login = server.new_user()
    first = vcard("same-uid", "Anne Archer", email="anne@example.com")
    imported(server, login, "contacts", first.encode())
    changed = vcard("same-uid", "Anne Archer-Dupont", email="anne@example.com")
    report = imported(server, login, "contacts", changed.encode())
    assert (report["updated"], report["imported"]) == (1, 0)
    _, hrefs = _state(server, login, "contacts")
    assert len(hrefs) == 1
    assert "Archer-Dupont" in server.session(login).get(server.url + hrefs[0]).text


def test_i1_likely_duplicates_are_reported_instead_of_imported(server):
    login = server.new_user()
    imported(server, login, "contacts", sample("google_contacts.csv"))
    before = _state(server, login, "contacts")
    text = (
        "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value\n"
        "Helen,Hebert,HELENE@maison.example,\n"  # the same e-mail, another case
        "Bruno,B.,,+32 (0)470 12.34.56\n"  # the same number, written otherwise
        "New,Person,new.person@example.com,\n"
        "Other,Person,new.person@example.com,\n"  # a duplicate of the row before
    )
    report = imported(server, login, "contacts", text.encode(), report_duplicates="1")
    assert (report["imported"], report["duplicate"]) == (1, 3)
    reasons = [d["reason"] for d in report["likely_duplicates"]]
    assert "same e-mail helene@maison.example" in reasons[0]
    assert "same phone +32 (0)470 12.34.56" in reasons[1]
    assert [d["record"] for d in report["likely_duplicates"]] == [1, 2, 4]
    assert len(_state(server, login, "contacts")[1]) == len(before[1]) + 1


@pytest.mark.parametrize(
    ("name", "collection", "problems", "good"),
    [
        (
            "contacts_with_bad_records.vcf",
            "contacts",
            [
                (2, 8, "no END:VCARD"),
                (0, 18, "text outside any vCard"),
                (4, 19, "Failed to parse line"),
                (6, 31, "the file ends inside"),
            ],
            2,
        ),
        (
            "google_contacts_with_bad_rows.csv",
            "contacts",
            [(2, 3, "not valid CSV"), (3, 4, "9 fields but the header 7"), (4, 5, "no name")],
            2,
        ),
        (
            "events_with_bad_records.ics",
            "calendar",
            [
                (2, 11, "not a valid iCalendar object"),
                (3, 17, "holds events, not tasks"),
                (4, 22, "Too many recurrence"),
                (0, 31, "text outside any VCALENDAR"),
                (6, 42, "the file ends inside"),
            ],
            2,
        ),
    ],
)
def test_i1_bad_records_are_reported_with_their_position_and_the_rest_imported(
    server, name, collection, problems, good
):
    login = server.new_user()
    report = imported(server, login, collection, sample(name))
    found = [(p["record"], p["line"], p["reason"]) for p in report["problems"]]
    assert [(r, line) for r, line, _ in found] == [(r, line) for r, line, _ in problems]
    for (_, _, reason), (_, _, expected) in zip(found, problems, strict=True):
        assert expected in reason
    assert report["imported"] == good + (1 if name.endswith(".vcf") else 0)
    assert len(_state(server, login, collection)[1]) == report["imported"]


def test_i1_contacts_cannot_go_into_a_calendar_and_nothing_changes(server):
    login = server.new_user()
    before = _state(server, login, "calendar")
    response = import_file(server, login, "calendar", sample("contacts_vcard30_apple.vcf"))
    assert response.status_code == 400
    assert "holds contacts" in response.json()["error"]["message"]
    assert _state(server, login, "calendar") == before


def test_i1_a_collection_one_does_not_have_is_not_found(server):
    login = server.new_user()
    response = import_file(server, login, "nope", sample("contacts_vcard30_apple.vcf"))
    assert response.status_code == 404 and "theirs: calendar, contacts, tasks" in response.text


def test_i1_a_browser_form_upload_imports_too(server):
    login = server.new_user()
    url = f"{server.url}/.davshare/api/v1/collections/contacts/import"
    files = {"file": ("contacts.csv", sample("google_contacts.csv"), "text/csv")}
    response = server.session(login).post(url, files=files)
    assert response.status_code == 200 and response.json()["imported"] == 4


class Group:
    """A group with an admin, a member granted "add" on its address book, and a plain member."""

    def __init__(self, server):
        self.server = server
        self.admin, self.adder, self.reader = (server.new_user() for _ in range(3))
        self.name = new_group(server, self.admin)
        admin = ApiClient(server.url, server.session(self.admin))
        for login in (self.adder, self.reader):
            admin.ok("POST", f"/groups/{self.name}/members", {"login": login})
        admin.ok(
            "PUT",
            f"/groups/{self.name}/collections/contacts/grants/{self.adder}",
            {"rights": "add"},
        )

    def mount(self):
        return f"contacts@{self.name}"

    def creator(self, href):
        api = ApiClient(self.server.url, self.server.session(self.admin))
        return api.ok("GET", f"/groups/{self.name}/collections/contacts/items/{href}/editors")[
            "creator"
        ]


def test_i1_r2_a_member_without_the_add_right_cannot_import_and_nothing_changes(server):
    group = Group(server)
    before = _state(server, group.reader, group.mount())
    response = import_file(server, group.reader, group.mount(), sample("google_contacts.csv"))
    assert response.status_code == 403 and "add right" in response.json()["error"]["message"]
    assert _state(server, group.reader, group.mount()) == before


def test_i1_r4_imports_into_a_group_are_created_by_the_importer(server):
    group = Group(server)
    report = imported(
        server, group.adder, group.mount(), sample("contacts_vcard40_thunderbird.vcf")
    )
    assert report["imported"] == 2
    _, hrefs = _state(server, group.adder, group.mount())
    assert {group.creator(h.rsplit("/", 1)[1]) for h in hrefs} == {group.adder}


def test_i1_r4_an_item_another_member_created_is_skipped_not_overwritten(server):
    group = Group(server)
    imported(server, group.admin, group.mount(), vcard("admins-own", "By the admin").encode())
    before = _state(server, group.adder, group.mount())
    text = vcard("admins-own", "Changed by the adder") + vcard("adders-own", "By the adder")
    report = imported(server, group.adder, group.mount(), text.encode())
    assert (report["imported"], report["skipped"]) == (1, 1)
    problem = report["problems"][0]
    assert problem["uid"] == "admins-own" and problem["reason"].startswith("not allowed")
    assert group.admin in problem["reason"]
    after = _state(server, group.adder, group.mount())
    assert [h for h in after[1] if h not in before[1]] == [h for h in after[1] if "adders-own" in h]
    url = f"{server.url}/{group.admin}/{group.mount()}/admins-own.vcf"
    assert "By the admin" in server.session(group.admin).get(url).text


def test_the_openapi_document_lists_import_and_export(server):
    from davshare.api.transfer import ROUTES

    document = (
        server.session(server.new_user()).get(server.url + "/.davshare/api/v1/openapi.json").json()
    )
    for method, path, handler in ROUTES:
        operation = document["paths"][path.replace("<", "{").replace(">", "}")][method.lower()]
        assert operation["operationId"] == handler.__name__ and operation["summary"]
