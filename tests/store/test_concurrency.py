"""Concurrent writers on SQLite and PostgreSQL: nothing lost, nothing overwritten (issue 2 §5)."""

from concurrent.futures import ThreadPoolExecutor

from tests.support.dav import put, sync_collection, vcard
from tests.support.server import Server


def _all_put(writers: int, count: int, where) -> list[int]:
    """The statuses of ``count`` new contacts PUT by each of ``writers`` threads at once;
    ``where(worker)`` gives a writer's (session, book URL)."""

    def writer(worker):
        session, book = where(worker)
        return [
            put(
                session, f"{book}w{worker}-{i}.vcf", vcard(f"w{worker}-{i}", f"W{worker} {i}")
            ).status_code
            for i in range(count)
        ]

    with ThreadPoolExecutor(writers) as pool:
        return [s for result in pool.map(writer, range(writers)) for s in result]


def test_parallel_puts_into_one_collection_all_land_and_sync_sees_them(server):
    login = server.new_user()
    book = f"{server.url}/{login}/contacts/"
    token, _ = sync_collection(server.session(login), book)
    assert _all_put(4, 20, lambda _: (server.session(login), book)) == [201] * 80
    _, changes = sync_collection(server.session(login), book, token)
    assert len(changes) == 80


def test_concurrent_updates_with_the_same_etag_let_exactly_one_win(server):
    login = server.new_user()
    url = f"{server.url}/{login}/contacts/contested.vcf"
    etag = put(server.session(login), url, vcard("contested", "Original")).headers["ETag"]

    def update(worker):
        return put(
            server.session(login), url, vcard("contested", f"Writer {worker}"), **{"If-Match": etag}
        )

    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(update, range(6)))
    assert sorted(r.status_code for r in responses) == [204] + [412] * 5
    winner = next(i for i, r in enumerate(responses) if r.status_code == 204)
    assert f"Writer {winner}" in server.session(login).get(url).text


def test_concurrent_creates_of_one_href_let_exactly_one_win(server):
    login = server.new_user()
    url = f"{server.url}/{login}/contacts/race.vcf"

    def create(worker):
        return put(
            server.session(login), url, vcard("race", f"Creator {worker}"), **{"If-None-Match": "*"}
        )

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(r.status_code for r in pool.map(create, range(6)))
    assert statuses == [201] + [412] * 5


def test_parallel_writers_of_different_collections_all_succeed(server):
    logins = [server.new_user() for _ in range(3)]

    def writer(login):
        session = server.session(login)
        return [
            put(
                session, f"{server.url}/{login}/contacts/{i}.vcf", vcard(f"c{i}", f"C {i}")
            ).status_code
            for i in range(15)
        ]

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(writer, logins))
    assert results == [[201] * 15] * 3


def test_concurrent_updates_without_preconditions_all_land_last_writer_wins(server):
    login = server.new_user()
    url = f"{server.url}/{login}/contacts/busy.vcf"
    put(server.session(login), url, vcard("busy", "Original"))

    def update(worker):
        return put(server.session(login), url, vcard("busy", f"Writer {worker}")).status_code

    with ThreadPoolExecutor(6) as pool:
        assert sorted(pool.map(update, range(6))) == [204] * 6
    assert "Writer" in server.session(login).get(url).text


def test_writers_of_two_server_processes_on_one_database_all_land(server):
    """Two processes queue for the database's write lock (SQLite: a lock of the file, waited
    for in short steps): every PUT lands, the sync sees every one."""
    second = Server(server.database_url).start()
    try:
        login = server.new_user()
        books = [f"{s.url}/{login}/contacts/" for s in (server, second)]
        token, _ = sync_collection(server.session(login), books[0])
        servers = (server, second)
        statuses = _all_put(6, 15, lambda w: (servers[w % 2].session(login), books[w % 2]))
        assert statuses == [201] * 90
        _, changes = sync_collection(second.session(login), books[1], token)
        assert len(changes) == 90
    finally:
        second.stop()
