"""Server admins promote and demote accounts through the API; the last one stays (issue 14 §1)."""

from collections.abc import Iterator

import pytest

from davshare.model import accounts
from tests.support.api import ApiClient
from tests.support.server import Server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One SQLite server for this module (the rule lives in the model, the same on both)."""
    instance = Server().start()
    yield instance
    instance.stop()


def test_a2_promote_demote_through_the_api_and_the_last_admin_stays(server):
    admin, other = server.new_user(server_admin=True), server.new_user()
    as_admin = ApiClient(server.url, server.session(admin))
    as_other = ApiClient(server.url, server.session(other))

    refused = as_other.call("PATCH", f"/accounts/{admin}", {"server_admin": False})
    assert refused.status_code == 403 and refused.json()["error"]["code"]
    assert accounts.get_user(server.engine, admin).is_server_admin

    last = as_admin.call("PATCH", f"/accounts/{admin}", {"server_admin": False})
    assert last.status_code == 400 and "last server admin" in last.json()["error"]["message"]
    assert accounts.get_user(server.engine, admin).is_server_admin

    promoted = as_admin.ok("PATCH", f"/accounts/{other.upper()}", {"server_admin": True})
    assert promoted["server_admin"] is True
    assert (
        as_other.ok("PATCH", f"/accounts/{admin}", {"server_admin": False})["server_admin"] is False
    )
    assert not accounts.get_user(server.engine, admin).is_server_admin
    bad = as_other.call("PATCH", f"/accounts/{admin}", {"server_admin": "yes"})
    assert bad.status_code == 400
