"""No recurrence nor query can keep the server expanding for minutes (issue 22 §1).

The tests assert the answers (status and RFC 4791 precondition), not how fast they come:
before the bounds, the far query below ran for hours.
"""

from collections.abc import Iterator

import pytest

from tests.support.dav import put, vevent
from tests.support.server import Server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One SQLite server: the bounds do not depend on the database."""
    instance = Server().start()
    yield instance
    instance.stop()


def _query(start: str, end: str = "") -> str:
    end_attribute = f' end="{end}"' if end else ""
    return (
        '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" '
        'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>'
        '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
        f'<C:time-range start="{start}"{end_attribute}/></C:comp-filter></C:comp-filter>'
        "</C:filter></C:calendar-query>"
    )


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=5", "FREQ=HOURLY"])
def test_an_unbounded_dense_rule_is_refused_with_max_instances(server, rule):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/calendar/dense.ics"
    response = put(session, url, vevent("dense", "Dense", extra=f"RRULE:{rule}"))
    assert response.status_code == 403
    assert "max-instances" in response.text
    assert "COUNT or UNTIL" in response.text
    assert session.get(url).status_code == 404


def test_a_whole_calendar_put_with_a_dense_rule_is_refused(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/imported/"
    response = put(session, url, vevent("dense", "Dense", extra="RRULE:FREQ=SECONDLY"))
    assert response.status_code == 403
    assert "max-instances" in response.text


def test_an_unbounded_weekly_rule_is_found_by_queries_within_the_bounds(server):
    login = server.new_user()
    session = server.session(login)
    calendar = f"{server.url}/{login}/calendar/"
    weekly = vevent("weekly", "Weekly", extra="RRULE:FREQ=WEEKLY")
    assert put(session, calendar + "weekly.ics", weekly).status_code == 201
    response = session.request(
        "REPORT",
        calendar,
        data=_query("20900101T000000Z", "20900201T000000Z"),
        headers={"Depth": "1"},
    )
    assert response.status_code == 207
    assert "weekly.ics" in response.text


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("99990101T000000Z", ""),
        ("30000101T000000Z", "30000102T000000Z"),
        ("20260101T000000Z", "99991231T000000Z"),
    ],
)
def test_a_query_beyond_the_max_date_time_is_refused(server, start, end):
    login = server.new_user()
    session = server.session(login)
    calendar = f"{server.url}/{login}/calendar/"
    daily = vevent(
        "daily", "Daily", start="19700101T100000Z", end="19700101T110000Z", extra="RRULE:FREQ=DAILY"
    )
    assert put(session, calendar + "daily.ics", daily).status_code == 201
    response = session.request("REPORT", calendar, data=_query(start, end), headers={"Depth": "1"})
    assert response.status_code == 403
    assert "max-date-time" in response.text
    freebusy = (
        '<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav">'
        f'<C:time-range start="{start}" end="{end or "99991231T000000Z"}"/></C:free-busy-query>'
    )
    response = session.request("REPORT", calendar, data=freebusy, headers={"Depth": "1"})
    assert response.status_code == 403
    assert "max-date-time" in response.text


def test_free_busy_past_the_max_date_time_is_refused_in_the_api_and_the_outbox(server):
    asker = server.new_user()
    session = server.session(asker)
    api = f"{server.url}/.davshare/api/v1/freebusy/{asker}"
    assert session.get(api, params={"start": "2026-01-01", "end": "2090-01-01"}).status_code == 200
    far = session.get(api, params={"start": "2026-01-01", "end": "9999-01-01"})
    assert far.status_code == 400 and "latest" in far.json()["error"]["message"]
    request = "\r\n".join(
        [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "METHOD:REQUEST",
            "BEGIN:VFREEBUSY", "UID:far", "DTSTAMP:20261120T000000Z",
            "DTSTART:20260101T000000Z", "DTEND:99990101T000000Z",
            f"ORGANIZER:mailto:{asker}", f"ATTENDEE:mailto:{asker}",
            "END:VFREEBUSY", "END:VCALENDAR", "",
        ]
    )  # fmt: skip
    response = session.post(
        f"{server.url}/{asker}/.outbox/", data=request,
        headers={"Content-Type": "text/calendar; charset=utf-8"},
    )  # fmt: skip
    assert response.status_code == 403 and "max-date-time" in response.text
