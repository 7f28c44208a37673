"""davshare behind PgBouncer in transaction mode (issue 18 §3): psycopg told not to prepare
statements (``?prepare_threshold=none``), no session state kept across transactions, so
concurrent writers of one collection lose nothing, the command line works through it, and
a PostgreSQL restart behind it answers 503 and then recovers by itself."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.dav import propfind, put, sync_collection, vcard
from tests.support.load import MixedLoad, check_outage_answers, wait_until
from tests.support.pgbouncer import PgBouncer
from tests.support.postgres import PostgresCluster, find_bin_dir
from tests.support.server import Server


@pytest.fixture(scope="module")
def pooled():
    """A server whose database URL names PgBouncer, PgBouncer, and the cluster behind it
    (its own: the restart test stops it)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    bouncer = server = None
    try:
        # Fewer server connections than the server's threads: requests queue in PgBouncer.
        bouncer = PgBouncer(cluster, pool_size=6).start()
        url = bouncer.url(cluster.create_database())
        server = Server(url, server__threads="8").start()
        yield server, bouncer, cluster
    finally:
        if server is not None:
            server.stop()
        if bouncer is not None:
            bouncer.stop()
        cluster.stop()


def _davshare(server, *args):
    return subprocess.run(
        [sys.executable, "-m", "davshare.cli", "--config", str(server.config), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_concurrent_writers_of_one_collection_lose_nothing(pooled):
    server, _, _ = pooled
    login = server.new_user()
    book = f"{server.url}/{login}/contacts/"
    token, _ = sync_collection(server.session(login), book)

    def writer(number):
        session = server.session(login)
        etags = {}
        for i in range(15):  # past psycopg's 5 executions a statement, many times over
            name = f"w{number}-{i}.vcf"
            answer = put(session, book + name, vcard(f"w{number}-{i}", f"Writer {number} {i}"))
            assert answer.status_code == 201, answer.text
            etags[name] = answer.headers["ETag"]
        return etags

    with ThreadPoolExecutor(6) as pool:
        written = {k: v for etags in pool.map(writer, range(6)) for k, v in etags.items()}
    assert len(written) == 90
    session = server.session(login)
    new_token, changed = sync_collection(session, book, token)
    assert sorted(href.rsplit("/", 1)[1] for href in changed) == sorted(written)
    for name, etag in written.items():
        got = session.get(book + name)
        assert got.status_code == 200 and got.headers["ETag"] == etag
    assert sync_collection(session, book, new_token)[1] == {}  # nothing since: exact


def test_concurrent_updates_with_one_etag_let_exactly_one_win(pooled):
    """The collection's row lock is the transaction's: PgBouncer keeps it for that long."""
    server, _, _ = pooled
    login = server.new_user()
    url = f"{server.url}/{login}/contacts/contested.vcf"
    etag = put(server.session(login), url, vcard("contested", "Original")).headers["ETag"]

    def update(number):
        text = vcard("contested", f"Writer {number}")
        return put(server.session(login), url, text, **{"If-Match": etag}).status_code

    with ThreadPoolExecutor(6) as pool:
        assert sorted(pool.map(update, range(6))) == [204] + [412] * 5


def test_the_command_line_works_through_pgbouncer(pooled, tmp_path):
    server, bouncer, _ = pooled
    status = _davshare(server, "status")
    assert status.returncode == 0, status.stderr
    assert "up to date" in status.stdout and f":{bouncer.port}/" in status.stdout
    backup = _davshare(server, "backup", str(tmp_path / "davshare.dump"))
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "davshare.dump").read_bytes().startswith(b"PGDMP")


def test_a_bad_prepare_threshold_is_refused_clearly(pooled, tmp_path):
    server, _, _ = pooled
    config = tmp_path / "davshare.conf"
    bad = server.database_url.replace("prepare_threshold=none", "prepare_threshold=never")
    config.write_text(f"[storage]\ndatabase_url = {bad}\n")
    done = subprocess.run(
        [sys.executable, "-m", "davshare.cli", "--config", str(config), "status"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "prepare_threshold=never is neither 'none'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_postgresql_restart_behind_pgbouncer_answers_503_then_recovers(pooled):
    server, _, cluster = pooled
    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    assert propfind(session, book, "<D:getetag/>").status_code == 207
    load = MixedLoad(session, book, clients=4).start()
    try:
        wait_until(lambda: load.count(201) >= 10, "the load writes")
        cluster.halt()
        try:
            wait_until(lambda: load.count(503) >= 6, "503s while PostgreSQL is stopped")
        finally:
            cluster.resume()
        written = load.count(201)
        wait_until(lambda: load.count(201) >= written + 10, "recovery by itself")
    finally:
        answers = load.stop()
    check_outage_answers(server.read_log(), session, answers)
