"""Issue 20: the trash and history are emptied after their retention — by ``davshare trash
purge --now`` (a clock the test sets) and by the server itself — and the server admin's
commands list, undo and restore."""

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.history.test_trash_undo import DAVX5, Team, _api
from tests.support.dav import put, vcard
from tests.support.server import Server


def _cli(server, *args):
    return subprocess.run(
        [sys.executable, "-m", "davshare.cli", "--config", str(server.config), "trash", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _iso(delta_days):
    return (datetime.now(UTC) + timedelta(days=delta_days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_purge_removes_what_is_past_the_retention_and_keeps_the_rest(server):
    login = server.new_user()
    url = f"{server.url}/{login}/contacts/"
    session = server.session(login)
    put(session, url + "a.vcf", vcard("uid-a", "Anne"))
    put(session, url + "a.vcf", vcard("uid-a", "Anne 2"))
    put(session, url + "b.vcf", vcard("uid-b", "Bruno"))
    session.delete(url + "b.vcf")
    api = _api(server, login)

    early = _cli(server, "purge", "--now", _iso(29))  # the default retention: 30 days
    assert early.returncode == 0, early.stderr
    assert len(api.ok("GET", "/collections/contacts/trash")["items"]) == 1
    assert len(api.ok("GET", "/collections/contacts/items/a.vcf/history")["versions"]) == 1

    late = _cli(server, "purge", "--now", _iso(31))
    assert late.returncode == 0, late.stderr
    assert "purged 1 deleted item(s), 1 earlier version(s)" in late.stdout
    assert api.ok("GET", "/collections/contacts/trash")["items"] == []
    assert api.ok("GET", "/collections/contacts/items/a.vcf/history")["versions"] == []
    assert "Anne 2" in session.get(url + "a.vcf").text  # the items themselves stay


def test_purge_refuses_a_clock_it_cannot_read_and_changes_nothing(server):
    login = server.new_user()
    url = f"{server.url}/{login}/contacts/"
    put(server.session(login), url + "c.vcf", vcard("uid-c", "Chloé"))
    server.session(login).delete(url + "c.vcf")
    bad = _cli(server, "purge", "--now", "next tuesday")
    assert bad.returncode == 1 and "--now is a date or time" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert len(_api(server, login).ok("GET", "/collections/contacts/trash")["items"]) == 1


def test_the_server_admin_lists_and_undoes_a_burst_from_the_command_line(server):
    team = Team(server)
    for i in range(5):
        team.store(f"c{i}.vcf", vcard(f"uid-{i}", f"C {i}"))
    phone = server.session(team.deleter)
    phone.headers.update(DAVX5)
    for i in range(5):
        phone.delete(team.url(team.deleter) + f"c{i}.vcf")
    path = f"@{team.name}/contacts"
    listed = _cli(server, "bursts", path)
    assert listed.returncode == 0, listed.stderr
    burst_id, summary, who, client, _ = listed.stdout.splitlines()[0].split("\t")
    assert summary == "5 deleted, 0 modified" and who == team.deleter
    assert client.startswith("DAVx5")
    assert len(_cli(server, "list", path).stdout.splitlines()) == 5
    done = _cli(server, "undo", path, burst_id)
    assert done.returncode == 0 and "restored 5 item(s)" in done.stdout, done.stderr
    assert team.hrefs(team.reader) == {f"c{i}.vcf" for i in range(5)}
    missing = _cli(server, "undo", path, "999999")
    assert missing.returncode == 1 and "no burst" in missing.stderr


@pytest.fixture(scope="module")
def quick_server():
    """A server whose trash keeps deleted items about nine seconds, emptied each half second."""
    instance = Server(trash__retention_days="0.0001", trash__purge_seconds="0.5").start()
    yield instance
    instance.stop()


def test_the_server_empties_the_trash_by_itself_after_the_retention(quick_server):
    login = quick_server.new_user()
    url = f"{quick_server.url}/{login}/contacts/"
    put(quick_server.session(login), url + "d.vcf", vcard("uid-d", "Denis"))
    quick_server.session(login).delete(url + "d.vcf")
    api = _api(quick_server, login)
    assert [i["href"] for i in api.ok("GET", "/collections/contacts/trash")["items"]] == ["d.vcf"]
    deadline = time.monotonic() + 60
    while api.ok("GET", "/collections/contacts/trash")["items"] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert api.ok("GET", "/collections/contacts/trash")["items"] == []


@pytest.fixture(scope="module")
def final_server():
    """A server with the trash turned off: deletions are final, as before issue 20."""
    instance = Server(trash__retention_days="0", trash__history_versions="0").start()
    yield instance
    instance.stop()


def test_with_a_retention_of_0_deletions_are_final(final_server):
    login = final_server.new_user()
    url = f"{final_server.url}/{login}/contacts/"
    put(final_server.session(login), url + "e.vcf", vcard("uid-e", "Emma"))
    put(final_server.session(login), url + "e.vcf", vcard("uid-e", "Emma 2"))
    final_server.session(login).delete(url + "e.vcf")
    api = _api(final_server, login)
    assert api.ok("GET", "/collections/contacts/trash")["items"] == []
