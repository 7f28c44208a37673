"""API handlers the web pages need besides the rest of the API (issue 9).

The items of a collection with their summaries and what the caller may do with each,
people to share with (autocomplete), a QR code of a subscription URL, and the server
admin's accounts and domains. The rules stay where they are: ``policy`` decides, as
for DAV.
"""

import io
from http import HTTPStatus
from typing import Any

import segno
from radicale import item as radicale_item
from sqlalchemy import select
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.core import policy
from davshare.facts import access
from davshare.model import accounts, errors, sharing
from davshare.model.db import read_transaction
from davshare.model.tables import users
from davshare.storage.collection import Collection

MAX_ITEMS = 2000
MAX_PEOPLE = 10


def _readable(call: Call, name: str) -> Collection:
    found = call.storage.collection(f"{call.login}/{name}")
    if found is None or not found.tag:
        raise errors.NotFound(f"you have no collection {name!r}: pick one from your list")
    if policy.Privilege.READ not in access.privileges(call.engine, call.login, found):
        raise errors.NotAllowed(
            f"you may only see busy times in {name!r}: ask its owner for the read right"
        )
    return found


def _text(component: Any, name: str) -> str:
    value = getattr(component, name.lower(), None)
    if value is None:
        return ""
    found = value.value
    if isinstance(found, list):  # ORG, N and the like
        return " ".join(str(v) for v in found if v)
    return str(found)


def _summary(item: radicale_item.Item) -> dict[str, Any]:
    """What a list shows of one item."""
    vobject_item = item.vobject_item
    if item.component_name == "VCARD" or getattr(vobject_item, "name", "") == "VCARD":
        emails = [e.value for e in vobject_item.contents.get("email", [])]
        phones = [t.value for t in vobject_item.contents.get("tel", [])]
        org = vobject_item.contents.get("org")
        return {
            "title": _text(vobject_item, "FN"),
            "emails": emails,
            "phones": phones,
            "organisation": " ".join(org[0].value) if org else "",
            "when": "",
        }
    component = next(
        (
            c
            for c in vobject_item.getChildren()
            if getattr(c, "name", "") in ("VEVENT", "VTODO", "VJOURNAL")
        ),
        vobject_item,
    )
    when = _text(component, "DTSTART") or _text(component, "DUE")
    return {
        "title": _text(component, "SUMMARY"),
        "emails": [],
        "phones": [],
        "organisation": "",
        "when": when,
    }


def list_items(call: Call, name: str) -> Response:
    """The items of one of the caller's collections: summaries, creator, what they may do.

    ``?q=`` keeps those whose name, e-mail, phone or organisation contains the text.
    """
    collection = _readable(call, name)
    query = call.request.args.get("q", "").strip().lower()
    found = list(collection.get_all())
    facts = access.items_facts(call.engine, collection, [i.href for i in found if i.href])
    requester = access.requester(call.engine, call.login)
    collection_facts = access.collection_facts(call.engine, call.login, collection)
    listed = []
    for item in found:
        if item.href is None:
            continue
        summary = _summary(item)
        haystack = " ".join(
            [summary["title"], summary["organisation"], *summary["emails"], *summary["phones"]]
        ).lower()
        if query and query not in haystack:
            continue
        item_facts = facts.get(item.href, policy.ItemFacts(creator=""))
        privileges = policy.item_privileges(requester, collection_facts, item_facts)
        listed.append(
            {
                "href": item.href,
                "uid": item.uid,
                "etag": item.etag,
                "kind": item.component_name,
                **summary,
                "creator": item_facts.creator or None,
                "editors": sorted(item_facts.editors),
                "may_modify": policy.Privilege.WRITE_CONTENT in privileges,
                "may_delete": policy.Privilege.UNBIND in privileges,
                "may_choose_editors": collection_facts.group is not None
                and policy.can_grant_editors(requester, item_facts),
            }
        )
    listed.sort(key=lambda i: (i["title"].lower(), i["href"]))
    return json_response(
        {
            "collection": name,
            "dav_path": f"/{collection.path}/",
            "items": listed[:MAX_ITEMS],
            "truncated": len(listed) > MAX_ITEMS,
        }
    )


def people(call: Call) -> Response:
    """Accounts whose login or name starts with ``?q=`` (3 letters at least), to share with."""
    query = call.request.args.get("q", "").strip().lower()
    if len(query) < 3:
        return json_response({"people": []})
    found = sharing.possible_sharees(call.engine, call.login, query, MAX_PEOPLE)
    return json_response({"people": [{"login": lg, "display_name": n} for lg, n in found]})


def qr_code(call: Call) -> Response:
    """A QR code (SVG) of ``?url=``, one of this server's URLs; by default the account's."""
    base = call.base_url()
    url = call.request.args.get("url") or f"{base}/{call.login}/"
    if not url.startswith(base + "/"):
        raise errors.InvalidInput(f"only this server's addresses ({base}/...) are encoded")
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, title=url)
    return Response(
        out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"}
    )


# -- the server admin's pages (SPEC A1, A2) ---------------------------------------------


def _account(account: accounts.Account) -> dict[str, Any]:
    return {
        "login": account.login,
        "display_name": account.display_name,
        "profile": account.profile,
        "disabled": account.disabled,
        "server_admin": account.is_server_admin,
    }


def list_accounts(call: Call) -> Response:
    """Every account, or those of ``?domain=``, with its plan (server admins)."""
    call.require_server_admin("manages accounts and domains")
    found = accounts.list_users(call.engine, call.request.args.get("domain") or None)
    with read_transaction(call.engine) as conn:
        plans = dict(conn.execute(select(users.c.login, users.c.plan)).tuples().all())
    return json_response({"accounts": [{**_account(a), "plan": plans.get(a.login)} for a in found]})


def add_account(call: Call) -> Response:
    """Create an account in a domain served here (server admins)."""
    call.require_server_admin("manages accounts and domains")
    account = accounts.add_user(
        call.engine,
        call.field("login"),
        call.field("password"),
        display_name=call.field("display_name", ""),
        profile=call.field("profile", "add_delete"),
    )
    return json_response(_account(account), HTTPStatus.CREATED)


def update_account(call: Call, login: str) -> Response:
    """Disable or enable, change the profile or name, reset the password (server admins)."""
    call.require_server_admin("manages accounts and domains")
    body = call.body_of("password", "profile", "display_name", "disabled")
    if "disabled" in body and not isinstance(body["disabled"], bool):
        raise errors.InvalidInput("'disabled' must be true or false")  # before any change
    if "password" in body:
        accounts.set_password(call.engine, login, call.field("password"))
    if "profile" in body:
        accounts.set_profile(call.engine, login, call.field("profile"))
    if "display_name" in body:
        accounts.update_card(call.engine, login, display_name=call.field("display_name"))
    if "disabled" in body:
        if body["disabled"] and accounts.normalize_login(login) == call.login:
            raise errors.InvalidInput("you cannot disable your own account: ask another admin")
        accounts.set_disabled(call.engine, login, body["disabled"])
    return json_response(_account(accounts.get_user(call.engine, login)))


def delete_account(call: Call, login: str) -> Response:
    """Delete an account with its own collections (server admins)."""
    call.require_server_admin("manages accounts and domains")
    if accounts.normalize_login(login) == call.login:
        raise errors.InvalidInput("you cannot delete your own account: ask another admin")
    accounts.delete_user(call.engine, login)
    return Response(status=HTTPStatus.NO_CONTENT)


def list_domains(call: Call) -> Response:
    """The mail domains served here, with their number of accounts (server admins)."""
    call.require_server_admin("manages accounts and domains")
    return json_response(
        {"domains": [{"name": n, "accounts": c} for n, c in accounts.list_domains(call.engine)]}
    )


def add_domain(call: Call) -> Response:
    """Serve a new mail domain (server admins)."""
    call.require_server_admin("manages accounts and domains")
    name = accounts.add_domain(call.engine, call.field("name"))
    return json_response({"name": name}, HTTPStatus.CREATED)


def remove_domain(call: Call, domain: str) -> Response:
    """Stop serving a domain that has no account left (server admins)."""
    call.require_server_admin("manages accounts and domains")
    accounts.remove_domain(call.engine, domain)
    return Response(status=HTTPStatus.NO_CONTENT)


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/collections/<name>/items", list_items),
    ("GET", "/people", people),
    ("GET", "/me/qr.svg", qr_code),
    ("GET", "/accounts", list_accounts),
    ("POST", "/accounts", add_account),
    ("PATCH", "/accounts/<login>", update_account),
    ("DELETE", "/accounts/<login>", delete_account),
    ("GET", "/domains", list_domains),
    ("POST", "/domains", add_domain),
    ("DELETE", "/domains/<domain>", remove_domain),
]
