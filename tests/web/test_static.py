"""How the web pages are served (no browser): files, headers, redirects, the DAV bridge."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.api import PREFIX
from tests.support.server import PASSWORD, Server

STATIC = Path(__file__).resolve().parents[2] / "src" / "davshare" / "web" / "static"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    instance = Server().start()
    yield instance
    instance.stop()


def test_both_catalogs_have_the_same_keys() -> None:
    english = json.loads((STATIC / "i18n" / "en.json").read_text())
    french = json.loads((STATIC / "i18n" / "fr.json").read_text())
    assert set(english) == set(french)
    for key, text in english.items():  # the same placeholders on both sides
        assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", french[key])), key


def test_every_key_the_scripts_use_is_translated() -> None:
    english = json.loads((STATIC / "i18n" / "en.json").read_text())
    used = set()
    for script in (STATIC / "js").glob("*.js"):
        used |= set(re.findall(r"\bt\(\"([a-z_.]+)\"", script.read_text()))
    assert used - set(english) == set()


def test_no_inline_script_or_style() -> None:
    page = (STATIC / "index.html").read_text()
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert "style=" not in page and "<style" not in page
    for script in (STATIC / "js").glob("*.js"):
        assert "innerHTML" not in script.read_text(), script.name  # text only, never markup


def test_files_with_types_caching_and_csp(server: Server) -> None:
    page = requests.get(server.url + "/.davshare/web/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    # The start page carries a fresh nonce for the calendar's styles, so it is never cached.
    nonce = re.search(r'<meta name="csp-nonce" content="([\w-]+)">', page.text)
    assert nonce and f"style-src 'self' 'nonce-{nonce[1]}'" in csp
    again = requests.get(server.url + "/.davshare/web/")
    assert nonce[1] not in again.text and page.headers["Cache-Control"] == "no-store"
    script = requests.get(server.url + "/.davshare/web/js/app.js")
    assert script.headers["Cache-Control"] == "no-cache"
    assert "nonce" not in script.headers["Content-Security-Policy"]
    cached = requests.get(
        server.url + "/.davshare/web/js/app.js", headers={"If-None-Match": script.headers["ETag"]}
    )
    assert cached.status_code == 304
    for path, kind in [
        ("js/app.js", "text/javascript"),
        ("app.css", "text/css"),
        ("i18n/fr.json", "application/json"),
        ("icon.svg", "image/svg+xml"),
        # FullCalendar and Luxon, installed by npm ci (scripts/bootstrap) into node_modules.
        ("vendor/fullcalendar.js", "text/javascript"),
        ("vendor/fullcalendar-fr.js", "text/javascript"),
        ("vendor/fullcalendar-luxon.js", "text/javascript"),
        ("vendor/luxon.js", "text/javascript"),
    ]:
        answer = requests.get(f"{server.url}/.davshare/web/{path}")
        assert answer.status_code == 200, path
        assert answer.headers["Content-Type"].startswith(kind), path
    assert "FullCalendar" in requests.get(f"{server.url}/.davshare/web/vendor/fullcalendar.js").text
    # Only the named files of node_modules are served.
    for path in ["vendor/preact/package.json", "vendor/../node_modules/luxon/package.json"]:
        assert requests.get(f"{server.url}/.davshare/web/{path}").status_code == 404, path


def test_nothing_outside_the_static_folder(server: Server) -> None:
    for path in ["..%2f__init__.py", "..%2F..%2Fwsgi.py", "static_files.py", "nothing.js"]:
        answer = requests.get(f"{server.url}/.davshare/web/{path}")
        assert answer.status_code == 404, path
        assert "start page" in answer.text
    assert requests.post(server.url + "/.davshare/web/").status_code == 405


def test_a_browser_visiting_the_root_is_sent_to_the_pages(server: Server) -> None:
    answer = requests.get(server.url + "/", headers=HTML, allow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/.davshare/web/"


def test_dav_clients_at_the_root_are_unaffected(server: Server) -> None:
    login = server.new_user()
    # A DAV client's GET (no text/html), with or without credentials, and a PROPFIND.
    plain = requests.get(server.url + "/", allow_redirects=False)
    assert "/.davshare/web" not in plain.headers.get("Location", "")
    with_auth = requests.get(
        server.url + "/", headers=HTML, auth=(login, PASSWORD), allow_redirects=False
    )
    assert "/.davshare/web" not in with_auth.headers.get("Location", "")
    found = requests.request(
        "PROPFIND", server.url + "/", headers={"Depth": "0"}, auth=(login, PASSWORD)
    )
    assert found.status_code == 207


def test_an_invitation_link_opens_the_pages(server: Server) -> None:
    answer = requests.get(
        server.url + PREFIX + "/invitations/abc-DEF_123", headers=HTML, allow_redirects=False
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/.davshare/web/#/invitations/abc-DEF_123"
    api = requests.get(server.url + PREFIX + "/invitations/abc", allow_redirects=False)
    assert api.status_code == 401  # the API itself still answers API clients


def test_the_dav_bridge_needs_a_session_and_its_token(server: Server) -> None:
    login = server.new_user()
    url = f"{server.url}/.davshare/dav/{login}/contacts/x.vcf"
    assert requests.get(url, auth=(login, PASSWORD)).status_code == 401  # Basic is not enough
    browser = requests.Session()
    csrf = browser.post(
        server.url + PREFIX + "/session", json={"login": login, "password": PASSWORD}
    ).json()["csrf_token"]
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:Xavier\r\nN:;Xavier;;;\r\nEND:VCARD\r\n"
    refused = browser.put(url, data=card, headers={"Content-Type": "text/vcard"})
    assert refused.status_code == 403
    assert "reload the page" in refused.json()["error"]["message"]
    done = browser.put(url, data=card, headers={"Content-Type": "text/vcard", "X-CSRF-Token": csrf})
    assert done.status_code == 201, done.text
    read = browser.get(url, headers={"X-CSRF-Token": csrf})
    assert "FN:Xavier" in read.text
    # What the bridge wrote is what DAV serves.
    dav = requests.get(f"{server.url}/{login}/contacts/x.vcf", auth=(login, PASSWORD))
    assert "FN:Xavier" in dav.text
    assert browser.request("PROPFIND", url, headers={"X-CSRF-Token": csrf}).status_code == 405


def test_the_bridge_refuses_nonsense_from_the_pages_with_the_field_named(server: Server) -> None:
    login = server.new_user()
    browser = requests.Session()
    csrf = browser.post(
        server.url + PREFIX + "/session", json={"login": login, "password": PASSWORD}
    ).json()["csrf_token"]
    headers = {"X-CSRF-Token": csrf, "Content-Type": "text/calendar"}
    base = f"{server.url}/.davshare/dav/{login}"

    def event(summary: str, start: str, end: str) -> str:
        return (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:n\r\n"
            f"DTSTAMP:20261201T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{summary}\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        )

    cases = [
        (
            event("Réunion", "20261207T100000Z", "20261207T090000Z"),
            "DTEND",
            "end_before_start",
            "end:",
        ),
        (event("", "20261207T100000Z", "20261207T110000Z"), "SUMMARY", "title_missing", "title:"),
        (
            event("Réunion", "18000101T100000Z", "18000101T110000Z"),
            "DTSTART",
            "date_out_of_range",
            "dtstart:",
        ),
    ]
    for text, field, code, words in cases:
        refused = browser.put(f"{base}/calendar/n.ics", data=text.encode(), headers=headers)
        assert refused.status_code == 400, refused.text
        error = refused.json()["error"]
        assert (error["field"], error["message_code"]) == (field, code)
        assert error["message"].startswith(words)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:Anne\r\nN:;Anne;;;\r\nEMAIL:anne.example.org\r\nEND:VCARD\r\n"
    refused = browser.put(
        f"{base}/contacts/c.vcf", data=card, headers={**headers, "Content-Type": "text/vcard"}
    )
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "EMAIL"
    # Nothing was stored; a sound event goes through.
    assert (
        requests.get(f"{server.url}/{login}/calendar/n.ics", auth=(login, PASSWORD)).status_code
        == 404
    )
    ok = browser.put(
        f"{base}/calendar/n.ics",
        data=event("Réunion", "20261207T100000Z", "20261207T110000Z").encode(),
        headers=headers,
    )
    assert ok.status_code == 201, ok.text


def test_the_bridge_says_why_in_the_pages_language(server: Server) -> None:
    owner, reader = server.new_user(), server.new_user()
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:k\r\nFN:Karim\r\nN:;Karim;;;\r\nEND:VCARD\r\n"
    assert (
        requests.put(
            f"{server.url}/{owner}/contacts/k.vcf", data=card, auth=(owner, PASSWORD)
        ).status_code
        == 201
    )
    requests.put(
        f"{server.url}{PREFIX}/collections/contacts/shares/{reader}",
        json={"rights": "read"},
        auth=(owner, PASSWORD),
    )
    browser = requests.Session()
    csrf = browser.post(
        server.url + PREFIX + "/session", json={"login": reader, "password": PASSWORD}
    ).json()["csrf_token"]
    url = f"{server.url}/.davshare/dav/{reader}/contacts~{owner}/k.vcf"
    changed = card.replace("FN:Karim", "FN:Changed")
    for language, words in [
        ("fr-FR,fr;q=0.9", "Vous ne pouvez pas modifier cet élément"),
        ("en", "You may not modify this item"),
    ]:
        refused = browser.put(
            url,
            data=changed,
            headers={
                "X-CSRF-Token": csrf,
                "Content-Type": "text/vcard",
                "Accept-Language": language,
            },
        )
        assert refused.status_code == 403 and "need-privileges" in refused.text
        assert words in refused.text, refused.text
    assert (
        "FN:Karim"
        in requests.get(f"{server.url}/{owner}/contacts/k.vcf", auth=(owner, PASSWORD)).text
    )
