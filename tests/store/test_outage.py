"""PostgreSQL stopped under a running server (issue 18 §2): every request answers 503
with Retry-After and a message, never 500; nothing is half-written; the server
recovers by itself when the database is back."""

import time

import pytest
import requests

from tests.support.api import ApiClient
from tests.support.dav import propfind, put, vcard
from tests.support.load import MixedLoad, check_outage_answers, wait_until
from tests.support.postgres import PostgresCluster, find_bin_dir
from tests.support.server import Server

API = "/.davshare/api/v1"


@pytest.fixture(scope="module")
def stopped():
    """A server on its own cluster (the shared one must keep running), and the cluster."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    server = Server(cluster.create_database()).start()
    try:
        yield server, cluster
    finally:
        server.stop()
        cluster.stop()


def test_requests_during_an_outage_answer_503_and_the_server_recovers(stopped):
    server, cluster = stopped
    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    assert put(session, book + "kept.vcf", vcard("kept", "Kept")).status_code == 201

    cluster.halt()
    try:
        answers = [
            propfind(session, book, "<D:getetag/>", depth="1"),
            session.get(book + "kept.vcf"),
            put(session, book + "lost.vcf", vcard("lost", "Lost")),
            session.get(f"{server.url}{API}/collections"),
        ]
        for answer in answers:
            assert answer.status_code == 503, (answer.request.method, answer.text)
            assert answer.headers["Retry-After"].isdigit()
            assert "database" in answer.text and "Traceback" not in answer.text
        assert answers[-1].json()["error"]["code"] == "unavailable"
        assert '" 500 ' not in server.read_log()  # the access log: no request answered 500
    finally:
        cluster.resume()

    deadline = time.monotonic() + 60
    while True:  # the pool reconnects by itself: no restart of davshare
        got = session.get(book + "kept.vcf")
        if got.status_code == 200:
            break
        assert got.status_code == 503 and time.monotonic() < deadline, got.text
        time.sleep(0.5)
    assert "UID:kept" in got.text
    assert session.get(book + "lost.vcf").status_code == 404  # refused, so not written
    assert ApiClient(server.url, session).ok("GET", "/collections")


def test_health_and_dav_agree_during_an_outage(stopped):
    server, cluster = stopped
    login = server.new_user()
    cluster.halt()
    try:
        health = requests.get(server.url + "/.davshare/health", timeout=30)
        poll = propfind(server.session(login), f"{server.url}/{login}/contacts/", "<D:getetag/>")
        assert health.status_code == 503 and poll.status_code == 503
    finally:
        cluster.resume()


def test_a_restart_under_mixed_load_answers_503_not_500_and_loses_no_write(stopped):
    """PostgreSQL stopped and started three times while clients PUT, list, sync and search:
    a request whose connection breaks inside Radicale's own handler answers 503 too."""
    server, cluster = stopped
    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    assert propfind(session, book, "<D:getetag/>").status_code == 207
    load = MixedLoad(session, book, clients=6).start()
    try:
        for _ in range(3):
            served = load.count(201)
            wait_until(lambda: load.count(201) >= served + 20, "the load writes")  # noqa: B023
            refused = load.count(503)
            cluster.halt()
            try:
                wait_until(lambda: load.count(503) >= refused + 6, "503s while stopped")  # noqa: B023
            finally:
                cluster.resume()
        served = load.count(201)
        wait_until(lambda: load.count(201) >= served + 20, "recovery by itself")
    finally:
        answers = load.stop()

    check_outage_answers(server.read_log(), session, answers)
