"""App passwords over the API (issue 15 §2): made by the server, shown once, listed with
their creation and last use, revoked one by one; they open the API's Basic auth, never
the web pages' sign-in; a caller signed in with one changes none of them."""

import requests

from tests.support.api import PREFIX, ApiClient
from tests.support.server import PASSWORD, Server

WEB = {"X-Davshare-Web": "1"}


def _api(server: Server, login: str, password: str = PASSWORD) -> ApiClient:
    return ApiClient(server.url, server.session(login, password))


def _listed(server: Server, login: str) -> list[dict]:
    return _api(server, login).ok("GET", "/me/app-passwords")["app_passwords"]


def test_create_shows_the_password_once_and_lists_it_without(server):
    login = server.new_user()
    made = _api(server, login).call("POST", "/me/app-passwords", {"name": " Phone  "})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["name"] == "Phone" and body["last_used_at"] is None
    groups = body["password"].split("-")
    assert len(groups) == 6 and all(len(g) == 4 for g in groups) and groups[0] == body["id"]
    listed = _listed(server, login)
    assert [p["name"] for p in listed] == ["Phone"]
    assert "password" not in listed[0] and body["password"] not in str(listed)
    assert listed[0]["created_at"] == body["created_at"]


def test_an_app_password_opens_the_api_and_its_last_use_is_listed(server):
    login = server.new_user()
    password = _api(server, login).ok("POST", "/me/app-passwords", {"name": "Script"})["password"]
    me = _api(server, login, password).call("GET", "/me")
    assert me.status_code == 200 and me.json()["login"] == login
    typed = password.upper().replace("-", " ")  # as someone may type it
    assert _api(server, login, typed).call("GET", "/me").status_code == 200
    (listed,) = _listed(server, login)
    assert listed["last_used_at"] is not None and listed["last_used_from"] == "127.0.0.1"


def test_an_app_password_never_signs_in_to_the_web_pages(server):
    login = server.new_user()
    password = _api(server, login).ok("POST", "/me/app-passwords", {"name": "Phone"})["password"]
    answer = requests.post(
        server.url + PREFIX + "/session", json={"login": login, "password": password}, headers=WEB
    )
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "sign_in_failed"
    assert "Set-Cookie" not in answer.headers


def test_revoked_it_is_refused_at_the_next_request_and_the_others_still_work(server):
    login = server.new_user()
    api = _api(server, login)
    phone = api.ok("POST", "/me/app-passwords", {"name": "Phone"})
    laptop = api.ok("POST", "/me/app-passwords", {"name": "Laptop"})
    assert _api(server, login, phone["password"]).call("GET", "/me").status_code == 200
    assert api.call("DELETE", f"/me/app-passwords/{phone['id']}").status_code == 204
    refused = _api(server, login, phone["password"]).call("GET", "/me")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert _api(server, login, laptop["password"]).call("GET", "/me").status_code == 200
    assert [p["name"] for p in _listed(server, login)] == ["Laptop"]


def test_refused_changes_say_why_and_change_nothing(server):
    login, other = server.new_user(), server.new_user()
    api = _api(server, login)
    phone = api.ok("POST", "/me/app-passwords", {"name": "Phone"})
    theirs = _api(server, other).ok("POST", "/me/app-passwords", {"name": "Theirs"})
    cases = [
        ("POST", "/me/app-passwords", {"name": ""}, 400, "invalid_input"),
        ("POST", "/me/app-passwords", {"name": "x" * 101}, 400, "invalid_input"),
        ("POST", "/me/app-passwords", {"name": "a\x07b"}, 400, "invalid_input"),
        ("POST", "/me/app-passwords", {"name": 7}, 400, "invalid_input"),
        ("POST", "/me/app-passwords", {"name": "Tab", "scope": "all"}, 400, "invalid_input"),
        ("POST", "/me/app-passwords", {"name": "phone"}, 409, "already_exists"),
        ("DELETE", "/me/app-passwords/zzzz", None, 404, "not_found"),
        ("DELETE", f"/me/app-passwords/{theirs['id']}", None, 404, "not_found"),
    ]
    for method, path, body, status, code in cases:
        answer = api.call(method, path, body)
        assert answer.status_code == status, (path, body, answer.text)
        assert answer.json()["error"]["code"] == code and answer.json()["error"]["message"]
    assert [p["id"] for p in _listed(server, login)] == [phone["id"]]
    assert [p["id"] for p in _listed(server, other)] == [theirs["id"]]


def test_signed_in_with_an_app_password_one_changes_no_app_password(server):
    login = server.new_user()
    phone = _api(server, login).ok("POST", "/me/app-passwords", {"name": "Phone"})
    device = _api(server, login, phone["password"])
    assert device.call("GET", "/me/app-passwords").status_code == 200  # it may look
    for method, path, body in (
        ("POST", "/me/app-passwords", {"name": "Another"}),
        ("DELETE", f"/me/app-passwords/{phone['id']}", None),
        ("POST", "/me/two-factors", None),
    ):
        answer = device.call(method, path, body)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    assert [p["name"] for p in _listed(server, login)] == ["Phone"]
    assert _api(server, login).ok("GET", "/me/two-factors")["pending"] is False


def test_the_web_session_manages_app_passwords_with_its_csrf_token(server):
    login = server.new_user()
    browser = requests.Session()
    signed = browser.post(
        server.url + PREFIX + "/session", json={"login": login, "password": PASSWORD}
    ).json()
    url = server.url + PREFIX + "/me/app-passwords"
    without = browser.post(url, json={"name": "Phone"}, headers=WEB)
    assert without.status_code == 403 and without.json()["error"]["code"] == "csrf_token_missing"
    assert browser.get(url).json()["app_passwords"] == []
    made = browser.post(
        url, json={"name": "Phone"}, headers={**WEB, "X-CSRF-Token": signed["csrf_token"]}
    )
    assert made.status_code == 201 and made.json()["password"]


def test_recent_sign_ins_show_door_address_client_and_outcome(server):
    login = server.new_user()
    phone = _api(server, login).ok("POST", "/me/app-passwords", {"name": "Phone"})
    requests.get(server.url + PREFIX + "/me", auth=(login, "wrong password"))
    requests.get(
        server.url + PREFIX + "/me",
        auth=(login, phone["password"]),
        headers={"User-Agent": "DAVx5/4.4 test"},
    )
    requests.post(server.url + PREFIX + "/session", json={"login": login, "password": PASSWORD})
    seen = _api(server, login).ok("GET", "/me/sign-ins")["sign_ins"]
    # Newest first; the same success again (the account's password) is kept once.
    order = [(s["door"], s["success"], s["detail"]) for s in seen]
    assert order == [
        ("web", True, ""),
        ("api", True, "app password Phone"),
        ("api", False, ""),
        ("api", True, ""),
    ]
    web, device, wrong = seen[0], seen[1], seen[2]
    assert web["door"] == "web" and web["success"] is True
    assert device == {
        **device,
        "door": "api",
        "success": True,
        "client": "DAVx5/4.4 test",
        "detail": "app password Phone",
        "address": "127.0.0.1",
    }
    assert wrong["door"] == "api" and wrong["success"] is False
    assert web["at"] >= device["at"] >= wrong["at"]
    other = server.new_user()
    assert all(
        s["door"] == "api" for s in _api(server, other).ok("GET", "/me/sign-ins")["sign_ins"]
    )


def test_the_openapi_document_lists_the_new_routes(server):
    paths = requests.get(server.url + PREFIX + "/openapi.json").json()["paths"]
    for path in ("/me/app-passwords", "/me/app-passwords/{id}", "/me/two-factors", "/me/sign-ins"):
        assert path in paths
