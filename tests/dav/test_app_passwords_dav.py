"""App passwords for DAV clients (issue 15 §2), with the caldav library: one works, a
revoked one is refused at the next request, and with ``[auth] dav_needs_app_passwords``
the account's own password is refused for DAV (saying why) but still opens the web pages."""

from collections.abc import Iterator

import caldav
import pytest
import requests
from caldav.lib.error import AuthorizationError

from davshare.model import app_passwords, sign_ins
from tests.support.api import PREFIX
from tests.support.server import PASSWORD, Server


def _calendars(server: Server, login: str, password: str) -> set[str]:
    client = caldav.DAVClient(url=f"{server.url}/", username=login, password=password)
    return {str(c.url).rstrip("/").rsplit("/", 1)[1] for c in client.principal().calendars()}


def test_an_app_password_works_for_caldav_and_revoked_it_is_refused_at_once(server):
    login = server.new_user()
    phone, password = app_passwords.create(server.engine, login, "Phone")
    client = caldav.DAVClient(url=f"{server.url}/", username=login, password=password)
    calendar = client.principal().calendars()[0]
    calendar.save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:app-password-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\n"
        "DTEND:20260105T110000Z\r\nSUMMARY:Made by the phone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert [e.icalendar_component["SUMMARY"] for e in calendar.events()] == ["Made by the phone"]
    (listed,) = app_passwords.list_for(server.engine, login)
    assert listed.last_used_at is not None
    app_passwords.revoke(server.engine, login, phone.id)
    with pytest.raises(AuthorizationError):
        calendar.events()  # the same client, its next request
    assert _calendars(server, login, PASSWORD) == {"calendar", "tasks"}  # the account's: still


def test_dav_sign_ins_are_listed_with_the_client_and_the_app_password(server):
    login = server.new_user()
    _, password = app_passwords.create(server.engine, login, "Thunderbird at work")
    for _ in range(3):  # a client signs in with every request: kept once
        answer = requests.request(
            "PROPFIND",
            f"{server.url}/{login}/",
            auth=(login, password),
            headers={"User-Agent": "Thunderbird/128", "Depth": "0"},
        )
        assert answer.status_code == 207
    seen = [s for s in sign_ins.recent(server.engine, login) if s.door == "dav"]
    assert [(s.client, s.success, s.detail) for s in seen] == [
        ("Thunderbird/128", True, "app password Thunderbird at work")
    ]


def test_an_app_password_of_someone_else_opens_nothing(server):
    login, other = server.new_user(), server.new_user()
    _, theirs = app_passwords.create(server.engine, other, "Phone")
    answer = requests.request("PROPFIND", f"{server.url}/{login}/", auth=(login, theirs))
    assert answer.status_code == 401


@pytest.fixture(scope="module")
def strict() -> Iterator[Server]:
    """A server that takes app passwords only from DAV clients."""
    instance = Server(auth__dav_needs_app_passwords="true").start()
    yield instance
    instance.stop()


def test_dav_needs_app_passwords_refuses_the_account_password_for_dav_only(strict):
    login = strict.new_user()
    refused = requests.request("PROPFIND", f"{strict.url}/{login}/", auth=(login, PASSWORD))
    assert refused.status_code == 401
    assert "app passwords only" in refused.text and "web pages" in refused.text
    with pytest.raises(AuthorizationError):
        _calendars(strict, login, PASSWORD)
    web = requests.post(
        strict.url + PREFIX + "/session", json={"login": login, "password": PASSWORD}
    )
    assert web.status_code == 200  # the web pages still take it
    api = requests.get(strict.url + PREFIX + "/me", auth=(login, PASSWORD))
    assert api.status_code == 200  # and the API's scripts (two factors off)
    _, password = app_passwords.create(strict.engine, login, "Phone")
    assert _calendars(strict, login, password) == {"calendar", "tasks"}
    details = [(s.door, s.success, s.detail) for s in sign_ins.recent(strict.engine, login)]
    assert ("dav", False, "app password required") in details


def test_refusing_the_account_password_never_counts_as_guessing(strict):
    login = strict.new_user()
    for _ in range(8):  # a phone still set up with the old password keeps trying
        answer = requests.request("PROPFIND", f"{strict.url}/{login}/", auth=(login, PASSWORD))
        assert answer.status_code == 401
    _, password = app_passwords.create(strict.engine, login, "Phone")
    assert _calendars(strict, login, password) == {"calendar", "tasks"}  # no 429
