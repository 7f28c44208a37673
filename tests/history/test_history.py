"""Issue 20: an item's history — versions with who and when, a field-level comparison,
a restore as a new write with a PUT's rights — and what a view hides stays hidden in
history, trash and the activity log (SPEC Q2), over real HTTP."""

from tests.history.test_trash_undo import Team, _api
from tests.support.dav import put, sync_collection, vcard, vevent


def _history(server, login, book, href):
    return _api(server, login).ok("GET", f"/collections/{book}/items/{href}/history")


def test_an_item_overwritten_three_times_comes_back_to_its_first_version(server):
    team = Team(server)
    team.store("a.vcf", vcard("uid-a", "Anne One", email="one@example.org"))
    for n, name in enumerate(("Anne Two", "Anne Three", "Anne Four"), 2):
        team.store("a.vcf", vcard("uid-a", name, email=f"v{n}@example.org"))
    found = _history(server, team.reader, team.book, "a.vcf")
    versions = found["versions"]
    assert len(versions) == 3
    assert {v["written_by"] for v in versions} == {team.admin}
    assert all(v["replaced_at"] and v["written_at"] for v in versions)
    first = versions[-1]["id"]
    shown = _api(server, team.reader).ok(
        "GET", f"/collections/{team.book}/items/a.vcf/history/{first}"
    )
    assert "FN:Anne One" in shown["text"]
    diff = _api(server, team.reader).ok(
        "GET", f"/collections/{team.book}/items/a.vcf/history/{first}/diff"
    )["fields"]
    changed = {d["field"]: (d["before"], d["after"]) for d in diff}
    assert changed["FN"] == (["Anne One"], ["Anne Four"])
    assert changed["EMAIL;TYPE=WORK"] == (["one@example.org"], ["v4@example.org"])
    assert "UID" not in changed

    token, _ = sync_collection(server.session(team.reader), team.url(team.reader))
    # R4: only the creator (the admin) modifies it; the reader's restore is refused.
    refused = _api(server, team.reader).call(
        "POST", f"/collections/{team.book}/items/a.vcf/history/{first}/restore"
    )
    assert refused.status_code == 403
    assert "Anne Four" in server.session(team.reader).get(team.url(team.reader) + "a.vcf").text
    team.admin_api.ok("POST", f"/collections/{team.book}/items/a.vcf/history/{first}/restore")
    text = server.session(team.reader).get(team.url(team.reader) + "a.vcf").text
    assert "FN:Anne One" in text and "UID:uid-a" in text
    _, changes = sync_collection(server.session(team.reader), team.url(team.reader), token)
    assert [h.rsplit("/", 1)[1] for h in changes] == ["a.vcf"]
    # The restore is a write like another: what it replaced is in the history now.
    assert len(_history(server, team.reader, team.book, "a.vcf")["versions"]) == 4


def test_event_history_compares_fields_of_the_event(server):
    login = server.new_user()
    url = f"{server.url}/{login}/calendar/"
    put(server.session(login), url + "e.ics", vevent("uid-e", "Budget"))
    put(server.session(login), url + "e.ics", vevent("uid-e", "Budget 2027", extra="LOCATION:Lyon"))
    (version,) = _history(server, login, "calendar", "e.ics")["versions"]
    diff = _api(server, login).ok(
        "GET", f"/collections/calendar/items/e.ics/history/{version['id']}/diff"
    )["fields"]
    changed = {d["field"]: (d["before"], d["after"]) for d in diff}
    assert changed == {
        "VEVENT/SUMMARY": (["Budget"], ["Budget 2027"]),
        "VEVENT/LOCATION": ([], ["Lyon"]),
    }


def test_q2_a_view_restricted_member_never_sees_a_hidden_contact_in_trash_or_history(server):
    team = Team(server)
    team.admin_api.ok(
        "PUT",
        f"/groups/{team.name}/collections/contacts/views/lyon",
        {"filter": {"field": "city", "op": "equals", "value": "Lyon"}},
    )
    team.admin_api.ok(
        "PUT",
        f"/groups/{team.name}/collections/contacts/view-assignments/{team.reader}",
        {"view": "lyon"},
    )
    team.store("lyon.vcf", vcard("uid-l", "Louise", city="Lyon"))
    team.store("paris.vcf", vcard("uid-p", "Pierre Secret", city="Paris"))
    team.store("paris.vcf", vcard("uid-p", "Pierre Secret 2", city="Paris"))
    # A contact that lived in Paris and moved to Lyon: its Paris version stays hidden.
    team.store("moved.vcf", vcard("uid-m", "Marc Hidden Past", city="Paris"))
    team.store("moved.vcf", vcard("uid-m", "Marc", city="Lyon"))
    team.store("gone.vcf", vcard("uid-g", "Gaston Secret", city="Paris"))
    team.delete(team.admin, "gone.vcf")
    team.delete(team.admin, "lyon.vcf")

    reader = _api(server, team.reader)
    trash = reader.ok("GET", f"/collections/{team.book}/trash")["items"]
    assert [i["href"] for i in trash] == ["lyon.vcf"]
    assert (
        reader.call("GET", f"/collections/{team.book}/items/paris.vcf/history").status_code == 404
    )
    assert _history(server, team.reader, team.book, "moved.vcf")["versions"] == []
    hidden = _history(server, team.admin, team.book, "moved.vcf")["versions"][0]["id"]
    for path in ("", "/diff"):
        answer = reader.call(
            "GET", f"/collections/{team.book}/items/moved.vcf/history/{hidden}{path}"
        )
        assert answer.status_code == 404
    gone = [i for i in team.admin_api.ok("GET", f"/collections/{team.book}/trash")["items"]]
    assert {i["href"] for i in gone} == {"lyon.vcf", "gone.vcf"}
    hidden_trash = next(i["id"] for i in gone if i["href"] == "gone.vcf")
    refused = reader.call("POST", f"/collections/{team.book}/trash/{hidden_trash}/restore")
    assert refused.status_code == 404

    log = reader.ok("GET", f"/groups/{team.name}/activity")["entries"]
    assert "Secret" not in str(log) and "paris.vcf" not in str(log) and "gone.vcf" not in str(log)
    assert {e["href"] for e in log} == {"lyon.vcf", "moved.vcf"}
    everything = team.admin_api.ok("GET", f"/groups/{team.name}/activity")["entries"]
    assert "gone.vcf" in {e["href"] for e in everything}


def test_confidential_fields_of_a_share_stay_out_of_history(server):
    owner, sharee = server.new_user(), server.new_user()
    url = f"{server.url}/{owner}/contacts/"
    put(server.session(owner), url + "c.vcf", vcard("uid-c", "Claire", extra="BDAY:19800101"))
    put(server.session(owner), url + "c.vcf", vcard("uid-c", "Claire B", extra="BDAY:19800102"))
    _api(server, owner).ok(
        "PUT",
        f"/collections/contacts/shares/{sharee}",
        {"rights": "read", "confidential": ["BDAY"]},
    )
    book = f"contacts~{owner}"
    (version,) = _history(server, sharee, book, "c.vcf")["versions"]
    shown = _api(server, sharee).ok(
        "GET", f"/collections/{book}/items/c.vcf/history/{version['id']}"
    )
    assert "BDAY" not in shown["text"] and "FN:Claire" in shown["text"]
    diff = _api(server, sharee).ok(
        "GET", f"/collections/{book}/items/c.vcf/history/{version['id']}/diff"
    )["fields"]
    assert [d["field"] for d in diff] == ["FN", "N"]
