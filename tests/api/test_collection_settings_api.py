"""A collection's settings (issue 17): name, colour and description for its owner, one's own
name and colour for a shared one, the shared mark, rights changed in place; refusals."""

from tests.support.api import ApiClient
from tests.support.dav import propfind


def api(server, login):
    return ApiClient(server.url, server.session(login))


def mine(client, name):
    return next(c for c in client.ok("GET", "/collections")["collections"] if c["name"] == name)


def test_owner_renames_recolours_describes_and_sees_the_shared_mark(server):
    owner, sharee = server.new_user(), server.new_user()
    client = api(server, owner)
    changed = client.ok(
        "PATCH",
        "/collections/calendar",
        {"display_name": "Équipe", "color": "#16a34a", "description": "Les réunions"},
    )
    assert (changed["display_name"], changed["color"], changed["description"]) == (
        "Équipe",
        "#16a34a",
        "Les réunions",
    )
    answer = propfind(
        server.session(owner),
        f"{server.url}/{owner}/calendar/",
        "<D:displayname/><I:calendar-color xmlns:I='http://apple.com/ns/ical/'/>",
    )
    assert "Équipe" in answer.text and "#16a34a" in answer.text  # what every client sees
    assert mine(client, "calendar")["shared_with"] == []
    client.ok("PUT", f"/collections/calendar/shares/{sharee}", {"rights": "read"})
    assert mine(client, "calendar")["shared_with"] == [sharee]

    # The sharee names and colours it for themselves; the owner's stays; no description.
    other = api(server, sharee)
    name = f"calendar~{owner}"
    assert (
        other.ok("PATCH", f"/collections/{name}", {"display_name": "Team", "color": "#b91c1c"})[
            "display_name"
        ]
        == "Team"
    )
    assert mine(client, "calendar")["display_name"] == "Équipe"
    assert mine(other, name)["shared_with"] == []  # not theirs to share
    refused = other.call("PATCH", f"/collections/{name}", {"description": "mine"})
    assert refused.status_code == 403 and "description" in refused.json()["error"]["message"]
    assert mine(client, "calendar")["description"] == "Les réunions"

    # Rights changed in place: the same share, new rights, at once for DAV too.
    client.ok("PUT", f"/collections/calendar/shares/{sharee}", {"rights": "read_write"})
    [share] = client.ok("GET", "/collections/calendar/shares")["shares"]
    assert share["rights"] == "read_write"
    assert "bind" in mine(other, name)["privileges"]


def test_settings_refuse_nonsense_with_the_field_named(server):
    owner = server.new_user()
    client = api(server, owner)
    before = mine(client, "calendar")
    for body, words in [
        ({"display_name": "   "}, "display_name:"),
        ({"display_name": "x" * 300}, "display_name:"),
        ({"color": "green"}, "color:"),
        ({"description": "x" * 3000}, "description:"),
    ]:
        answer = client.call("PATCH", "/collections/calendar", body)
        assert answer.status_code == 400, body
        assert answer.json()["error"]["message"].startswith(words)
    assert mine(client, "calendar") == before  # nothing changed
