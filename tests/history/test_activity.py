"""Issue 20: a group's activity log lists each action with its author, filtered and as CSV;
members read the entries on what they can read (over real HTTP)."""

import csv
import io

from tests.history.test_trash_undo import Team, _api
from tests.support.dav import put, vevent


def test_the_activity_log_lists_each_action_with_its_author(server):
    team = Team(server)
    team.store(
        "a.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-a\r\nFN:Anne\r\nN:Anne;;;;\r\nEND:VCARD\r\n"
    )
    team.store(
        "a.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-a\r\nFN:Anne B\r\nN:Anne;;;;\r\nEND:VCARD\r\n",
    )
    team.delete(team.deleter, "a.vcf")
    (entry,) = _api(server, team.admin).ok("GET", f"/collections/{team.book}/trash")["items"]
    team.admin_api.ok("POST", f"/collections/{team.book}/trash/{entry['id']}/restore")
    team.admin_api.ok("PUT", f"/groups/{team.name}/members/{team.reader}/role", {"role": "coadmin"})
    _api(server, team.deleter).ok("DELETE", f"/groups/{team.name}/members/{team.deleter}")

    log = team.admin_api.ok("GET", f"/groups/{team.name}/activity")["entries"]
    seen = [(e["action"], e["actor"], e["subject"]) for e in reversed(log)]
    assert ("added", team.admin, "Anne") in seen
    assert ("modified", team.admin, "Anne B") in seen
    assert ("deleted", team.deleter, "Anne B") in seen
    assert ("restored", team.admin, "Anne B") in seen
    assert ("joined", team.admin, team.reader) in seen
    assert ("granted", team.admin, f"{team.deleter}: add_delete on contacts") in seen
    assert ("granted", team.admin, f"{team.reader}: coadmin") in seen
    assert ("left", team.deleter, team.deleter) in seen
    order = [a for a, _, s in seen if s.startswith("Anne")]
    assert order == ["added", "modified", "deleted", "restored"]

    only = team.admin_api.ok("GET", f"/groups/{team.name}/activity", action="deleted")["entries"]
    assert [(e["action"], e["actor"]) for e in only] == [("deleted", team.deleter)]
    by = team.admin_api.ok("GET", f"/groups/{team.name}/activity", actor=team.deleter)["entries"]
    assert {e["action"] for e in by} == {"deleted", "left"}

    exported = team.admin_api.call("GET", f"/groups/{team.name}/activity", format="csv")
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == len(log)
    assert {"at", "action", "actor", "client", "collection", "href", "subject"} <= set(rows[0])


def test_bad_filters_answer_400_and_outsiders_404(server):
    team = Team(server)
    api = team.admin_api
    assert api.call("GET", f"/groups/{team.name}/activity", action="exploded").status_code == 400
    assert api.call("GET", f"/groups/{team.name}/activity", since="yesterday").status_code == 400
    assert api.call("GET", f"/groups/{team.name}/activity", limit="0").status_code == 400
    outsider = _api(server, server.new_user())
    assert outsider.call("GET", f"/groups/{team.name}/activity").status_code == 404


def test_members_read_entries_on_items_not_on_membership_and_private_events_stay_private(server):
    team = Team(server)
    url = f"{server.url}/{team.admin}/calendar@{team.name}/"
    secret = vevent("uid-s", "Layoffs plan", extra="CLASS:PRIVATE")
    assert put(server.session(team.admin), url + "s.ics", secret).status_code == 201
    log = _api(server, team.reader).ok("GET", f"/groups/{team.name}/activity")["entries"]
    assert [(e["action"], e["subject"]) for e in log] == [("added", "Private event")]
    assert "Layoffs" not in str(log)
    admin_log = team.admin_api.ok("GET", f"/groups/{team.name}/activity")["entries"]
    assert ("added", "Layoffs plan") in [(e["action"], e["subject"]) for e in admin_log]
