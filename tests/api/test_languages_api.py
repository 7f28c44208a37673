"""The API in the page's language (issue 17): French messages with stable codes, errors
included; default collections' names in the reader's language; English by default."""

import uuid

from tests.support.api import ApiClient

FR = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


def test_errors_in_french_with_a_stable_code(server):
    login = server.new_user()
    session = server.session(login)
    base = server.url + "/.davshare/api/v1"
    refused = session.put(
        f"{base}/collections/calendar/shares/nobody-{uuid.uuid4().hex[:6]}@example.com",
        json={"rights": "read"},
        headers=FR,
    )
    error = refused.json()["error"]
    assert refused.status_code == 404 and refused.headers["Content-Language"] == "fr"
    assert error["message"].startswith("aucun compte nobody-") and error["message"].endswith(
        "sur ce serveur"
    )
    assert (error["code"], error["message_code"]) == ("not_found", "no_account")
    english = session.put(
        f"{base}/collections/calendar/shares/x@example.com", json={"rights": "read"}
    )
    assert english.json()["error"]["message"] == "no account x@example.com on this server"
    assert english.json()["error"]["message_code"] == "no_account"  # the same code either way
    wrong = session.patch(
        f"{base}/collections/calendar", json={"color": "vert"}, headers=FR
    ).json()["error"]
    assert wrong["message"] == "couleur : donnez une couleur comme #1d4ed8 (ou rien)"
    # A message not in the catalog still reads French: its code's sentence.
    odd = session.put(
        f"{base}/domains/example.com/rules", json={"share_with": "all"}, headers=FR
    ).json()["error"]
    assert "seul un administrateur du serveur" in odd["message"]
    unknown = session.post(f"{base}/groups", json={"name": "", "x": 1}, headers=FR).json()["error"]
    assert unknown["message"] and not any(
        w in unknown["message"] for w in (" the ", " must ", " give ")
    )


def test_default_collections_named_in_the_readers_language(server):
    login = server.new_user()
    client = ApiClient(server.url, server.session(login))
    english = {
        c["name"]: c["display_name"] for c in client.ok("GET", "/collections")["collections"]
    }
    assert english == {"contacts": "Contacts", "calendar": "Calendar", "tasks": "Tasks"}
    french = (
        server.session(login).get(server.url + "/.davshare/api/v1/collections", headers=FR).json()
    )
    assert {c["name"]: c["display_name"] for c in french["collections"]} == {
        "contacts": "Contacts",
        "calendar": "Agenda",
        "tasks": "Tâches",
    }
