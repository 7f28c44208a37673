"""Debian's nginx in front of davshare with the configuration of docs/deploy.md (issue 14 §8)."""

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.dav import put, vcard
from tests.support.server import PASSWORD, Server, free_port

DEPLOY = Path(__file__).parents[2] / "docs" / "deploy.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site_config(backend_port: int, port: int) -> str:
    """The documented site, on plain HTTP at 127.0.0.1:``port`` (no certificate here)."""
    text = DEPLOY.read_text().split("```nginx\n", 1)[1].split("```", 1)[0]
    text = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", text, flags=re.S)  # the https redirect
    text = text.replace("server 127.0.0.1:5232;", f"server 127.0.0.1:{backend_port};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    text = re.sub(r"\n\s*(listen \[::\]:443|ssl_certificate)[^\n]*", "", text)
    assert "ssl" not in text and "5232" not in text
    return text


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[tuple[Server, str, Path]]:
    """A davshare server trusting nginx, and nginx in front of it; yields (server, url, log)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (scripts/test installs it when run as root)")
    server = Server(server__trusted_proxy="127.0.0.1").start()
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{temp}\n"
        f"{site_config(server.port, port)}\n}}\n"
    )
    nginx = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(folder),
            "-c",
            str(folder / "nginx.conf"),
            "-e",
            str(folder / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        assert nginx.poll() is None, nginx.stderr.read() if nginx.stderr else ""
        try:
            requests.get(url + "/.davshare/health", timeout=2)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    yield server, url, folder
    nginx.terminate()
    nginx.wait(timeout=10)
    server.stop()


def test_a_client_works_through_nginx(proxied):
    server, url, _ = proxied
    login = server.new_user()
    session = server.session(login)
    big_note = "x" * 2_000_000  # above nginx's default 1 MB body limit
    card = vcard("through-nginx", "Through Nginx", extra=f"NOTE:{big_note}\r\n")
    assert put(session, f"{url}/{login}/contacts/a.vcf", card).status_code == 201
    got = session.get(f"{url}/{login}/contacts/a.vcf")
    assert got.status_code == 200 and "Through Nginx" in got.text
    listing = session.request("PROPFIND", f"{url}/{login}/", headers={"Depth": "1"})
    assert listing.status_code == 207 and "/contacts/</href>" in listing.text
    assert requests.get(url + "/.davshare/health", timeout=10).json()["status"] == "ok"


def test_well_known_addresses_lead_to_the_root(proxied):
    _, url, _ = proxied
    for name in ("carddav", "caldav"):
        answer = requests.get(f"{url}/.well-known/{name}", allow_redirects=False, timeout=10)
        assert answer.status_code == 301 and answer.headers["Location"].endswith("/")


def test_the_client_address_comes_from_nginx_and_cannot_be_forged(proxied):
    server, url, _ = proxied
    login = server.new_user()
    forged = {"X-Forwarded-For": "198.51.100.66"}
    requests.request(
        "PROPFIND", f"{url}/{login}/", auth=(login, "not " + PASSWORD), headers=forged, timeout=10
    )
    deadline = time.monotonic() + 20
    while f'client=127.0.0.1 login="{login}"' not in server.read_log():
        assert time.monotonic() < deadline, server.read_log()
        time.sleep(0.1)
    assert "198.51.100.66" not in server.read_log()
    web = requests.post(
        url + "/.davshare/api/v1/session", json={"login": login, "password": PASSWORD}, timeout=10
    )
    assert web.status_code == 200 and web.json()["login"] == login
