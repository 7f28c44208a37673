"""GET of an item is answered from its row (issue 21): what the fast answer says is what
Radicale's generic GET says (a query string sends the request through Radicale), for the
owner, a sharee with confidential fields, and for items not found or not readable."""

import requests
from sqlalchemy import select

from davshare.model.service_tables import sign_in_failures
from tests.dav.test_confidential import _shared
from tests.support.dav import put, vcard

_COMPARED = ("Content-Type", "ETag", "Last-Modified")


def _both(session, url):
    fast = session.get(url)
    generic = session.get(url + "?through=radicale")
    return fast, generic


def _same(fast, generic):
    assert fast.status_code == generic.status_code
    assert fast.content == generic.content
    for header in _COMPARED:
        assert fast.headers.get(header) == generic.headers.get(header), header


def test_an_owners_get_says_what_radicales_says(server):
    owner = server.new_user()
    session = server.session(owner)
    url = f"{server.url}/{owner}/contacts/été 1.vcf"
    assert put(session, url, vcard("ete-1", "Élodie Été")).status_code == 201
    fast, generic = _both(session, url)
    assert fast.status_code == 200 and "Élodie Été" in fast.text
    _same(fast, generic)
    _same(*_both(session, f"{server.url}/{owner}/contacts/absent.vcf"))  # 404 both ways


def test_s1_a_sharees_get_leaves_the_confidential_fields_out_as_radicale_does(server):
    owner, sharee, book = _shared(server, rights="read")
    session = server.session(sharee)
    fast, generic = _both(session, book + "anne.vcf")
    assert fast.status_code == 200 and "Knows the CEO" not in fast.text
    _same(fast, generic)
    owners = server.session(owner).get(f"{server.url}/{owner}/contacts/anne.vcf")
    assert "Knows the CEO" in owners.text and owners.headers["ETag"] != fast.headers["ETag"]


def test_anothers_item_is_refused_the_same_way(server):
    owner, other = server.new_user(), server.new_user()
    url = f"{server.url}/{owner}/contacts/kept.vcf"
    assert put(server.session(owner), url, vcard("kept", "Kept")).status_code == 201
    fast, generic = _both(server.session(other), url)
    assert fast.status_code == 403 and b"need-privileges" in fast.content
    _same(fast, generic)


def test_a_wrong_password_on_a_get_is_counted_once(server):
    """The GET tried past Radicale's handling, then through it: one attempt, one failure."""
    owner = server.new_user()
    url = f"{server.url}/{owner}/contacts/counted.vcf"
    assert put(server.session(owner), url, vcard("counted", "Counted")).status_code == 201
    for _ in range(3):
        answer = requests.get(url, auth=(owner, "not-the-password"), timeout=30)
        assert answer.status_code == 401
    with server.engine.connect() as connection:
        failures = connection.execute(
            select(sign_in_failures.c.failures).where(
                sign_in_failures.c.key == f"pair:{owner}|127.0.0.1"
            )
        ).scalar_one()
    assert failures == 3
    assert server.session(owner).get(url).status_code == 200  # and the owner still gets in
