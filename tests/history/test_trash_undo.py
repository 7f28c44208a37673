"""Issue 20: nothing a person deletes is lost — trash, undo of a burst, restores, over
real HTTP with real DAV clients' requests (SPEC R7 for the refusals, S4 for the syncs)."""

import re
import uuid

import requests

from tests.support.api import ApiClient
from tests.support.dav import propfind, put, sync_collection, vcard

DAVX5 = {"User-Agent": "DAVx5/4.4.3-ose (2024/10/01; dav4jvm; okhttp/4.12.0) Android/14"}


def _api(server, login):
    return ApiClient(server.url, server.session(login))


class Team:
    """A group: admin, a member who may add and delete, a plain member."""

    def __init__(self, server, deleter_rights="add_delete"):
        self.server = server
        self.name = "t" + uuid.uuid4().hex[:8]
        self.admin = server.new_user()
        self.deleter = server.new_user()
        self.reader = server.new_user()
        self.admin_api = _api(server, self.admin)
        self.admin_api.ok("POST", "/groups", {"name": self.name})
        for login in (self.deleter, self.reader):
            self.admin_api.ok("POST", f"/groups/{self.name}/members", {"login": login})
        self.admin_api.ok(
            "PUT",
            f"/groups/{self.name}/collections/contacts/grants/{self.deleter}",
            {"rights": deleter_rights},
        )
        self.book = f"contacts@{self.name}"

    def url(self, login):
        return f"{self.server.url}/{login}/{self.book}/"

    def store(self, href, text, login=None):
        login = login or self.admin
        response = put(self.server.session(login), self.url(login) + href, text)
        assert response.status_code in (201, 204), response.text
        return response

    def delete(self, login, href):
        response = self.server.session(login).delete(self.url(login) + href)
        assert response.status_code in (200, 204), response.text

    def hrefs(self, login):
        return set(self.etags(login))

    def etags(self, login):
        response = propfind(self.server.session(login), self.url(login), "<D:getetag/>", "1")
        assert response.status_code == 207
        found = re.findall(
            r"<(?:\w+:)?href>[^<]*/([^/<]+)</(?:\w+:)?href>.*?<(?:\w+:)?getetag>([^<]*)<",
            response.text,
            re.S,
        )
        return dict(found)


def _names(changes):
    return {href.rsplit("/", 1)[1]: status for href, status in changes.items()}


def test_a_members_client_deletes_the_group_book_and_the_admin_undoes_it_in_one_step(server):
    team = Team(server)
    count = 40
    for i in range(count):
        team.store(f"c{i}.vcf", vcard(f"uid-{i}", f"Contact {i}", email=f"c{i}@example.org"))
    before = team.etags(team.reader)
    token, _ = sync_collection(server.session(team.reader), team.url(team.reader))
    admin_token, _ = sync_collection(server.session(team.admin), team.url(team.admin))

    # The member's phone deletes the whole book, one DELETE per contact.
    phone = server.session(team.deleter)
    phone.headers.update(DAVX5)
    for i in range(count):
        assert phone.delete(team.url(team.deleter) + f"c{i}.vcf").status_code in (200, 204)
    token, changes = sync_collection(server.session(team.reader), team.url(team.reader), token)
    assert set(_names(changes)) == {f"c{i}.vcf" for i in range(count)}
    assert all("404" in status for status in changes.values())
    assert team.hrefs(team.reader) == set()

    # Everyone sees it in the trash, with who deleted it and from which client.
    listed = _api(server, team.reader).ok("GET", f"/collections/{team.book}/trash")["items"]
    assert len(listed) == count
    assert {i["deleted_by"] for i in listed} == {team.deleter}
    assert all(i["client"].startswith("DAVx5") for i in listed)

    # The admin sees one burst, with the sentence a person reads, and undoes it.
    found = team.admin_api.ok("GET", f"/collections/{team.book}/bursts")["bursts"]
    assert len(found) == 1
    burst = found[0]
    assert burst["deleted"] == count
    assert burst["message"].startswith(f"{count} contacts deleted by {team.deleter} from DAVx5 at ")
    done = team.admin_api.ok("POST", f"/collections/{team.book}/bursts/{burst['id']}/undo")
    assert done["restored"] == count and done["skipped"] == []

    # Every client's next sync brings them all back, with their UIDs and new etags.
    for login, since in ((team.reader, token), (team.admin, admin_token)):
        _, changes = sync_collection(server.session(login), team.url(login), since)
        assert set(_names(changes)) == {f"c{i}.vcf" for i in range(count)}
        assert not any("404" in status for status in changes.values())
    after = team.etags(team.reader)
    assert set(after) == set(before)
    assert all(after[h] != before[h] for h in before)
    text = server.session(team.reader).get(team.url(team.reader) + "c7.vcf").text
    assert "UID:uid-7" in text and "FN:Contact 7" in text
    assert _api(server, team.reader).ok("GET", f"/collections/{team.book}/trash")["items"] == []


def _trash(server, login, book):
    return _api(server, login).ok("GET", f"/collections/{book}/trash")["items"]


def test_r7_a_refused_restore_answers_403_and_changes_nothing(server):
    team = Team(server)
    team.store("a.vcf", vcard("uid-a", "Anne"))
    team.delete(team.admin, "a.vcf")
    (entry,) = _trash(server, team.reader, team.book)
    assert entry["may_restore"] is False
    reader = _api(server, team.reader)
    refused = reader.call("POST", f"/collections/{team.book}/trash/{entry['id']}/restore")
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"]
    bursts = reader.call("GET", f"/collections/{team.book}/bursts")
    assert bursts.status_code == 403
    undo = reader.call("POST", f"/collections/{team.book}/bursts/{entry['burst']}/undo")
    assert undo.status_code == 403
    missing = reader.call("POST", f"/collections/{team.book}/trash/999999/restore")
    assert missing.status_code == 404
    assert team.hrefs(team.reader) == set()
    assert [i["id"] for i in _trash(server, team.reader, team.book)] == [entry["id"]]


def test_the_member_who_deleted_may_restore_without_the_add_right(server):
    team = Team(server)
    team.store("b.vcf", vcard("uid-b", "Bruno"))
    team.delete(team.deleter, "b.vcf")
    # The admin takes the right back: the member may still undo their own mistake.
    team.admin_api.ok("DELETE", f"/groups/{team.name}/collections/contacts/grants/{team.deleter}")
    (entry,) = _trash(server, team.deleter, team.book)
    assert entry["may_restore"] is True
    restored = _api(server, team.deleter).ok(
        "POST", f"/collections/{team.book}/trash/{entry['id']}/restore"
    )
    assert restored["uid"] == "uid-b"
    assert team.hrefs(team.reader) == {"b.vcf"}


def test_a_restore_whose_place_is_taken_answers_409_and_changes_nothing(server):
    team = Team(server)
    team.store("d.vcf", vcard("uid-d", "Denis"))
    team.delete(team.admin, "d.vcf")
    team.store("d.vcf", vcard("uid-other", "Someone else"))
    (entry,) = _trash(server, team.admin, team.book)
    response = team.admin_api.call("POST", f"/collections/{team.book}/trash/{entry['id']}/restore")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "restore_conflict"
    assert "uid-other" in server.session(team.admin).get(team.url(team.admin) + "d.vcf").text
    assert len(_trash(server, team.admin, team.book)) == 1


def test_an_own_collection_deleted_by_a_client_comes_back_with_its_items(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/"
    put(session, url + "x.vcf", vcard("uid-x", "Xavier"))
    assert session.delete(url).status_code in (200, 204)
    assert session.get(url + "x.vcf").status_code == 404
    api = _api(server, login)
    (gone,) = api.ok("GET", "/trash/collections")["collections"]
    assert gone["path"] == f"{login}/contacts" and gone["deleted_by"] == login
    other = server.new_user()
    refused = _api(server, other).call("POST", f"/trash/collections/{gone['id']}/restore")
    assert refused.status_code == 404
    assert api.ok("POST", f"/trash/collections/{gone['id']}/restore")["path"] == gone["path"]
    assert "UID:uid-x" in session.get(url + "x.vcf").text
    assert api.ok("GET", "/trash/collections")["collections"] == []


def test_the_trash_of_a_personal_collection_is_its_owners(server):
    owner, other = server.new_user(), server.new_user()
    session = server.session(owner)
    url = f"{server.url}/{owner}/contacts/"
    put(session, url + "p.vcf", vcard("uid-p", "Paul"))
    session.delete(url + "p.vcf")
    (entry,) = _trash(server, owner, "contacts")
    assert entry["deleted_by"] == owner and entry["may_restore"]
    # Another account has no such collection: 404, never someone else's trash.
    assert _api(server, other).call("GET", "/collections/contacts/trash").json()["items"] == []
    assert (
        requests.get(server.url + "/.davshare/api/v1/collections/contacts/trash").status_code == 401
    )
    _api(server, owner).ok("POST", f"/collections/contacts/trash/{entry['id']}/restore")
    assert "UID:uid-p" in session.get(url + "p.vcf").text
