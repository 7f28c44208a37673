"""``serve --workers 3`` with gunicorn on SQLite and PostgreSQL (issue 14 §3 of the list)."""

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from davshare.model import mail_outbox
from davshare.model.db import write_transaction
from tests.conftest import BACKENDS, database_url
from tests.support.dav import put, sync_collection, vcard
from tests.support.mail import mail_options, smtp  # noqa: F401 - the fixture
from tests.support.server import Server

WRITERS, EACH = 6, 10


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, smtp) -> Iterator[Server]:  # noqa: F811
    """Three workers sending mail to the test's SMTP server."""
    _, port = smtp
    instance = Server(
        database_url(request, request.param),
        server__workers="3",
        server__threads="4",
        logging__level="info",
        **mail_options(port, "https://dav.example.com"),
    ).start()
    yield instance
    instance.stop()


def _workers(server: Server) -> set[int]:
    assert server.process is not None
    pid = server.process.pid
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def _wait(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_concurrent_writers_lose_nothing(server):
    login = server.new_user()
    url = f"{server.url}/{login}/contacts/"

    def write(writer: int) -> list[int]:
        session = server.session(login)
        return [
            put(
                session, f"{url}w{writer}-{i}.vcf", vcard(f"w{writer}-{i}", f"P {writer} {i}")
            ).status_code
            for i in range(EACH)
        ]

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = [s for result in pool.map(write, range(WRITERS)) for s in result]
    assert statuses == [201] * (WRITERS * EACH)
    _, listed = sync_collection(server.session(login), url)
    assert len([h for h in listed if h.endswith(".vcf")]) == WRITERS * EACH
    # The metrics add up the counts of every worker.
    scraped = requests.get(server.url + "/.davshare/metrics", timeout=10).text
    puts = [
        float(line.rsplit(" ", 1)[1])
        for line in scraped.splitlines()
        if line.startswith("davshare_requests_total{")
        and 'method="PUT"' in line
        and '"201"' in line
    ]
    assert sum(puts) >= WRITERS * EACH


def test_the_outbox_is_sent_once_by_one_process(server, smtp):  # noqa: F811
    inbox, _ = smtp
    recipients = [f"once-{i}-{server.port}@example.org" for i in range(12)]
    with write_transaction(server.engine) as conn:
        for recipient in recipients:
            mail_outbox.enqueue(conn, recipient, "hello", "body")
    _wait(lambda: all(inbox.to(r) for r in recipients), "every message")
    _wait(lambda: not mail_outbox.unsent(server.engine), "the outbox to be empty")
    assert [len(inbox.to(r)) for r in recipients] == [1] * len(recipients)
    assert server.read_log().count("mail sender started in process") == 1


def test_a_worker_that_dies_is_replaced(server):
    before = _workers(server)
    assert len(before) == 3
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    _wait(lambda: len(_workers(server)) == 3 and victim not in _workers(server), "a new worker")
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/"
    assert [put(session, f"{url}{i}.vcf", vcard(str(i), "A")).status_code for i in range(6)] == [
        201
    ] * 6
