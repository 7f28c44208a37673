"""``davshare migrate dav``: one account copied over HTTP from a running Radicale, resumed
after the source broke down halfway."""

import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from davshare.model import accounts
from davshare.model.errors import NotFound
from tests.migrate.team import RIGHTS, USERS, fill
from tests.support.dav import propfind, put, vevent
from tests.support.flaky_proxy import FlakyProxy
from tests.support.radicale import RadicaleServer
from tests.support.server import Server

ANNE_ITEMS = [
    "contacts/photo.vcf",
    "contacts/zoe.vcf",
    "todo/t1.ics",
    "office/plain.ics",
    "office/r%C3%A9union.ics",
]


@pytest.fixture(scope="module")
def radicale() -> Iterator[RadicaleServer]:
    instance = RadicaleServer(USERS, RIGHTS).start()
    fill(instance)
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def proxy(radicale: RadicaleServer) -> Iterator[FlakyProxy]:
    instance = FlakyProxy(radicale.url)
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def davshare_server() -> Iterator[Server]:
    instance = Server().start()
    accounts.add_domain(instance.engine, "example.com")
    yield instance
    instance.stop()


def migrate(server: Server, url: str, user: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``davshare migrate dav`` with the password on standard input."""
    into = [] if "@" in user else ["--into", f"{user}@example.com"]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "davshare.cli",
            "--config",
            str(server.config),
            "migrate",
            "dav",
            "--url",
            url,
            "--user",
            user,
            *into,
            *extra,
        ],
        input=USERS[user][0] + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def anne(davshare_server: Server, proxy: FlakyProxy) -> dict[str, subprocess.CompletedProcess[str]]:
    """anne's account copied: the source fails after 3 items, then the run is repeated."""
    runs = {}
    proxy.gets, proxy.fail_after = 0, 3
    runs["broken"] = migrate(davshare_server, proxy.url + "/", "anne")
    proxy.gets, proxy.fail_after = 0, None
    runs["resumed"] = migrate(davshare_server, proxy.url + "/", "anne")
    runs["resumed_gets"] = proxy.gets  # type: ignore[assignment]
    return runs


def _anne() -> requests.Session:
    session = requests.Session()
    session.auth = ("anne@example.com", USERS["anne"][0])
    return session


def test_a_broken_source_stops_cleanly_and_a_second_run_fetches_only_the_rest(anne):
    broken = anne["broken"]
    assert broken.returncode == 1
    assert "the server answered 503; run the same command again" in broken.stderr
    assert "items: 3 created" in broken.stdout
    resumed = anne["resumed"]
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "items: 2 created, 3 unchanged" in resumed.stdout
    assert anne["resumed_gets"] == 2


def test_items_properties_and_password_are_kept(anne, davshare_server, radicale):
    source = requests.Session()
    source.auth = ("anne", USERS["anne"][0])
    for path in ANNE_ITEMS:
        here = _anne().get(f"{davshare_server.url}/anne@example.com/{path}")
        assert here.status_code == 200, path
        assert here.content == source.get(f"{radicale.url}/anne/{path}").content
    response = propfind(
        _anne(),
        f"{davshare_server.url}/anne@example.com/office/",
        "<D:displayname/><I:calendar-color xmlns:I='http://apple.com/ns/ical/'/>",
    )
    assert "Travail – équipe" in response.text and "#ff8800ff" in response.text


def test_verify_then_a_change_at_the_source_is_the_only_item_fetched(
    anne, davshare_server, proxy, radicale
):
    url = proxy.url + "/"
    assert migrate(davshare_server, url, "anne", "--verify").returncode == 0
    source = requests.Session()
    source.auth = ("anne", USERS["anne"][0])
    assert (
        put(
            source, f"{radicale.url}/anne/office/plain.ics", vevent("ev-2", "Déjeuner déplacé")
        ).status_code
        == 204
    )
    differs = migrate(davshare_server, url, "anne", "--verify")
    assert (
        differs.returncode == 3
        and "anne/office -> anne@example.com/office/plain.ics" in differs.stdout
    )
    proxy.gets = 0
    updated = migrate(davshare_server, url, "anne")
    assert "items: 1 updated, 4 unchanged" in updated.stdout
    assert proxy.gets == 1  # the 4 others are known by their etag: not fetched again


def test_dry_run_writes_nothing(davshare_server, radicale):
    dry = migrate(davshare_server, radicale.url + "/", "bruno", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would be account bruno@example.com created" in dry.stdout
    assert "items: 1 created" in dry.stdout
    with pytest.raises(NotFound):
        accounts.get_user(davshare_server.engine, "bruno@example.com")


def test_a_wrong_source_password_is_a_clear_error(davshare_server, radicale):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "davshare.cli",
            "--config",
            str(davshare_server.config),
            "migrate",
            "dav",
            "--url",
            radicale.url + "/",
            "--user",
            "bruno",
            "--into",
            "bruno@example.com",
        ],
        input="wrong\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "the server refused bruno's password" in result.stderr
    assert "Traceback" not in result.stderr
