"""Malformed requests get a clear 4xx, never a 500 or a traceback (issue 22 §3)."""

import base64
from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.server import PASSWORD, Server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One SQLite server: these requests never reach the database's differences."""
    instance = Server().start()
    yield instance
    instance.stop()


def _basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Basic ", "no credentials"),
        ("Basic", "no credentials"),
        ("Basic !!!not-base64!!!", "not valid base64"),
        ("Basic abc", "not valid base64"),
        (_basic(b"no-colon-here"), "no ':'"),
        (_basic(b"caf\xe9:secret"), "not UTF-8"),
        ("Basic \u00e9t\u00e9", "not valid base64"),
    ],
)
def test_malformed_authorization_gets_401_with_reason(server, header, reason):
    for method in ("PROPFIND", "GET", "PUT"):
        response = requests.request(
            method, f"{server.url}/", headers={"Authorization": header.encode("utf-8")}
        )
        assert response.status_code == 401, (method, header, response.text)
        assert reason in response.text
        assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert "Traceback" not in server.read_log()


def test_a_good_authorization_still_signs_in(server):
    login = server.new_user()
    header = _basic(f"{login}:{PASSWORD}".encode())
    response = requests.request(
        "PROPFIND", f"{server.url}/{login}/", headers={"Authorization": header, "Depth": "0"}
    )
    assert response.status_code == 207


@pytest.mark.parametrize("method", ["GET", "PROPFIND", "PUT", "REPORT"])
def test_an_unknown_charset_gets_400(server, method):
    login = server.new_user()
    response = server.session(login).request(
        method,
        f"{server.url}/{login}/contacts/",
        headers={"Content-Type": "text/vcard; charset=bogus"},
        data=b"x",
    )
    assert response.status_code == 400
    assert "charset 'bogus' is not known" in response.text


def test_deeply_nested_xml_gets_400(server):
    login = server.new_user()
    depth = 100_000
    body = '<D:propfind xmlns:D="DAV:">' + "<D:x>" * depth + "</D:x>" * depth + "</D:propfind>"
    session = server.session(login)
    for method in ("PROPFIND", "REPORT", "PROPPATCH"):
        response = session.request(method, f"{server.url}/{login}/contacts/", data=body)
        assert response.status_code == 400, (method, response.text[:200])
    assert "Traceback" not in server.read_log()
    assert session.request("PROPFIND", f"{server.url}/{login}/").status_code == 207


_METHODS = st.sampled_from(
    [
        "GET",
        "HEAD",
        "PUT",
        "DELETE",
        "PROPFIND",
        "PROPPATCH",
        "REPORT",
        "MKCOL",
        "MKCALENDAR",
        "MOVE",
        "COPY",
        "OPTIONS",
        "POST",
        "LOCK",
    ]
)
_XML_PARTS = st.sampled_from(
    [
        '<?xml version="1.0"?>',
        '<D:propfind xmlns:D="DAV:">',
        "</D:propfind>",
        "<D:prop>",
        "</D:prop>",
        '<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav">',
        '<CR:addressbook-query xmlns:CR="urn:ietf:params:xml:ns:carddav">',
        "<C:filter>",
        '<C:comp-filter name="VCALENDAR">',
        '<C:time-range start="20260101T000000Z"/>',
        '<C:time-range start="garbage" end="x"/>',
        "<D:sync-collection>",
        "<D:sync-token>bogus</D:sync-token>",
        "<D:href>/x/%zz</D:href>",
        "<D:allprop/>",
        '<CR:text-match collation="i;bogus" match-type="sideways">a</CR:text-match>',
        "<D:set><D:prop><D:displayname>\u00e9</D:displayname></D:prop></D:set>",
        "BEGIN:VCARD\r\n",
        "BEGIN:VCALENDAR\r\n",
        "RRULE:FREQ=SECONDLY\r\n",
        "END:VCARD\r\n",
        "\x00",
        "\xff",
        "&amp;",
        "&bogus;",
        "]]>",
        "<![CDATA[",
        "<",
        ">",
    ]
)
_PATHS = st.sampled_from(
    [
        "/",
        "/{login}/",
        "/{login}/contacts/",
        "/{login}/calendar/",
        "/{login}/contacts/x.vcf",
        "/{login}/calendar/%C3%A9.ics",
        "/{login}/%FF/",
        "/{login}/contacts@nogroup/",
        "/{login}/x~nobody@example.com/",
        "/other@example.com/contacts/",
        "/@group/contacts/",
        "/.well-known/caldav",
        "/{login}/.outbox/",
        "/{login}/contacts/" + "n" * 300,
    ]
)
_HEADER_VALUES = st.sampled_from(
    [
        "",
        "0",
        "1",
        "infinity",
        "-1",
        "garbage",
        "*",
        '"etag"',
        'W/"x"',
        "text/vcard",
        "text/calendar; charset=bogus",
        "application/xml; charset=latin-1",
        "http://[::1/x",
        "http://127.0.0.1/{login}/contacts/y.vcf",
        "\u00e9",
    ]
)
_HEADER_NAMES = st.sampled_from(
    [
        "Depth",
        "If-Match",
        "If-None-Match",
        "Content-Type",
        "Destination",
        "Overwrite",
        "X-Script-Name",
        "Content-Encoding",
        "Range",
        "Accept-Encoding",
    ]
)


@pytest.fixture(scope="module")
def fuzz_user(server) -> str:
    return server.new_user()


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
)
@example(method="GET", path="/", headers={"Content-Type": "text/calendar; charset=bogus"}, body="")
@example(method="MOVE", path="/", headers={"Destination": "http://[::1/x"}, body="")
@given(
    method=_METHODS,
    path=_PATHS,
    headers=st.dictionaries(_HEADER_NAMES, _HEADER_VALUES, max_size=4),
    body=st.lists(_XML_PARTS, max_size=8).map("".join),
)
def test_fuzzed_requests_never_answer_5xx(server, fuzz_user, method, path, headers, body):
    url = server.url + path.format(login=fuzz_user)
    filled = {k: v.format(login=fuzz_user).encode("utf-8") for k, v in headers.items()}
    response = server.session(fuzz_user).request(
        method, url, headers=filled, data=body.encode("utf-8"), timeout=30
    )
    assert response.status_code < 500, (method, url, headers, body, response.text[:300])
    assert "Traceback" not in server.read_log()
