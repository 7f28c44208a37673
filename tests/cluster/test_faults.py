"""Three davshare hosts (2 workers each, each in its own network namespace) behind HAProxy,
over a PostgreSQL primary and its synchronous standby (issue 18 §1-2): a host killed, the
database restarted, a host cut off from the database, the primary killed and the standby
promoted — each under a mixed load of four clients through the balancer. Nothing
acknowledged is lost (every 2xx write is stored with its content and etag), a failed
write is absent or stored exactly as sent, no answer is 500, every 503 has Retry-After,
and an incremental sync from a token taken before the fault returns exactly the changes.

The tests share one cluster and run in this order; the last one leaves no standby."""

from urllib.parse import urlsplit

import pytest
import requests

from tests.support.cluster import Cluster, Host, needs_root
from tests.support.dav import sync_collection
from tests.support.load import (
    Answer,
    MixedLoad,
    check_sync_after,
    missing_writes,
    wait_until,
    wrong_failed_writes,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster():
    needs_root()
    running = Cluster(hosts_count=3, workers=2).start()
    try:
        yield running
    finally:
        running.stop()


class Loaded:
    """A fresh account's address book under a mixed load through the balancer, with the
    sync token taken before the load began."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        login = cluster.new_user()
        self.session = cluster.session(login)
        self.book = f"{cluster.url}/{login}/contacts/"
        self.token, _ = sync_collection(self.session, self.book)
        self.load = MixedLoad(self.session, self.book, clients=4).start()

    def writes(self, more: int, what: str) -> None:
        """Wait until the load has stored ``more`` contacts more."""
        served = self.load.count(201)
        wait_until(lambda: self.load.count(201) >= served + more, what)

    def finish(self, allowed: set[int], at_most: int | None = None) -> list[Answer]:
        """Stop the load and check what it was answered and what is stored: the statuses
        besides success ``allowed`` (0: the connection broke), ``at_most`` of them."""
        answers = self.load.stop()
        statuses = {a.status for a in answers}
        assert statuses <= {200, 201, 204, 207} | allowed, sorted(statuses)
        failed = [(a.method, a.status) for a in answers if a.status in allowed]
        assert at_most is None or len(failed) <= at_most, failed
        assert all(a.retry_after.isdigit() for a in answers if a.status == 503)
        assert missing_writes(self.session, answers) == []
        assert wrong_failed_writes(self.session, answers) == []
        check_sync_after(self.session, self.book, self.token, answers)
        for host in self.cluster.hosts:  # no host answered anything 500 (its access log)
            assert '" 500 ' not in host.read_log(), host.number
        return answers


def _up(cluster: Cluster, host: Host) -> None:
    assert cluster.balancer
    cluster.balancer.wait_for(lambda states: states[f"h{host.number}"] == "UP", "host back")


def _served(host: Host, loaded: Loaded) -> int:
    """Requests of the load in the host's access log so far (health checks not counted)."""
    return host.read_log().count(urlsplit(loaded.book).path)


def test_a_host_killed_under_load_is_routed_around(cluster):
    assert cluster.balancer
    loaded = Loaded(cluster)
    victim = cluster.hosts[0]
    loaded.writes(20, "the load writes on every host")
    victim.kill()  # every process of its namespace, kill -9
    cluster.balancer.wait_for(lambda states: states["h1"] == "DOWN", "the balancer sees it")
    loaded.writes(30, "the others carry the load")
    victim.start()
    _up(cluster, victim)
    before = _served(victim, loaded)
    wait_until(lambda: _served(victim, loaded) > before, "the balancer sends to it again")
    # What the dead host was serving when it died is lost with it: at most one request per
    # client fails (502, or the connection broken); every later one went to another host.
    # The balancer retries a request whose connection failed on another host.
    loaded.finish(allowed={0, 502, 503}, at_most=loaded.load.clients)


def test_postgresql_restarted_under_load_answers_503_and_every_host_recovers(cluster):
    assert cluster.primary and cluster.balancer
    loaded = Loaded(cluster)
    loaded.writes(20, "the load writes")
    refused = loaded.load.count(503)
    cluster.primary.halt()
    try:
        wait_until(lambda: loaded.load.count(503) >= refused + 8, "503s while it is down")
    finally:
        cluster.primary.resume()
    cluster.wait_synchronous()
    cluster.balancer.wait_for(lambda s: set(s.values()) == {"UP"}, "every host recovers")
    for host in cluster.hosts:  # by itself: no host was restarted
        assert requests.get(host.url + "/.davshare/health", timeout=30).status_code == 200
    loaded.writes(20, "writes again")
    answers = loaded.finish(allowed={503})
    assert any(a.status == 503 for a in answers)


def test_a_host_cut_off_from_the_database_answers_503_and_the_others_carry_on(cluster):
    assert cluster.balancer
    loaded = Loaded(cluster)
    cut = cluster.hosts[1]
    loaded.writes(20, "the load writes")
    cut.cut_off()
    try:
        direct = cluster.session(loaded.session.auth[0])  # type: ignore[index]
        book = loaded.book.replace(cluster.url, cut.url)
        # Answered once the database connection's socket times out (libpq's tcp_user_timeout
        # and keepalives, which davshare sets unless the URL does): not TCP's many minutes.
        got = direct.request("PROPFIND", book, headers={"Depth": "0"}, timeout=90)
        assert got.status_code == 503 and got.headers["Retry-After"].isdigit(), got.text
        assert "database" in got.text
        cluster.balancer.wait_for(lambda states: states["h2"] == "DOWN", "taken out")
        loaded.writes(30, "the others carry the load")
    finally:
        cut.reconnect()
    _up(cluster, cut)
    before = _served(cut, loaded)
    wait_until(lambda: _served(cut, loaded) > before, "the balancer sends to it again")
    loaded.finish(allowed={503})


def test_the_primary_killed_and_the_standby_promoted_loses_nothing_acknowledged(cluster):
    assert cluster.primary and cluster.standby and cluster.balancer
    loaded = Loaded(cluster)
    loaded.writes(30, "the load writes")
    refused = loaded.load.count(503)
    cluster.primary.kill()  # kill -9, no shutdown: what it had acknowledged is on the standby
    wait_until(lambda: loaded.load.count(503) >= refused + 8, "503s without a primary")
    cluster.standby.promote()
    assert cluster.standby.sql("SELECT pg_is_in_recovery()") == [(False,)]
    cluster.balancer.wait_for(lambda s: set(s.values()) == {"UP"}, "the hosts reconnect")
    loaded.writes(20, "writes on the new primary")
    # Every check below reads through the hosts, now on the promoted standby only.
    loaded.finish(allowed={503})
