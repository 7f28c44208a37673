"""API handlers the web pages need besides the rest of the API (issue 9).

People to share with (autocomplete), a QR code of a subscription URL, and the server
admin's accounts and domains. The rules stay where they are: ``policy`` decides, as
for DAV.
"""

import io
from http import HTTPStatus
from typing import Any

import segno
from sqlalchemy import select
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.model import accounts, errors, server_admins, sharing
from davshare.model.db import read_transaction
from davshare.model.tables import users

MAX_PEOPLE = 10


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
        "sign_in_backend": account.sign_in_backend,
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
    """Disable or enable, change the profile or name, reset the password, promote to or
    demote from server admin (server admins; the last one stays)."""
    call.require_server_admin("manages accounts and domains")
    body = call.body_of("password", "profile", "display_name", "disabled", "server_admin")
    for flag in ("disabled", "server_admin"):  # checked before any change
        if flag in body and not isinstance(body[flag], bool):
            raise errors.InvalidInput(f"'{flag}' must be true or false")
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
    if "server_admin" in body:
        server_admins.set_server_admin(call.engine, login, body["server_admin"])
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
