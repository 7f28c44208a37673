"""Confidential fields on shared address books, and one contact shared into a group
(issue 5; SPEC R6), over real HTTP."""

import uuid

import pytest

from tests.support.api import ApiClient
from tests.support.dav import need_privilege, put, sync_collection

SECRET = ["BDAY", "NOTE", "ADR;TYPE=HOME", "TEL;TYPE=CELL"]


def _api(server, login):
    return ApiClient(server.url, server.session(login))


def _card(uid, name, note="Knows the CEO"):
    return "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"UID:{uid}",
            f"FN:{name}",
            f"N:{name};;;;",
            "EMAIL;TYPE=WORK:work@acme.example",
            "TEL;TYPE=WORK:+33 1 11 11 11 11",
            "TEL;TYPE=CELL:+33 6 22 22 22 22",
            "ADR;TYPE=WORK:;;1 Rue du Travail;Lyon;;69001;France",
            "ADR;TYPE=HOME:;;9 Chemin Privé;Villeurbanne;;69100;France",
            "BDAY:1980-02-03",
            f"NOTE:{note}",
            "END:VCARD",
            "",
        ]
    )


def _shared(server, rights="read_write", confidential=SECRET):
    owner, sharee = server.new_user(), server.new_user(domain="partner.example")
    _api(server, owner).ok(
        "PUT",
        f"/collections/contacts/shares/{sharee}",
        {"rights": rights, "confidential": confidential},
    )
    put(server.session(owner), f"{server.url}/{owner}/contacts/anne.vcf", _card("anne", "Anne"))
    return owner, sharee, f"{server.url}/{sharee}/contacts~{owner}/"


def _hidden_parts_absent(text):
    return all(s not in text for s in ("BDAY", "NOTE", "Chemin Privé", "+33 6 22", "Knows the CEO"))


def test_r6_s1_confidential_fields_are_absent_for_the_sharee_and_survive_their_edit(server):
    owner, sharee, mount = _shared(server)
    session = server.session(sharee)
    got = session.get(mount + "anne.vcf")
    assert got.status_code == 200 and _hidden_parts_absent(got.text)
    assert "Rue du Travail" in got.text and "+33 1 11" in got.text
    assert _api(server, owner).ok("GET", "/collections/contacts/shares")["shares"][0][
        "confidential"
    ] == sorted(SECRET)

    # The sharee edits what they see (and tries to slip in a birthday of their own).
    edited = got.text.replace("FN:Anne", "FN:Anne Martin").replace(
        "END:VCARD", "BDAY:2000-01-01\r\nEND:VCARD"
    )
    saved = put(session, mount + "anne.vcf", edited, **{"If-Match": got.headers["ETag"]})
    assert saved.status_code == 204, saved.text

    stored = server.session(owner).get(f"{server.url}/{owner}/contacts/anne.vcf").text
    assert "FN:Anne Martin" in stored
    for kept in ("BDAY:1980-02-03", "NOTE:Knows the CEO", "Chemin Privé", "TEL;TYPE=CELL"):
        assert kept in stored
    assert "2000-01-01" not in stored
    again = session.get(mount + "anne.vcf")
    assert _hidden_parts_absent(again.text) and "FN:Anne Martin" in again.text
    assert again.headers["ETag"] == saved.headers["ETag"]


def test_s4_a_change_to_a_confidential_field_is_not_reported_to_the_sharee(server):
    owner, sharee, mount = _shared(server, rights="read")
    session = server.session(sharee)
    token, _ = sync_collection(session, mount)
    etag = session.get(mount + "anne.vcf").headers["ETag"]
    own = f"{server.url}/{owner}/contacts/anne.vcf"
    put(server.session(owner), own, _card("anne", "Anne", note="Moved to Paris"))
    assert sync_collection(session, mount, token) == (token, {})
    assert session.get(mount + "anne.vcf").headers["ETag"] == etag
    put(server.session(owner), own, _card("anne", "Anne B.", note="Moved to Paris"))
    new_token, changes = sync_collection(session, mount, token)
    assert new_token != token and len(changes) == 1


def test_s1_confidential_fields_apply_to_a_group_share_too(server):
    owner, member = server.new_user(), server.new_user()
    group = "g-" + uuid.uuid4().hex[:8]
    _api(server, owner).ok("POST", "/groups", {"name": group})
    _api(server, owner).ok("POST", f"/groups/{group}/members", {"login": member})
    _api(server, owner).ok(
        "PUT",
        f"/collections/contacts/group-shares/{group}",
        {"rights": "read", "confidential": ["NOTE", "BDAY"]},
    )
    put(server.session(owner), f"{server.url}/{owner}/contacts/anne.vcf", _card("anne", "Anne"))
    text = server.session(member).get(f"{server.url}/{member}/contacts~{owner}/anne.vcf").text
    assert "NOTE" not in text and "BDAY" not in text and "Chemin Privé" in text


@pytest.mark.parametrize(
    ("collection", "confidential", "says"),
    [
        ("contacts", ["UID"], "every contact needs it"),
        ("contacts", ["home address"], "is not a vCard property"),
        ("contacts", "NOTE", "must be a list"),
        ("calendar", ["NOTE"], "address books only"),
    ],
)
def test_s1_bad_confidential_fields_are_refused_with_the_reason(
    server, collection, confidential, says
):
    owner, sharee = server.new_user(), server.new_user()
    refused = _api(server, owner).call(
        "PUT",
        f"/collections/{collection}/shares/{sharee}",
        {"rights": "read", "confidential": confidential},
    )
    assert refused.status_code == 400 and says in refused.json()["error"]["message"]
    assert _api(server, owner).ok("GET", f"/collections/{collection}/shares")["shares"] == []


class Linked:
    """Seed 002: Alexandre shares one private contact into the team's address book."""

    def __init__(self, server, grant=True):
        self.server = server
        self.group = "team-" + uuid.uuid4().hex[:8]
        self.admin, self.sharer, self.reader = (server.new_user() for _ in range(3))
        admin = _api(server, self.admin)
        admin.ok("POST", "/groups", {"name": self.group})
        for login in (self.sharer, self.reader):
            admin.ok("POST", f"/groups/{self.group}/members", {"login": login})
        if grant:
            admin.ok(
                "PUT",
                f"/groups/{self.group}/collections/contacts/grants/{self.sharer}",
                {"rights": "add"},
            )
        self.own = f"{server.url}/{self.sharer}/contacts/anne.vcf"
        put(server.session(self.sharer), self.own, _card("anne", "Anne"))
        self.api = f"/groups/{self.group}/collections/contacts/linked-contacts"

    def book(self, login):
        return f"{self.server.url}/{login}/contacts@{self.group}/"

    def share(self):
        return _api(self.server, self.sharer).call(
            "POST",
            self.api,
            {
                "source_collection": "contacts",
                "href": "anne.vcf",
                "confidential": ["TEL;TYPE=CELL", "NOTE"],
            },
        )


def test_r6_a_private_contact_shared_into_a_group_follows_its_sharer_and_can_be_taken_out(server):
    team = Linked(server)
    reader = server.session(team.reader)
    token, _ = sync_collection(reader, team.book(team.reader))
    made = team.share()
    assert made.status_code == 201, made.text
    href = made.json()["href"]
    copy = reader.get(team.book(team.reader) + href)
    assert copy.status_code == 200
    assert "FN:Anne" in copy.text and "BDAY:1980-02-03" in copy.text
    assert "+33 6 22" not in copy.text and "Knows the CEO" not in copy.text
    token, changes = sync_collection(reader, team.book(team.reader), token)
    assert len(changes) == 1

    # The sharer edits their own contact: the group's copy follows.
    put(server.session(team.sharer), team.own, _card("anne", "Anne Dupont", note="secret 2"))
    token, changes = sync_collection(reader, team.book(team.reader), token)
    assert len(changes) == 1
    assert "FN:Anne Dupont" in reader.get(team.book(team.reader) + href).text

    # Nobody edits the copy in the group, not even the group's admin: it follows its source.
    before = reader.get(team.book(team.reader) + href).text
    for login in (team.reader, team.admin):
        refused = put(server.session(login), team.book(login) + href, before.replace("Dupont", "X"))
        assert refused.status_code == 403 and need_privilege(refused) == "write-content"
        assert "shared from the address book of" in refused.text
    assert reader.get(team.book(team.reader) + href).text == before

    # Sharing it twice is refused; taking it out removes it for everyone.
    assert team.share().status_code == 409
    assert _api(server, team.reader).call("DELETE", f"{team.api}/{href}").status_code == 403
    assert _api(server, team.sharer).call("DELETE", f"{team.api}/{href}").status_code == 204
    _, changes = sync_collection(reader, team.book(team.reader), token)
    assert list(changes.values()) == ["HTTP/1.1 404 Not Found"]
    assert server.session(team.sharer).get(team.own).status_code == 200  # their own stays


def test_r6_sharing_into_a_group_needs_the_add_right(server):
    team = Linked(server, grant=False)
    refused = team.share()
    assert refused.status_code == 403 and "add" in refused.json()["error"]["message"]
    listed = server.session(team.reader).request(
        "PROPFIND", team.book(team.reader), headers={"Depth": "1"}
    )
    assert "anne.vcf" not in listed.text


def test_r6_deleting_the_private_contact_takes_the_copy_out_of_the_group(server):
    team = Linked(server)
    href = team.share().json()["href"]
    assert server.session(team.sharer).delete(team.own).status_code == 200
    assert server.session(team.reader).get(team.book(team.reader) + href).status_code == 404
