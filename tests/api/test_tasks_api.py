"""Task lists (issue 17): sorted by due date and priority, completed ones hidden on demand,
sub-tasks with their parent, what each reader may do, and the refusals."""

from tests.support.api import ApiClient
from tests.support.dav import put


def api(server, login):
    return ApiClient(server.url, server.session(login))


def vtodo(uid, summary, extra=""):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", "BEGIN:VTODO", f"UID:{uid}",
             "DTSTAMP:20261101T000000Z", f"SUMMARY:{summary}", *extra.split("|"), "END:VTODO", "END:VCALENDAR"]  # fmt: skip
    return "\r\n".join(line for line in lines if line) + "\r\n"


def test_tasks_sorted_with_sub_tasks_and_completed_hidden(server):
    owner, reader = server.new_user(), server.new_user()
    session = server.session(owner)
    base = f"{server.url}/{owner}/tasks/"
    put(
        session, base + "a.ics", vtodo("a", "Write the offer", "DUE;VALUE=DATE:20261210|PRIORITY:5")
    )
    put(
        session, base + "b.ics", vtodo("b", "Call the client", "DUE;VALUE=DATE:20261210|PRIORITY:1")
    )
    put(session, base + "c.ics", vtodo("c", "Someday", ""))
    put(
        session,
        base + "d.ics",
        vtodo(
            "d",
            "Prices",
            "DUE:20261208T090000Z|RELATED-TO;RELTYPE=PARENT:a|STATUS:IN-PROCESS|PERCENT-COMPLETE:40",
        ),
    )
    put(
        session,
        base + "e.ics",
        vtodo("e", "Old one", "STATUS:COMPLETED|COMPLETED:20261101T100000Z"),
    )
    tasks = api(server, owner).ok("GET", "/collections/tasks/tasks")["tasks"]
    assert [t["title"] for t in tasks] == [
        "Prices",
        "Call the client",
        "Write the offer",
        "Someday",
        "Old one",
    ]
    prices = tasks[0]
    assert (prices["status"], prices["percent"], prices["parent"], prices["due"]) == (
        "IN-PROCESS",
        40,
        "a",
        "2026-12-08T09:00:00Z",
    )
    assert tasks[1]["priority"] == 1 and tasks[1]["due"] == "2026-12-10"
    assert tasks[-1]["done"] and tasks[-1]["percent"] == 100
    assert all(t["may_modify"] and t["may_delete"] for t in tasks)
    shown = api(server, owner).ok("GET", "/collections/tasks/tasks", completed="hide")["tasks"]
    assert "Old one" not in [t["title"] for t in shown] and len(shown) == 4

    # A reader sees them, may change none; a stranger does not even see the list.
    api(server, owner).ok("PUT", f"/collections/tasks/shares/{reader}", {"rights": "read"})
    seen = api(server, reader).ok("GET", f"/collections/tasks~{owner}/tasks")
    assert not seen["may_add"] and not any(
        t["may_modify"] or t["may_delete"] for t in seen["tasks"]
    )
    stranger = api(server, server.new_user()).call("GET", f"/collections/tasks~{owner}/tasks")
    assert stranger.status_code == 404


def test_task_list_refusals(server):
    login = server.new_user()
    client = api(server, login)
    wrong = client.call("GET", "/collections/calendar/tasks")
    assert wrong.status_code == 400 and "is not a task list" in wrong.json()["error"]["message"]
    bad = client.call("GET", "/collections/tasks/tasks", completed="maybe")
    assert (
        bad.status_code == 400
        and "completed must be show or hide" in bad.json()["error"]["message"]
    )
