"""Plans and quotas (SPEC A4, G9): each cap reached and refused without change, then freed."""

import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET

from tests.invitations.helpers import api, counts, members, new_group
from tests.support.dav import put, vcard


def _plan(server, **caps):
    """A fresh plan set through the API by a server admin; returns its name."""
    name = f"p{uuid.uuid4().hex[:8]}"
    root = server.new_user(server_admin=True)
    api(server, root).ok("PUT", f"/plans/{name}", caps)
    return name, root


def _user_with(server, **caps):
    plan, root = _plan(server, **caps)
    login = server.new_user()
    api(server, root).ok("PUT", f"/accounts/{login}/plan", {"plan": plan})
    return login


def test_a4_only_server_admins_manage_plans(server):
    login = server.new_user()
    assert api(server, login).call("PUT", "/plans/big", {"max_groups": 9}).status_code == 403
    assert (
        api(server, login).call("PUT", f"/accounts/{login}/plan", {"plan": "x"}).status_code == 403
    )
    assert api(server, login).ok("GET", "/me/quota")["plan"]["name"] is None


def test_a4_groups_one_may_create_then_freed_by_a_deletion(server):
    admin = _user_with(server, max_groups=1)
    first = new_group(server, admin)
    before = counts(server)
    refused = api(server, admin).call("POST", "/groups", {"name": f"g{uuid.uuid4().hex[:8]}"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "plan_limit"
    assert "allows 1 group" in refused.json()["error"]["message"]
    assert counts(server) == before
    api(server, admin).ok("DELETE", f"/groups/{first}", confirm=first)
    new_group(server, admin)


def test_a4_members_per_group_then_freed_by_a_removal(server):
    admin = _user_with(server, max_members=2)
    name = new_group(server, admin)
    first, second = server.new_user(), server.new_user()
    api(server, admin).ok("POST", f"/groups/{name}/members", {"login": first})
    before = counts(server)
    refused = api(server, admin).call("POST", f"/groups/{name}/members", {"login": second})
    assert refused.status_code == 403 and "the group is full" in refused.text
    invited = api(server, admin).ok("POST", f"/groups/{name}/invitations", {"address": second})
    assert invited["address"] == second
    mine = api(server, second).ok("GET", "/invitations")["invitations"]
    before = counts(server)
    refused = api(server, second).call("POST", f"/invitations/{mine[0]['token']}/accept")
    assert refused.status_code == 403 and counts(server) == before
    api(server, admin).ok("DELETE", f"/groups/{name}/members/{first}")
    api(server, second).ok("POST", f"/invitations/{mine[0]['token']}/accept")
    assert set(members(server, name)) == {admin, second}


def _propfind_quota(server, login, url):
    body = (
        '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop>'
        "<d:quota-used-bytes/><d:quota-available-bytes/></d:prop></d:propfind>"
    )
    answer = server.session(login).request(
        "PROPFIND", url, data=body, headers={"Depth": "0", "Content-Type": "application/xml"}
    )
    assert answer.status_code == 207, answer.text
    root = ET.fromstring(answer.content)
    ok = [p for p in root.iter("{DAV:}propstat") if "200" in (p.findtext("{DAV:}status") or "")]
    values = {}
    for propstat in ok:
        for element in propstat.find("{DAV:}prop"):
            values[element.tag.split("}")[1]] = int(element.text)
    return values


def test_a4_personal_storage_507_then_freed_by_a_deletion(server):
    card = vcard("big", "Big " + "x" * 300)
    size = len(card.encode())
    login = _user_with(server, personal_storage=size + 100)
    book = f"{server.url}/{login}/contacts/"
    session = server.session(login)
    assert put(session, book + "big.vcf", card).status_code == 201
    quota = _propfind_quota(server, login, book)
    assert quota["quota-used-bytes"] >= size
    assert quota["quota-used-bytes"] + quota["quota-available-bytes"] == size + 100
    refused = put(session, book + "second.vcf", vcard("second", "Second " + "y" * 300))
    assert refused.status_code == 507
    assert "quota-not-exceeded" in refused.text
    assert session.get(book + "second.vcf").status_code == 404
    assert session.delete(book + "big.vcf").status_code in (200, 204)
    assert _propfind_quota(server, login, book)["quota-used-bytes"] == 0
    assert (
        put(session, book + "second.vcf", vcard("second", "Second " + "y" * 300)).status_code == 201
    )


def test_a4_group_storage_is_the_admins_plan(server):
    card = vcard("g1", "Group " + "x" * 300)
    admin = _user_with(server, group_storage=len(card.encode()) + 50)
    name = new_group(server, admin)
    session = server.session(admin)
    book = f"{server.url}/{admin}/contacts@{name}/"
    assert put(session, book + "g1.vcf", card).status_code == 201
    refused = put(session, book + "g2.vcf", vcard("g2", "Other " + "y" * 300))
    assert refused.status_code == 507 and "quota-not-exceeded" in refused.text
    assert session.get(book + "g2.vcf").status_code == 404
    # The members' address book counts against the group, the personal space is apart.
    personal = f"{server.url}/{admin}/contacts/p.vcf"
    assert put(session, personal, vcard("p", "Personal " + "z" * 300)).status_code == 201
    quota = api(server, admin).ok("GET", f"/groups/{name}/quota")
    assert quota["used"] >= len(card.encode()) and quota["members"] == 1


def test_g9_a4_hand_over_refused_for_a_too_small_plan(server):
    admin = server.new_user()
    name = new_group(server, admin)
    heir = _user_with(server, max_members=1)
    api(server, admin).ok("POST", f"/groups/{name}/members", {"login": heir})
    before = members(server, name)
    refused = api(server, admin).call("POST", f"/groups/{name}/transfer", {"login": heir})
    assert refused.status_code == 403
    message = refused.json()["error"]["message"]
    assert "cannot become the admin" in message and "1 member" in message
    assert members(server, name) == before


def test_a4_plans_from_the_cli(server):
    def davshare(*args):
        command = [sys.executable, "-m", "davshare.cli", "--config", str(server.config), *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    login = server.new_user()
    plan = f"cli{uuid.uuid4().hex[:6]}"
    assert "max_groups 0" in davshare("plan", "set", plan, "--groups", "0")
    davshare("plan", "assign", login, plan)
    assert plan in davshare("plan", "list")
    refused = api(server, login).call("POST", "/groups", {"name": f"g{uuid.uuid4().hex[:8]}"})
    assert refused.status_code == 403
    davshare("plan", "assign", login, "none")
    new_group(server, login)


def _calendar(*events):
    """One iCalendar object holding every event: what a client sends to replace a calendar."""
    from tests.support.dav import vevent

    bodies = [
        "BEGIN:VEVENT" + vevent(uid, summary).split("BEGIN:VEVENT", 1)[1].split("END:VEVENT")[0]
        for uid, summary in events
    ]
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davshare tests//EN\r\n"
        + "".join(b + "END:VEVENT\r\n" for b in bodies)
        + "END:VCALENDAR\r\n"
    )


def test_a4_a_whole_calendar_put_beyond_the_quota_leaves_the_old_one(server):
    login = _user_with(server, personal_storage=3000)
    session = server.session(login)
    url = f"{server.url}/{login}/calendar/"
    small = _calendar(("one", "One"))
    headers = {"Content-Type": "text/calendar"}
    assert session.put(url, data=small, headers=headers).status_code in (201, 204)
    before = session.get(url + "one.ics").text
    big = _calendar(*((f"e{i}", "Long " + "x" * 200) for i in range(30)))
    refused = session.put(url, data=big, headers=headers)
    assert refused.status_code == 507 and "quota-not-exceeded" in refused.text
    assert session.get(url + "one.ics").text == before  # the old calendar is whole
    assert session.get(url + "e0.ics").status_code == 404


def test_a4_a_move_into_a_full_space_is_refused_and_nothing_moves(server):
    card = vcard("m", "Moved " + "x" * 300)
    admin = _user_with(server, personal_storage=len(card.encode()) // 2)
    name = new_group(server, admin)  # the admin's plan has no group cap
    session = server.session(admin)
    group_item = f"{server.url}/{admin}/contacts@{name}/m.vcf"
    assert put(session, group_item, card).status_code == 201
    moved = session.request(
        "MOVE", group_item, headers={"Destination": f"{server.url}/{admin}/contacts/m.vcf"}
    )
    assert moved.status_code == 507 and "quota-not-exceeded" in moved.text
    assert session.get(group_item).status_code == 200
    assert session.get(f"{server.url}/{admin}/contacts/m.vcf").status_code == 404
    # Within one space a move needs no room.
    assert (
        put(session, f"{server.url}/{admin}/contacts@{name}/n.vcf", vcard("n", "N")).status_code
        == 201
    )
    within = session.request(
        "MOVE",
        f"{server.url}/{admin}/contacts@{name}/n.vcf",
        headers={"Destination": f"{server.url}/{admin}/tasks@{name}/n.vcf"},
    )
    assert within.status_code != 507


def test_a_whole_calendar_put_with_a_repeated_uid_changes_nothing(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/calendar/"
    headers = {"Content-Type": "text/calendar"}
    assert session.put(url, data=_calendar(("one", "One")), headers=headers).status_code in (
        201,
        204,
    )
    twice = _calendar(("two", "Two"), ("two", "Two again"))
    refused = session.put(url, data=twice, headers=headers)
    assert refused.status_code in (400, 409), refused.text
    assert session.get(url + "one.ics").status_code == 200
    assert session.get(url + "two.ics").status_code == 404
