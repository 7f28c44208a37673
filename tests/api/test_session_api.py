"""Cookie sessions for the web pages beside HTTP Basic (issue 9): CSRF, sign-out, ending."""

from collections.abc import Iterator

import pytest
import requests

from davshare.model import accounts
from tests.support.api import PREFIX
from tests.support.server import PASSWORD, Server

WEB = {"X-Davshare-Web": "1"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """Sessions do not depend on the database: SQLite only."""
    instance = Server(auth_delay="0.3").start()
    yield instance
    instance.stop()


def sign_in(server: Server, login: str, password: str = PASSWORD) -> tuple[requests.Session, str]:
    browser = requests.Session()
    answer = browser.post(
        server.url + PREFIX + "/session", json={"login": login, "password": password}, headers=WEB
    )
    assert answer.status_code == 200, answer.text
    return browser, answer.json()["csrf_token"]


def test_sign_in_sets_a_strict_http_only_cookie(server: Server) -> None:
    login = server.new_user()
    browser = requests.Session()
    answer = browser.post(
        server.url + PREFIX + "/session", json={"login": login.upper(), "password": PASSWORD}
    )
    assert answer.status_code == 200
    assert answer.json()["login"] == login
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/.davshare/" in cookie
    assert "Secure" not in cookie  # plain http here
    me = browser.get(server.url + PREFIX + "/session").json()
    assert me == {"login": login, "csrf_token": answer.json()["csrf_token"]}
    assert browser.get(server.url + PREFIX + "/me").json()["login"] == login


def test_behind_a_trusted_tls_proxy_the_cookie_is_secure() -> None:
    behind = Server(server__trusted_proxy="127.0.0.1").start()
    try:
        login = behind.new_user()
        body = {"login": login, "password": PASSWORD}
        for proto, secure in (("https", True), ("http", False)):
            answer = requests.post(
                behind.url + PREFIX + "/session", json=body, headers={"X-Forwarded-Proto": proto}
            )
            assert answer.status_code == 200
            assert ("Secure" in answer.headers["Set-Cookie"]) is secure
    finally:
        behind.stop()


def test_an_untrusted_forwarded_proto_is_ignored(server: Server) -> None:
    login = server.new_user()
    answer = requests.post(
        server.url + PREFIX + "/session",
        json={"login": login, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "Secure" not in answer.headers["Set-Cookie"]


def test_failed_sign_in_says_what_to_do_and_repeated_ones_are_refused(server: Server) -> None:
    login = server.new_user()
    wrong = {"login": login, "password": "wrong password!"}
    for _ in range(6):
        answer = requests.post(server.url + PREFIX + "/session", json=wrong)
        assert answer.status_code == 401
    refused = requests.get(server.url + PREFIX + "/me", auth=(login, PASSWORD))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "too_many_failures"
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "sign_in_failed"
    assert "try again" in answer.json()["error"]["message"]
    assert "Set-Cookie" not in answer.headers


def test_sign_in_needs_json(server: Server) -> None:
    login = server.new_user()
    answer = requests.post(
        server.url + PREFIX + "/session", data={"login": login, "password": PASSWORD}
    )
    assert answer.status_code == 415


def test_changes_need_the_csrf_token(server: Server) -> None:
    login = server.new_user()
    browser, csrf = sign_in(server, login)
    refused = browser.post(server.url + PREFIX + "/groups", json={"name": "csrf-" + login[1:8]})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_token_missing"
    assert "reload the page" in refused.json()["error"]["message"]
    wrong = browser.post(
        server.url + PREFIX + "/groups",
        json={"name": "csrf-" + login[1:8]},
        headers={"X-CSRF-Token": csrf + "x"},
    )
    assert wrong.status_code == 403
    done = browser.post(
        server.url + PREFIX + "/groups",
        json={"name": "csrf-" + login[1:8]},
        headers={"X-CSRF-Token": csrf},
    )
    assert done.status_code == 201, done.text


def test_basic_auth_needs_no_csrf_token(server: Server) -> None:
    login = server.new_user()
    answer = server.session(login).post(
        server.url + PREFIX + "/groups", json={"name": "basic-" + login[1:8]}
    )
    assert answer.status_code == 201


def test_pages_get_no_basic_challenge(server: Server) -> None:
    answer = requests.get(server.url + PREFIX + "/me", headers=WEB)
    assert answer.status_code == 401
    assert "WWW-Authenticate" not in answer.headers
    assert answer.json()["error"]["code"] == "signed_out"
    plain = requests.get(server.url + PREFIX + "/me")
    assert plain.headers["WWW-Authenticate"].startswith("Basic")


def test_sign_out_ends_the_session(server: Server) -> None:
    login = server.new_user()
    browser, csrf = sign_in(server, login)
    cookie = browser.cookies.get("davshare_session")
    assert browser.delete(server.url + PREFIX + "/session").status_code == 403  # no token
    assert (
        browser.delete(server.url + PREFIX + "/session", headers={"X-CSRF-Token": csrf}).status_code
        == 204
    )
    assert browser.get(server.url + PREFIX + "/session").json() == {"login": None}
    # The old cookie, replayed, no longer works either.
    replay = requests.get(
        server.url + PREFIX + "/me", cookies={"davshare_session": cookie}, headers=WEB
    )
    assert replay.status_code == 401


def test_a2_disabling_the_account_ends_its_sessions(server: Server) -> None:
    login = server.new_user()
    browser, _ = sign_in(server, login)
    accounts.set_disabled(server.engine, login, True)
    assert browser.get(server.url + PREFIX + "/me", headers=WEB).status_code == 401
    accounts.set_disabled(server.engine, login, False)
    assert browser.get(server.url + PREFIX + "/me", headers=WEB).status_code == 200


def test_a2_a_new_password_ends_the_sessions(server: Server) -> None:
    login = server.new_user()
    browser, _ = sign_in(server, login)
    accounts.set_password(server.engine, login, "another good password")
    assert browser.get(server.url + PREFIX + "/me", headers=WEB).status_code == 401
    assert browser.get(server.url + PREFIX + "/session").json() == {"login": None}


def test_the_cookie_does_not_authenticate_dav(server: Server) -> None:
    login = server.new_user()
    browser, _ = sign_in(server, login)
    answer = browser.request(
        "PROPFIND", f"{server.url}/{login}/", headers={"Depth": "0"}, cookies=browser.cookies
    )
    assert answer.status_code == 401


def test_the_openapi_document_lists_sessions_and_the_pages_endpoints(server: Server) -> None:
    document = requests.get(server.url + PREFIX + "/openapi.json").json()
    assert set(document["paths"]["/session"]) == {"get", "post", "delete"}
    for path in ["/collections/{name}/items", "/accounts", "/domains", "/me/qr.svg", "/people"]:
        assert path in document["paths"], path
