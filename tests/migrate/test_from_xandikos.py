"""``davshare migrate dav`` from a second kind of server: Xandikos (its own URL layout,
``/user/calendars/calendar/``), to show "any CalDAV/CardDAV server"."""

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests

from davshare.model import accounts
from tests.migrate.team import recurring
from tests.support import scratch
from tests.support.dav import put, vcard, vtodo
from tests.support.server import PASSWORD, Server, free_port

xandikos = pytest.importorskip("xandikos")

ITEMS = {
    "calendars/calendar/weekly.ics": recurring("x-weekly"),
    "calendars/calendar/t%C3%A2che.ics": vtodo("x-task", "Tâche à faire"),
    "contacts/addressbook/zoe.vcf": vcard("x-zoe", "Zoé Lefèvre", email="zoe@example.org"),
}


@pytest.fixture(scope="module")
def source() -> Iterator[str]:
    """Xandikos on 127.0.0.1 with its default calendar and address book, filled over HTTP."""
    folder, port = scratch.folder("xandikos-test-"), free_port()
    log = open(folder / "log", "wb")  # noqa: SIM115 - open while it runs
    process = scratch.started(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "xandikos",
                "serve",
                "--defaults",
                "-d",
                str(folder / "data"),
                "-l",
                "127.0.0.1",
                "-p",
                str(port),
                "--no-detect-systemd",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.options(url + "/", timeout=1)
            break
        except requests.ConnectionError:
            assert process.poll() is None, (folder / "log").read_text()
            time.sleep(0.1)
    for path, text in ITEMS.items():
        assert put(requests.Session(), f"{url}/user/{path}", text).status_code in (201, 204)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def davshare_server() -> Iterator[Server]:
    instance = Server().start()
    accounts.add_domain(instance.engine, "example.com")
    yield instance
    instance.stop()


def migrate(server: Server, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``davshare migrate dav`` from Xandikos into xavier@example.com."""
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
            url + "/",
            "--user",
            "user",
            "--into",
            "xavier@example.com",
            *extra,
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_item_arrives_byte_for_byte_and_verifies(source, davshare_server):
    first = migrate(davshare_server, source)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "items: 3 created" in first.stdout
    session = requests.Session()
    session.auth = ("xavier@example.com", PASSWORD)
    for path in ITEMS:
        name = path.split("/", 1)[1]  # calendar/..., addressbook/...
        here = session.get(f"{davshare_server.url}/xavier@example.com/{name}")
        assert here.status_code == 200, name
        assert here.content == requests.get(f"{source}/user/{path}").content
    assert migrate(davshare_server, source, "--verify").returncode == 0
