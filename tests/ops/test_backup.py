"""Backup while the server writes, then restore into a fresh server (issue 14 §7)."""

import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import unquote

import pytest
import requests

from tests.conftest import BACKENDS, database_url
from tests.support.dav import put, sync_collection, vcard
from tests.support.server import Server

WRITERS, EACH = 3, 30


def davshare(config, *args):
    return subprocess.run(
        [sys.executable, "-m", "davshare.cli", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_under_load_restores_every_acknowledged_write(request, backend, tmp_path):
    source = Server(database_url(request, backend)).start()
    restored = None
    try:
        login = source.new_user()
        url = f"{source.url}/{login}/contacts/"
        path = f"/{login}/contacts/"
        assert (
            put(source.session(login), url + "first.vcf", vcard("first", "First")).status_code
            == 201
        )
        old_token, _ = sync_collection(source.session(login), url)
        acked: dict[str, tuple[str, float]] = {}
        stop = threading.Event()

        def write(writer: int) -> None:
            session = source.session(login)
            for i in range(EACH):
                if stop.is_set():
                    return
                name = f"w{writer}-{i}.vcf"
                response = put(session, url + name, vcard(f"w{writer}-{i}", f"Person {writer} {i}"))
                assert response.status_code == 201
                acked[path + name] = (response.headers["ETag"], time.monotonic())

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acked) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        backup_file = tmp_path / f"davshare-{uuid.uuid4().hex[:6]}.backup"
        started = time.monotonic()
        done = davshare(source.config, "backup", str(backup_file))
        stop.set()
        for thread in threads:
            thread.join()
        assert done.returncode == 0, done.stderr
        assert f"written to {backup_file}" in done.stdout
        before = {href: etag for href, (etag, at) in acked.items() if at < started}
        assert len(before) >= 10

        target = (
            database_url(request, backend) or f"sqlite:///{tmp_path / 'new' / 'davshare.sqlite3'}"
        )
        config = tmp_path / "restored.conf"
        config.write_text(f"[storage]\ndatabase_url = {target}\n")
        back = davshare(config, "restore", str(backup_file))
        assert back.returncode == 0, back.stderr
        again = davshare(config, "restore", str(backup_file))
        assert again.returncode == 1 and "holds a davshare database already" in again.stderr

        restored = Server(target).start()
        session = restored.session(login)
        for href, etag in before.items():
            got = session.get(restored.url + href)
            assert got.status_code == 200 and got.headers["ETag"] == etag, href
        assert session.get(restored.url + path + "first.vcf").status_code == 200
        new_token, changes = sync_collection(session, restored.url + path, old_token)
        assert new_token and set(before) <= {unquote(href) for href in changes}
        assert requests.get(restored.url + "/.davshare/health", timeout=10).status_code == 200
    finally:
        source.stop()
        if restored is not None:
            restored.stop()
