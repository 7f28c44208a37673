"""Health, metrics and logs an admin can use (issue 14 §5, §6 of the list)."""

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.api import PREFIX
from tests.support.dav import put, vcard
from tests.support.postgres import PostgresCluster, find_bin_dir
from tests.support.server import PASSWORD, Server

DEPLOY = Path(__file__).parents[2] / "docs" / "deploy.md"
TOKEN = "scrape-secret-0123456789"
OUTSIDER = "203.0.113.7"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """Behind a trusted proxy on 127.0.0.1, metrics for 127.0.0.1 or the token."""
    instance = Server(
        server__trusted_proxy="127.0.0.1",
        metrics__token=TOKEN,
        metrics__allow="127.0.0.1",
    ).start()
    yield instance
    instance.stop()


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def _metric(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_health_answers_without_sign_in(server):
    response = requests.get(server.url + "/.davshare/health", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_metrics_count_requests_and_are_refused_to_an_outsider(server):
    scrape = server.url + "/.davshare/metrics"
    before = requests.get(scrape, timeout=10).text
    login = server.new_user()
    session = server.session(login)
    for i in range(3):
        assert (
            put(session, f"{server.url}/{login}/contacts/{i}.vcf", vcard(str(i), "A")).status_code
            == 201
        )
    requests.request(
        "PROPFIND", f"{server.url}/{login}/", auth=(login, "wrong password"), timeout=10
    )
    after = requests.get(scrape, timeout=10).text
    labels = {"method": "PUT", "kind": "dav", "status": "201"}
    assert (
        _metric(after, "davshare_requests_total", **labels)
        - _metric(before, "davshare_requests_total", **labels)
        == 3
    )
    assert _metric(after, "davshare_request_duration_seconds_count", method="PUT", kind="dav") >= 3
    assert _metric(after, "davshare_sign_in_failures_total", door="dav") >= 1
    assert 'davshare_mail_outbox_messages{state="waiting"}' in after
    assert "davshare_database_errors_total" in after

    outsider = requests.get(scrape, headers=_from(OUTSIDER), timeout=10)
    assert outsider.status_code == 403 and "davshare_requests_total" not in outsider.text
    wrong = requests.get(
        scrape, headers={**_from(OUTSIDER), "Authorization": "Bearer nope"}, timeout=10
    )
    assert wrong.status_code == 403
    with_token = requests.get(
        scrape, headers={**_from(OUTSIDER), "Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert with_token.status_code == 200 and "davshare_requests_total" in with_token.text


def _fail2ban_regex() -> re.Pattern[str]:
    text = DEPLOY.read_text()
    filter_block = (
        text.split("filter.d/davshare.conf`:", 1)[1].split("```ini", 1)[1].split("```")[0]
    )
    failregex = re.search(r"^failregex = (.+)$", filter_block, re.M)
    assert failregex, "no failregex in docs/deploy.md"
    # fail2ban's <HOST> stands for an address it then bans.
    return re.compile(failregex[1].replace("<HOST>", r"(?P<host>\S+)"))


def _wait_for_log(server: Server, needle: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        log = server.read_log()
        if needle in log:
            return log
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not in the log:\n{server.read_log()}")


def test_failed_sign_ins_on_every_door_are_logged_for_fail2ban(server):
    login = server.new_user()
    doors = {"dav": "203.0.113.21", "api": "203.0.113.22", "web": "203.0.113.23"}
    bad = "Wrong-Pass-Phrase-42"
    requests.request(
        "PROPFIND",
        f"{server.url}/{login}/",
        auth=(login, bad),
        headers=_from(doors["dav"]),
        timeout=10,
    )
    requests.get(
        server.url + PREFIX + "/groups", auth=(login, bad), headers=_from(doors["api"]), timeout=10
    )
    requests.post(
        server.url + PREFIX + "/session",
        json={"login": login, "password": bad},
        headers=_from(doors["web"]),
        timeout=10,
    )
    # A good web sign-in: neither its password nor its session cookie may reach the log.
    signed = requests.Session()
    answer = signed.post(
        server.url + PREFIX + "/session", json={"login": login, "password": PASSWORD}
    )
    assert answer.status_code == 200
    cookie = signed.cookies.get("davshare_session")
    assert signed.get(server.url + PREFIX + "/session").json()["login"] == login
    log = _wait_for_log(server, f"door=web client={doors['web']}")
    regex = _fail2ban_regex()
    for door, address in doors.items():
        lines = [x for x in log.splitlines() if f"door={door} client={address}" in x]
        assert len(lines) == 1, (door, log)
        assert f'login="{login}"' in lines[0]
        matched = regex.search(lines[0])
        assert matched and matched["host"] == address, lines[0]
    assert bad not in log and PASSWORD not in log and cookie and cookie not in log
    assert answer.json()["csrf_token"] not in log


def test_one_access_line_per_request_with_the_forwarded_client(server):
    login = server.new_user()
    response = requests.request(
        "PROPFIND",
        f"{server.url}/{login}/?secret=1",
        auth=(login, PASSWORD),
        headers={**_from("198.51.100.4"), "Depth": "0", "Accept-Encoding": "identity"},
        timeout=10,
    )
    assert response.status_code == 207
    line = f'198.51.100.4 {login} "PROPFIND /{login}/" 207 {len(response.content)} '
    log = _wait_for_log(server, line)
    assert "secret=1" not in log


def test_json_access_lines(tmp_path):
    server = Server(logging__access_log="json").start()
    try:
        requests.get(server.url + "/.davshare/health", timeout=10)
        log = _wait_for_log(server, '"path": "/.davshare/health"')
        line = next(x for x in log.splitlines() if '"path": "/.davshare/health"' in x)
        fields = json.loads(line[line.index("{") :])
        assert (
            fields["status"] == 200
            and fields["method"] == "GET"
            and fields["client"] == "127.0.0.1"
        )
        assert set(fields) == {
            "time",
            "client",
            "login",
            "method",
            "path",
            "status",
            "bytes",
            "duration",
        }
    finally:
        server.stop()


def test_health_turns_503_when_postgresql_stops():
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    cluster = PostgresCluster(bin_dir)  # its own: the shared one must keep running
    cluster.start()
    server = Server(cluster.create_database()).start()
    try:
        health = server.url + "/.davshare/health"
        assert requests.get(health, timeout=10).status_code == 200
        cluster.halt()
        deadline = time.monotonic() + 30
        while requests.get(health, timeout=30).status_code != 503:
            assert time.monotonic() < deadline, "health still 200 with PostgreSQL stopped"
            time.sleep(0.2)
        answer = requests.get(health, timeout=30)
        assert answer.json() == {"status": "unavailable", "database": "not answering"}
        scraped = requests.get(server.url + "/.davshare/metrics", timeout=30)
        assert scraped.status_code == 200
        assert _metric(scraped.text, "davshare_database_errors_total") >= 1
    finally:
        server.stop()
        cluster.stop()
