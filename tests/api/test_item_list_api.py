"""The pages' item list (issue 17): contacts paged, searched and sorted by name in SQL, one
item's summary, who created and last modified each item and when; bad paging refused."""

from tests.support.api import ApiClient
from tests.support.dav import put, vcard


def api(server, login):
    return ApiClient(server.url, server.session(login))


def test_contacts_paged_searched_and_sorted_by_name(server):
    owner = server.new_user()
    session = server.session(owner)
    base = f"{server.url}/{owner}/contacts/"
    names = [f"Contact {i:03d}" for i in range(58)] + ["Élodie Durand", "Zoé Martin"]
    for i, name in enumerate(reversed(names)):
        extra = "ORG:Namebay\r\nTEL:+33 4 93 00 00 01" if name == "Zoé Martin" else ""
        put(session, f"{base}c{i}.vcf", vcard(f"c{i}", name, email=f"p{i}@client.fr", extra=extra))
    client = api(server, owner)
    first = client.ok("GET", "/collections/contacts/items", limit="25")
    assert (first["total"], len(first["items"]), first["truncated"]) == (60, 25, True)
    assert [i["title"] for i in first["items"][:2]] == ["Contact 000", "Contact 001"]
    last = client.ok("GET", "/collections/contacts/items", offset="50", limit="25")
    assert [i["title"] for i in last["items"]][-2:] == ["Élodie Durand", "Zoé Martin"]
    assert not last["truncated"] and len(last["items"]) == 10
    for query in ("zoé", "NAMEBAY", "93 00 00", "p0@client"):
        found = client.ok("GET", "/collections/contacts/items", q=query)
        assert "Zoé Martin" in [i["title"] for i in found["items"]], query
    assert client.ok("GET", "/collections/contacts/items", q="élodie")["total"] == 1
    for params in ({"limit": "501"}, {"offset": "-1"}, {"limit": "ten"}):
        refused = client.call("GET", "/collections/contacts/items", **params)
        assert (
            refused.status_code == 400
            and "must be a whole number" in refused.json()["error"]["message"]
        )


def test_who_created_and_last_modified_an_item(server):
    owner, colleague = server.new_user(), server.new_user()
    put(server.session(owner), f"{server.url}/{owner}/contacts/a.vcf", vcard("a", "Anne Roche"))
    created = api(server, owner).ok("GET", "/collections/contacts/items/a.vcf")
    assert created["creator"] == owner and created["modified_by"] == owner
    assert created["created_at"] and created["modified_at"]
    api(server, owner).ok(
        "PUT", f"/collections/contacts/shares/{colleague}", {"rights": "read_write"}
    )
    changed = put(
        server.session(colleague),
        f"{server.url}/{colleague}/contacts~{owner}/a.vcf",
        vcard("a", "Anne Roche-Martin"),
    )
    assert changed.status_code == 204, changed.text
    after = api(server, owner).ok("GET", "/collections/contacts/items/a.vcf")
    assert (after["title"], after["creator"], after["modified_by"]) == (
        "Anne Roche-Martin",
        owner,
        colleague,
    )
    assert (
        after["created_at"] == created["created_at"]
        and after["modified_at"] >= created["modified_at"]
    )
    missing = api(server, owner).call("GET", "/collections/contacts/items/nothing.vcf")
    assert missing.status_code == 404 and "deleted meanwhile" in missing.json()["error"]["message"]
