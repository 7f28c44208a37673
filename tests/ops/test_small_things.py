"""Small things an admin notices (issue 14 §9): logins in paths, the root page."""

from collections.abc import Iterator

import pytest
import requests

from tests.support.dav import propfind, put, vcard
from tests.support.server import PASSWORD, Server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One SQLite server for this module."""
    instance = Server().start()
    yield instance
    instance.stop()


def test_a_login_with_capitals_in_the_path_works(server):
    login = server.new_user()
    local, domain = login.split("@")
    shouted = f"{local.capitalize()}@{domain.upper()}"
    session = requests.Session()
    session.auth = (shouted, PASSWORD)
    found = propfind(session, f"{server.url}/{shouted}/", "<D:displayname/>", depth="1")
    assert found.status_code == 207 and "/contacts/" in found.text
    assert (
        put(session, f"{server.url}/{shouted}/contacts/a.vcf", vcard("a", "Anne")).status_code
        == 201
    )
    assert server.session(login).get(f"{server.url}/{login}/contacts/a.vcf").status_code == 200
    other = server.new_user()  # capitals do not open someone else's home
    refused = propfind(
        server.session(other), f"{server.url}/{shouted}/contacts/", "<D:displayname/>"
    )
    assert refused.status_code in (403, 404)


def test_the_root_page_leads_to_the_web_pages(server):
    answer = requests.get(server.url + "/", timeout=10)
    assert answer.status_code == 200
    assert "Radicale works" not in answer.text and 'href="/.davshare/web/"' in answer.text
