"""Two-factor sign-in of the web pages (issue 15 §3): TOTP codes computed here by pyotp,
recovery codes used once, wrong codes refused and counted; with two factors on, the API's
Basic auth and DAV take app passwords only, and say so."""

import time
from collections.abc import Iterator

import pyotp
import pytest
import requests

from tests.support.api import PREFIX, ApiClient
from tests.support.server import PASSWORD, Server

WEB = {"X-Davshare-Web": "1"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """The codes do not depend on the database: SQLite only."""
    instance = Server().start()
    yield instance
    instance.stop()


def code(secret: str, steps_ahead: int = 0) -> str:
    """The code of this time step, or of the next one (accepted too: clocks drift), so
    that a test never waits for a new step (a code is accepted only once)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def _api(server: Server, login: str, password: str = PASSWORD) -> ApiClient:
    return ApiClient(server.url, server.session(login, password))


def enrolled(server: Server, login: str) -> tuple[str, list[str]]:
    """Two factors turned on for ``login``: the secret and the recovery codes."""
    api = _api(server, login)
    begun = api.ok("POST", "/me/two-factors")
    confirmed = api.ok("POST", "/me/two-factors/confirm", {"code": code(begun["secret"])})
    return begun["secret"], confirmed["recovery_codes"]


def sign_in(server: Server, login: str, password: str = PASSWORD, **extra: str):
    return requests.post(
        server.url + PREFIX + "/session",
        json={"login": login, "password": password, **extra},
        headers=WEB,
    )


def test_enrolment_gives_a_qr_code_and_needs_a_right_first_code(server):
    login = server.new_user()
    api = _api(server, login)
    begun = api.ok("POST", "/me/two-factors")
    assert begun["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={begun['secret']}" in begun["otpauth_uri"]
    assert begun["qr_svg"].startswith("data:image/svg+xml;base64,")
    assert api.ok("GET", "/me/two-factors") == {
        "enabled": False,
        "pending": True,
        "recovery_codes_left": 0,
        "required": False,
    }
    wrong = api.call("POST", "/me/two-factors/confirm", {"code": "000000"})
    if code(begun["secret"]) != "000000":
        assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_input"
        assert api.ok("GET", "/me/two-factors")["enabled"] is False
        assert sign_in(server, login).status_code == 200  # still one factor
    confirmed = api.ok("POST", "/me/two-factors/confirm", {"code": code(begun["secret"])})
    assert confirmed["enabled"] is True and len(set(confirmed["recovery_codes"])) == 10
    again = api.call("POST", "/me/two-factors")  # the account's password: not for the API now
    assert again.status_code == 401 and again.json()["error"]["code"] == "app_password_required"


def test_web_sign_in_asks_for_the_code_and_refuses_a_wrong_one(server):
    login = server.new_user()
    secret, recovery = enrolled(server, login)
    asked = sign_in(server, login)
    assert asked.status_code == 401 and asked.json()["error"]["code"] == "two_factor_code_required"
    assert "Set-Cookie" not in asked.headers
    right = code(secret, 1)
    wrong = "000000" if right != "000000" else "111111"
    refused = sign_in(server, login, code=wrong)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "two_factor_code_wrong"
    assert "Set-Cookie" not in refused.headers
    wrong_password = sign_in(server, login, "not the password", code=right)
    assert wrong_password.json()["error"]["code"] == "sign_in_failed"
    signed = sign_in(server, login, code=right)
    assert signed.status_code == 200 and signed.json()["login"] == login
    replayed = sign_in(server, login, code=right)  # a code is accepted once
    assert (
        replayed.status_code == 401 and replayed.json()["error"]["code"] == "two_factor_code_wrong"
    )
    seen = _api(server, login, _app_password(server, login, recovery[0]))
    details = [(s["success"], s["detail"]) for s in seen.ok("GET", "/me/sign-ins")["sign_ins"]]
    assert (False, "wrong second factor") in details and (True, "") in details


def _app_password(server: Server, login: str, second_factor: str) -> str:
    """An app password made through a web session signed in with both factors."""
    browser = requests.Session()
    signed = browser.post(
        server.url + PREFIX + "/session",
        json={"login": login, "password": PASSWORD, "code": second_factor},
    )
    assert signed.status_code == 200, signed.text
    made = browser.post(
        server.url + PREFIX + "/me/app-passwords",
        json={"name": f"device {time.monotonic()}"},
        headers={"X-CSRF-Token": signed.json()["csrf_token"]},
    )
    assert made.status_code == 201, made.text
    return made.json()["password"]


def test_a_recovery_code_signs_in_once(server):
    login = server.new_user()
    _, recovery = enrolled(server, login)
    first = sign_in(server, login, code=recovery[0].upper())
    assert first.status_code == 200
    again = sign_in(server, login, code=recovery[0])
    assert again.status_code == 401 and again.json()["error"]["code"] == "two_factor_code_wrong"
    assert sign_in(server, login, code=recovery[1]).status_code == 200
    browser = requests.Session()
    browser.post(
        server.url + PREFIX + "/session",
        json={"login": login, "password": PASSWORD, "code": recovery[2]},
    )
    status = browser.get(server.url + PREFIX + "/me/two-factors").json()
    assert status["recovery_codes_left"] == 7


def test_with_two_factors_on_the_api_and_dav_take_app_passwords_only(server):
    login = server.new_user()
    secret, _ = enrolled(server, login)
    refused = requests.get(server.url + PREFIX + "/me", auth=(login, PASSWORD))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "app_password_required"
    assert "app password" in refused.json()["error"]["message"]
    dav = requests.request("PROPFIND", f"{server.url}/{login}/", auth=(login, PASSWORD))
    assert dav.status_code == 401 and "app password" in dav.text
    assert dav.headers["WWW-Authenticate"].startswith("Basic")
    wrong = requests.request("PROPFIND", f"{server.url}/{login}/", auth=(login, "wrong one!"))
    assert wrong.status_code == 401 and "app password" not in wrong.text  # tells nothing
    password = _app_password(server, login, code(secret, 1))
    assert requests.get(server.url + PREFIX + "/me", auth=(login, password)).status_code == 200
    dav = requests.request("PROPFIND", f"{server.url}/{login}/", auth=(login, password))
    assert dav.status_code == 207


def test_wrong_codes_are_refused_for_a_while_after_five(server):
    login = server.new_user()
    secret, _ = enrolled(server, login)
    answers = [sign_in(server, login, code="123456" if code(secret) != "123456" else "654321")]
    while answers[-1].status_code == 401 and len(answers) < 10:
        answers.append(sign_in(server, login, code="000001"))
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    blocked = sign_in(server, login, code=code(secret, 1))  # even the right code, meanwhile
    assert blocked.status_code == 429


def test_turning_two_factors_off_needs_a_code_and_a_wrong_one_changes_nothing(server):
    login = server.new_user()
    secret, recovery = enrolled(server, login)
    browser = requests.Session()
    signed = browser.post(
        server.url + PREFIX + "/session",
        json={"login": login, "password": PASSWORD, "code": recovery[0]},
    ).json()
    headers = {"X-CSRF-Token": signed["csrf_token"]}
    url = server.url + PREFIX + "/me/two-factors"
    missing = browser.delete(url, json={}, headers=headers)
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "invalid_input"
    used = browser.delete(url, json={"code": recovery[0]}, headers=headers)
    assert used.status_code == 403 and used.json()["error"]["code"] == "two_factor_code_wrong"
    assert browser.get(url).json()["enabled"] is True
    off = browser.delete(url, json={"code": code(secret, 1)}, headers=headers)
    assert off.status_code == 200 and off.json()["enabled"] is False
    assert sign_in(server, login).status_code == 200  # the password alone again
    assert requests.get(server.url + PREFIX + "/me", auth=(login, PASSWORD)).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(server):
    login = server.new_user()
    secret, old = enrolled(server, login)
    browser = requests.Session()
    signed = browser.post(
        server.url + PREFIX + "/session",
        json={"login": login, "password": PASSWORD, "code": old[0]},
    ).json()
    renewed = browser.post(
        server.url + PREFIX + "/me/two-factors/recovery-codes",
        json={"code": code(secret, 1)},
        headers={"X-CSRF-Token": signed["csrf_token"]},
    )
    assert renewed.status_code == 200 and renewed.json()["recovery_codes_left"] == 10
    assert sign_in(server, login, code=old[1]).status_code == 401
    assert sign_in(server, login, code=renewed.json()["recovery_codes"][0]).status_code == 200


def test_server_admins_must_enrol_first_when_the_server_requires_it():
    strict = Server(auth__admins_need_two_factors="true").start()
    try:
        admin = strict.new_user(server_admin=True)
        person = strict.new_user()
        assert sign_in(strict, person).json()["must_enrol"] is False
        browser = requests.Session()
        signed = browser.post(
            strict.url + PREFIX + "/session", json={"login": admin, "password": PASSWORD}
        ).json()
        assert signed["must_enrol"] is True
        headers = {**WEB, "X-CSRF-Token": signed["csrf_token"]}
        refused = browser.get(strict.url + PREFIX + "/accounts", headers=headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "two_factors_required"
        assert browser.get(strict.url + PREFIX + "/me", headers=headers).status_code == 200
        status = browser.get(strict.url + PREFIX + "/me/two-factors", headers=headers).json()
        assert status["required"] is True
        begun = browser.post(strict.url + PREFIX + "/me/two-factors", headers=headers).json()
        confirm = {"code": code(begun["secret"])}
        browser.post(strict.url + PREFIX + "/me/two-factors/confirm", json=confirm, headers=headers)
        assert browser.get(strict.url + PREFIX + "/accounts", headers=headers).status_code == 200
    finally:
        strict.stop()
