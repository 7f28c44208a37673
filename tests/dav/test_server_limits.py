"""Limits with clear answers (issue 22 §7): header size, strict UTF-8 bodies, and slow
connections that must not stop others being answered."""

import contextlib
import socket
from collections.abc import Iterator

import pytest
import requests

from tests.support.dav import put, vcard
from tests.support.server import Server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One SQLite server with the default connection settings."""
    instance = Server().start()
    yield instance
    instance.stop()


def test_headers_over_the_limit_get_431(server):
    login = server.new_user()
    response = server.session(login).get(
        f"{server.url}/{login}/", headers={"X-Padding": "x" * 70_000}
    )
    assert response.status_code == 431


@pytest.mark.parametrize("content_type", ["text/vcard", "text/vcard; charset=utf-8"])
def test_a_vcard_that_is_not_utf8_is_refused(server, content_type):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/latin.vcf"
    body = vcard("latin", "Ren\u00e9e").encode("latin-1")
    response = session.put(url, data=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert "not valid utf-8" in response.text
    assert session.get(url).status_code == 404
    whole = session.put(
        f"{server.url}/{login}/latin/", data=body, headers={"Content-Type": content_type}
    )
    assert whole.status_code == 400


def test_a_declared_latin1_charset_is_read_as_declared(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/declared.vcf"
    body = vcard("declared", "Ren\u00e9e").encode("latin-1")
    response = session.put(
        url, data=body, headers={"Content-Type": "text/vcard; charset=iso-8859-1"}
    )
    assert response.status_code == 201
    assert "Ren\u00e9e" in session.get(url).content.decode("utf-8")


def test_128_slow_connections_do_not_stop_others_being_answered(server):
    login = server.new_user()
    with contextlib.ExitStack() as stack:
        for _ in range(128):
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", server.port)))
            sock.sendall(b"PROPFIND / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # never finished
        response = requests.request(
            "PROPFIND",
            f"{server.url}/{login}/",
            auth=(login, "correct horse battery"),
            headers={"Depth": "0"},
            timeout=50,
        )
        assert response.status_code == 207
    assert (
        put(
            server.session(login), f"{server.url}/{login}/contacts/a.vcf", vcard("a", "A")
        ).status_code
        == 201
    )
