"""Logging in (issue 2 §3, SPEC A1, A2)."""

import time
from concurrent.futures import ThreadPoolExecutor

from davshare.model import accounts
from tests.support.server import PASSWORD


def _status(server, login, password=PASSWORD):
    return server.session(login, password).request("PROPFIND", f"{server.url}/").status_code


def test_a1_login_is_case_insensitive(server):
    login = server.new_user()
    assert _status(server, login.upper()) == 207
    assert server.session(login.upper()).get(f"{server.url}/{login}/contacts/").status_code == 200


def test_wrong_password_and_unknown_account_get_the_same_401(server):
    login = server.new_user()
    wrong = server.session(login, "not the password").request("PROPFIND", f"{server.url}/")
    unknown = server.session("nobody@example.com", "not the password").request(
        "PROPFIND", f"{server.url}/"
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text == unknown.text
    assert wrong.headers["WWW-Authenticate"] == unknown.headers["WWW-Authenticate"]


def test_a1_repeated_failures_are_refused_early_with_retry_after(server):
    login, other = server.new_user(), server.new_user()
    for _ in range(6):  # five free failures, then a block of the [auth] delay (rounded up)
        assert _status(server, login, "wrong password") == 401
    refused = server.session(login).request("PROPFIND", f"{server.url}/")
    assert refused.status_code == 429  # even the right password is not checked meanwhile
    assert int(refused.headers["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in refused.text
    assert _status(server, other) == 207  # another login from the same address is answered
    deadline = time.monotonic() + 30
    while _status(server, login) != 207:
        assert time.monotonic() < deadline, "the block did not end"
        time.sleep(0.2)


def test_a1_32_concurrent_wrong_passwords_leave_a_legitimate_request_answered(server):
    login = server.new_user()
    with ThreadPoolExecutor(max_workers=33) as pool:
        wrong = [pool.submit(_status, server, f"nobody{n}@example.com", "guess") for n in range(32)]
        legitimate = pool.submit(_status, server, login)
        assert legitimate.result(timeout=60) == 207
        assert {future.result(timeout=60) for future in wrong} <= {401, 429}


def test_disabled_account_gets_401_at_once_and_comes_back_when_enabled(server):
    login = server.new_user()
    assert _status(server, login) == 207
    accounts.set_disabled(server.engine, login, True)
    assert _status(server, login) == 401
    accounts.set_disabled(server.engine, login, False)
    assert _status(server, login) == 207


def test_password_change_takes_effect_at_once(server):
    login = server.new_user()
    assert _status(server, login) == 207
    accounts.set_password(server.engine, login, "a brand new password")
    assert _status(server, login) == 401
    assert _status(server, login, "a brand new password") == 207


def test_a2_profile_is_stored(server):
    login = server.new_user(profile="read_only")
    assert accounts.get_user(server.engine, login).profile == "read_only"


def test_passwords_are_not_stored_in_clear(server):
    login = server.new_user()
    from sqlalchemy import select

    from davshare.model.tables import users

    with server.engine.connect() as conn:
        stored = conn.scalar(select(users.c.password_hash).where(users.c.login == login))
    assert PASSWORD not in stored
    assert stored.startswith("$argon2")
    assert PASSWORD not in server.read_log()


def test_requests_without_credentials_are_asked_to_log_in(server):
    import requests

    login = server.new_user()
    for method in ("PUT", "DELETE", "MOVE", "PROPFIND", "GET"):
        response = requests.request(method, f"{server.url}/{login}/contacts/x.vcf", data=b"")
        assert response.status_code == 401, method
        assert response.headers["WWW-Authenticate"].startswith("Basic")
