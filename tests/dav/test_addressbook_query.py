"""addressbook-query edge cases as RFC 6352 states them (issue 22 §5): an empty filter,
``limit``, and text-match collations."""

import xml.etree.ElementTree as ET

import pytest

from tests.support.dav import NS, put, vcard

NAMES = ["Émile Zola", "emile Verhaeren", "Anne Frank"]


def _query(filter_xml: str, limit: int | None = None) -> str:
    limit_xml = f"<CR:limit><CR:nresults>{limit}</CR:nresults></CR:limit>" if limit else ""
    return (
        '<?xml version="1.0"?><CR:addressbook-query xmlns:D="DAV:" '
        'xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>'
        f"{filter_xml}{limit_xml}</CR:addressbook-query>"
    )


def _match(text: str, collation: str = "") -> str:
    attribute = f' collation="{collation}"' if collation else ""
    return (
        '<CR:filter><CR:prop-filter name="FN">'
        f'<CR:text-match{attribute} match-type="contains">{text}</CR:text-match>'
        "</CR:prop-filter></CR:filter>"
    )


@pytest.fixture(scope="module")
def book(server):
    login = server.new_user()
    session = server.session(login)
    url = f"{server.url}/{login}/contacts/"
    for index, name in enumerate(NAMES):
        assert put(session, f"{url}c{index}.vcf", vcard(f"c{index}", name)).status_code == 201
    return session, url


def _report(book, body: str):
    session, url = book
    response = session.request("REPORT", url, data=body.encode(), headers={"Depth": "1"})
    return response


def _found(response) -> tuple[set[str], list[str]]:
    assert response.status_code == 207, response.text
    root = ET.fromstring(response.content)
    cards, statuses = set(), []
    for r in root.findall("D:response", NS):
        href = r.findtext("D:href", namespaces=NS) or ""
        if href.endswith(".vcf"):
            cards.add(href.rsplit("/", 1)[1])
        else:
            statuses.append(r.findtext("D:status", namespaces=NS) or "")
    return cards, statuses


def test_an_empty_filter_returns_every_card(book):
    assert _found(_report(book, _query("<CR:filter/>")))[0] == {"c0.vcf", "c1.vcf", "c2.vcf"}
    assert _found(_report(book, _query("")))[0] == {"c0.vcf", "c1.vcf", "c2.vcf"}


def test_limit_is_honoured_with_a_507_for_the_rest(book):
    cards, statuses = _found(_report(book, _query("<CR:filter/>", limit=2)))
    assert len(cards) == 2
    assert statuses == ["HTTP/1.1 507 Insufficient Storage"]
    cards, statuses = _found(_report(book, _query("<CR:filter/>", limit=5)))
    assert len(cards) == 3 and statuses == []


@pytest.mark.parametrize(
    ("text", "collation", "expected"),
    [
        ("EMILE", "", {"c1.vcf"}),  # i;unicode-casemap is the default (RFC 6352 8.3)
        ("EMILE", "i;ascii-casemap", {"c1.vcf"}),
        ("ÉMILE", "i;unicode-casemap", {"c0.vcf"}),
        ("emile", "i;octet", {"c1.vcf"}),
        ("Emile", "i;octet", set()),
    ],
)
def test_text_match_collations(book, text, collation, expected):
    assert _found(_report(book, _query(_match(text, collation))))[0] == expected


def test_an_unknown_collation_is_refused_with_supported_collation(book):
    response = _report(book, _query(_match("x", "i;klingon")))
    assert response.status_code == 403
    assert "supported-collation" in response.text
