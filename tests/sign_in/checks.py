"""What every sign-in backend's tests ask of a server: DAV, the API and the web sign-in
answers, and whether an account was created."""

import contextlib

import requests

from davshare.model import accounts
from davshare.model.errors import AlreadyExists, NotFound
from tests.support.api import PREFIX
from tests.support.server import Server


def dav(server: Server, login: str, password: str) -> requests.Response:
    """A DAV client's first request."""
    return requests.request(
        "PROPFIND", server.url + "/", auth=(login, password), headers={"Depth": "0"}, timeout=60
    )


def api_me(server: Server, login: str, password: str) -> requests.Response:
    """The API with HTTP Basic."""
    return requests.get(server.url + PREFIX + "/me", auth=(login, password), timeout=60)


def web(server: Server, login: str, password: str) -> requests.Response:
    """The web pages' sign-in."""
    return requests.post(
        server.url + PREFIX + "/session", json={"login": login, "password": password}, timeout=60
    )


def account(server: Server, login: str) -> accounts.Account | None:
    """The account of ``login``, or None when there is none."""
    try:
        return accounts.get_user(server.engine, login)
    except NotFound:
        return None


def serve(server: Server, domain: str = "example.com") -> None:
    """Let ``server`` have accounts in ``domain``."""
    with contextlib.suppress(AlreadyExists):
        accounts.add_domain(server.engine, domain)


def refused_everywhere(server: Server, login: str, password: str) -> None:
    """401 on every door, and the account as it was (none made)."""
    before = account(server, login)
    assert dav(server, login, password).status_code == 401
    assert api_me(server, login, password).status_code == 401
    assert web(server, login, password).status_code == 401
    assert account(server, login) == before


def unavailable_everywhere(server: Server, login: str, password: str) -> None:
    """503 with Retry-After on every door (never 500, never in), no account, a log line."""
    answer = dav(server, login, password)
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["Retry-After"]) > 0
    assert "unavailable" in answer.text
    for answer in (api_me(server, login, password), web(server, login, password)):
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "sign_in_unavailable"
        assert int(answer.headers["Retry-After"]) > 0
    assert account(server, login) is None
    assert "(503 unless a later backend accepts)" in server.read_log()


def domain_not_served(server: Server, login: str, password: str) -> None:
    """A right password in a domain not served here: 401 saying so, no account."""
    answer = dav(server, login, password)
    assert answer.status_code == 401
    assert "does not serve" in answer.text
    answer = web(server, login, password)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "domain_not_served"
    assert account(server, login) is None
