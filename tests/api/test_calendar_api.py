"""The calendar view's endpoints (issue 17): occurrences in a range, recurrences expanded by
the server, busy blocks for free/busy shares, each rule's refusal; the viewer's time zone."""

import requests

from tests.support.api import ApiClient
from tests.support.dav import put, vevent

WEEK = {"start": "2026-12-07T00:00:00Z", "end": "2026-12-14T00:00:00Z"}


def api(server, login):
    return ApiClient(server.url, server.session(login))


def weekly_meeting(server, uid="standup"):
    """A meeting every Monday at 10:00 in Paris, stored with its VTIMEZONE."""
    zone = requests.get(f"{server.url}/.davshare/api/v1/time-zones/Europe/Paris").status_code
    assert zone == 401  # like every endpoint but openapi.json, it needs a login
    owner = server.new_user()
    vtimezone = api(server, owner).call("GET", "/time-zones/Europe/Paris")
    assert vtimezone.status_code == 200 and "TZID:Europe/Paris" in vtimezone.text
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        + vtimezone.text.replace("\r\n", "\n").replace("\n", "\r\n")
        + f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;TZID=Europe/Paris:20261130T100000\r\nDTEND;TZID=Europe/Paris:20261130T110000\r\n"
        "RRULE:FREQ=WEEKLY\r\nSUMMARY:Réunion d'équipe\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert put(server.session(owner), f"{server.url}/{owner}/calendar/{uid}.ics", text).ok
    return owner, text


def test_a_week_of_occurrences_expanded_by_the_server(server):
    owner, text = weekly_meeting(server)
    session = server.session(owner)
    put(
        session,
        f"{server.url}/{owner}/calendar/trip.ics",
        vevent("trip", "Salon à Lyon", "20261209", "20261212")
        .replace("DTSTART:20261209", "DTSTART;VALUE=DATE:20261209")
        .replace("DTEND:20261212", "DTEND;VALUE=DATE:20261212"),
    )
    put(
        session,
        f"{server.url}/{owner}/calendar/old.ics",
        vevent("old", "Long ago", "20250101T100000Z", "20250101T110000Z"),
    )
    answer = api(server, owner).ok("GET", "/calendar-events", collections="calendar", **WEEK)
    [calendar] = answer["calendars"]
    assert calendar["name"] == "calendar" and calendar["may_add"] and not calendar["busy_only"]
    titles = [(e["title"], e["start"], e["end"], e["all_day"]) for e in answer["events"]]
    assert titles == [
        ("Réunion d'équipe", "2026-12-07T09:00:00Z", "2026-12-07T10:00:00Z", False),
        ("Salon à Lyon", "2026-12-09", "2026-12-12", True),  # multi-day, all day
    ]
    meeting = answer["events"][0]
    assert meeting["recurring"] and not meeting["override"]
    assert meeting["recurrence_id"] == {"params": "TZID=Europe/Paris", "value": "20261207T100000"}
    assert meeting["may_modify"] and meeting["may_delete"] and meeting["creator"] == owner

    # One occurrence moved (RECURRENCE-ID), as the page writes it: only that one moves.
    moved = text.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20261101T000000Z\r\n"
        "RECURRENCE-ID;TZID=Europe/Paris:20261214T100000\r\n"
        "DTSTART:20261215T130000Z\r\nDTEND:20261215T140000Z\r\nSUMMARY:Réunion d'équipe\r\n"
        "END:VEVENT\r\nEND:VCALENDAR",
    )
    assert put(session, f"{server.url}/{owner}/calendar/standup.ics", moved).status_code == 204
    two = api(server, owner).ok(
        "GET", "/calendar-events", collections="calendar",
        start="2026-12-14T00:00:00Z", end="2026-12-28T00:00:00Z",
    )["events"]  # fmt: skip
    assert [(e["start"], e["override"]) for e in two] == [
        ("2026-12-15T13:00:00Z", True),
        ("2026-12-21T09:00:00Z", False),
    ]


def test_readers_busy_only_readers_and_strangers(server):
    owner, _ = weekly_meeting(server, "review")
    reader, busy, stranger = server.new_user(), server.new_user(), server.new_user()
    api(server, owner).ok("PUT", f"/collections/calendar/shares/{reader}", {"rights": "read"})
    api(server, owner).ok("PUT", f"/collections/calendar/shares/{busy}", {"rights": "freebusy"})
    name = f"calendar~{owner}"
    [seen] = api(server, reader).ok("GET", "/calendar-events", collections=name, **WEEK)["events"]
    assert seen["title"] == "Réunion d'équipe"
    assert not seen["may_modify"] and not seen["may_delete"]  # read only: not draggable
    answer = api(server, busy).ok("GET", "/calendar-events", collections=name, **WEEK)
    assert answer["calendars"][0]["busy_only"] and not answer["calendars"][0]["may_add"]
    assert answer["events"] == [
        {
            "collection": name,
            "busy": True,
            "start": "2026-12-07T09:00:00Z",
            "end": "2026-12-07T10:00:00Z",
            "all_day": False,
            "may_modify": False,
        }
    ]  # no title, no href: nothing but the time
    refused = api(server, stranger).call("GET", "/calendar-events", collections=name, **WEEK)
    assert (
        refused.status_code == 404
        and "pick one from your list" in refused.json()["error"]["message"]
    )


def test_bad_ranges_are_refused_with_the_field_named(server):
    login = server.new_user()
    client = api(server, login)
    cases = [
        (
            {"collections": "calendar", "start": "2026-12-14", "end": "2026-12-07"},
            "end must come after start",
        ),
        (
            {"collections": "calendar", "start": "tomorrow", "end": "2026-12-07"},
            "start must be a date",
        ),
        (
            {"collections": "calendar", "start": "2026-01-01", "end": "2026-12-31"},
            "100 days at most",
        ),
        ({"start": "2026-12-07", "end": "2026-12-14"}, "give collections="),
        ({"collections": "contacts", **WEEK}, "is not a calendar"),
    ]
    for params, message in cases:
        answer = client.call("GET", "/calendar-events", **params)
        assert answer.status_code == 400, params
        assert message in answer.json()["error"]["message"], answer.text
        assert answer.json()["error"]["code"] == "invalid_input"


def test_the_viewers_time_zone(server):
    login = server.new_user()
    client = api(server, login)
    assert client.ok("GET", "/me/time-zone") == {"time_zone": ""}  # the browser's
    assert client.ok("PUT", "/me/time-zone", {"time_zone": "America/Montreal"}) == {
        "time_zone": "America/Montreal"
    }
    for wrong in ["Mars/Olympus", "../../etc/passwd", 5]:
        refused = client.call("PUT", "/me/time-zone", {"time_zone": wrong})
        assert refused.status_code == 400, wrong
        assert "time_zone" in refused.json()["error"]["message"]
    assert client.ok("GET", "/me/time-zone") == {"time_zone": "America/Montreal"}  # unchanged
    assert client.call("GET", "/time-zones/Mars/Olympus").status_code == 400
