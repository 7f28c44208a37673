"""The change log is kept for [trash] change_log_days (issue 18 §4): the purge prunes
older changes; a client whose token is older is told to sync afresh (RFC 6578, and 400
for Thunderbird), every newer token is answered exactly as before."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from tests.support.dav import NS, put, sync_collection, vcard

_CLI = (sys.executable, "-m", "davshare.cli")


def _purge(server, days_ahead):
    when = (datetime.now(UTC) + timedelta(days=days_ahead)).strftime("%Y-%m-%dT%H:%M:%SZ")
    done = subprocess.run(
        [*_CLI, "--config", str(server.config), "trash", "purge", "--now", when],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _sync(session, url, token, agent=""):
    body = (
        '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:">'
        f"<D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    headers = {"Content-Type": "application/xml", "User-Agent": agent}
    return session.request("REPORT", url, data=body, headers=headers)


def test_changes_past_the_retention_are_pruned_and_older_tokens_resync(server):
    login = server.new_user()
    session = server.session(login)
    book = f"{server.url}/{login}/contacts/"
    put(session, book + "a.vcf", vcard("a", "Anne"))
    old_token, _ = sync_collection(session, book)
    put(session, book + "b.vcf", vcard("b", "Bruno"))
    current, _ = sync_collection(session, book)

    kept = _purge(server, 89)  # the default: 90 days
    assert "0 change(s) of the sync log" in kept
    _, since_old = sync_collection(session, book, old_token)
    assert [h.rsplit("/", 1)[1] for h in since_old] == ["b.vcf"]

    pruned = _purge(server, 91)
    assert "0 change(s)" not in pruned
    refused = _sync(session, book, old_token)
    assert refused.status_code == 403
    assert ET.fromstring(refused.content).find("D:valid-sync-token", NS) is not None
    assert _sync(session, book, old_token, agent="Mozilla/5.0 Thunderbird/128.0").status_code == 400
    # The current token still answers exactly: nothing since, then the next change only.
    _, nothing = sync_collection(session, book, current)
    assert nothing == {}
    put(session, book + "c.vcf", vcard("c", "Chloé"))
    _, after = sync_collection(session, book, current)
    assert [h.rsplit("/", 1)[1] for h in after] == ["c.vcf"]
    # A full sync (no token) lists everything, as for a new client.
    _, everything = sync_collection(session, book)
    assert {h.rsplit("/", 1)[1] for h in everything} == {"a.vcf", "b.vcf", "c.vcf"}
