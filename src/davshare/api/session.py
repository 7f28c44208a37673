"""Cookie sessions for the web pages, beside HTTP Basic (issue 9).

``POST /session`` with a login and password sets an HttpOnly, SameSite=Strict cookie
and answers a CSRF token; every change a cookie-authenticated request makes must
carry it in ``X-CSRF-Token``. Only a hash of the cookie's token is stored. A session
ends when it expires, on sign-out, when the account is disabled or deleted, and when
its password changes (each request checks the account).
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, insert, select
from werkzeug.wrappers import Request, Response

from davshare.model.db import read_transaction, write_transaction
from davshare.model.tables import users, web_sessions

if TYPE_CHECKING:
    from davshare.api.base import Api

COOKIE = "davshare_session"
COOKIE_PATH = "/.davshare/"
CSRF_HEADER = "X-CSRF-Token"
# Sent by the web pages with every call: a 401 then asks for no Basic dialog.
BROWSER_HEADER = "X-Davshare-Web"
LIFETIME = 12 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class SignedIn:
    """Who a session belongs to and the token its changes must carry."""

    login: str
    csrf: str


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _credential(password_hash: str) -> str:
    return _digest("credential:" + password_hash)


def open_session(engine: Engine, login: str) -> tuple[str, str]:
    """A new session of ``login`` (already authenticated): its cookie token and CSRF token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = int(time.time())
    with write_transaction(engine) as conn:
        password_hash = conn.scalar(select(users.c.password_hash).where(users.c.login == login))
        conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))
        conn.execute(
            insert(web_sessions).values(
                token_hash=_digest(token),
                login=login,
                csrf=csrf,
                credential=_credential(password_hash or ""),
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return token, csrf


def signed_in(engine: Engine, token: str) -> SignedIn | None:
    """The session of a cookie's token, if it is still valid and its account unchanged."""
    if not token:
        return None
    with read_transaction(engine) as conn:
        row = conn.execute(
            select(
                web_sessions.c.login,
                web_sessions.c.csrf,
                web_sessions.c.credential,
                users.c.password_hash,
                users.c.disabled,
            )
            .join(users, users.c.login == web_sessions.c.login)
            .where(
                web_sessions.c.token_hash == _digest(token),
                web_sessions.c.expires_at > int(time.time()),
            )
        ).first()
    if row is None or row.disabled:
        return None
    if not hmac.compare_digest(row.credential, _credential(row.password_hash)):
        return None
    return SignedIn(row.login, row.csrf)


def close_session(engine: Engine, token: str) -> None:
    """Sign out: the session's cookie stops working at once."""
    with write_transaction(engine) as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == _digest(token)))


def from_request(engine: Engine, request: Request) -> tuple[str, bool]:
    """The login of the request's session cookie ("" without a valid one), and whether the
    request may go on: a change (any method but GET, HEAD, OPTIONS) needs the CSRF token."""
    found = signed_in(engine, request.cookies.get(COOKIE, ""))
    if found is None:
        return "", True
    return found.login, request.method in SAFE_METHODS or carries_csrf(request, found)


def carries_csrf(request: Request, found: SignedIn) -> bool:
    """Whether the request carries the session's CSRF token (a change must)."""
    sent = request.headers.get(CSRF_HEADER, "")
    return hmac.compare_digest(sent.encode(), found.csrf.encode())


def from_browser(request: Request) -> bool:
    """Whether the web pages made the request (a 401 must then not open a login dialog)."""
    return bool(request.headers.get(BROWSER_HEADER) or request.cookies.get(COOKIE))


def endpoint(api: "Api", request: Request) -> Response:
    """``/session``: GET who is signed in, POST sign in, DELETE sign out."""
    from davshare.api.base import error_response, json_response

    token = request.cookies.get(COOKIE, "")
    if request.method == "GET":
        found = signed_in(api.engine, token)
        if found is None:
            return json_response({"login": None})
        return json_response({"login": found.login, "csrf_token": found.csrf})
    if request.method == "DELETE":
        found = signed_in(api.engine, token)
        if found is not None:
            if not carries_csrf(request, found):
                return csrf_refused()
            close_session(api.engine, token)
        response = Response(status=HTTPStatus.NO_CONTENT)
        response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="Strict")
        return response
    if request.method != "POST":
        return error_response(
            HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET, POST, DELETE"
        )
    if request.mimetype != "application/json":
        return error_response(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "json_required",
            'send {"login": ..., "password": ...} as application/json',
        )
    try:
        body = request.get_json(force=True, silent=True) or {}
    except ValueError:
        body = {}
    login, password = body.get("login"), body.get("password")
    if not isinstance(login, str) or not isinstance(password, str) or not login or not password:
        return error_response(
            HTTPStatus.BAD_REQUEST, "invalid_input", "give your login (name@domain) and password"
        )
    canonical = api.check_password(login, password, "web", request.remote_addr or "")
    if not canonical:
        return error_response(
            HTTPStatus.UNAUTHORIZED,
            "sign_in_failed",
            "wrong login or password: check both (the login is your full address, "
            "name@domain) and try again; your server admin can reset a forgotten password",
        )
    new_token, csrf = open_session(api.engine, canonical)
    response = json_response({"login": canonical, "csrf_token": csrf})
    response.set_cookie(
        COOKIE,
        new_token,
        max_age=LIFETIME,
        path=COOKIE_PATH,
        # https as the client reached us (behind a proxy: [server] trusted_proxy).
        secure=request.scheme == "https",
        httponly=True,
        samesite="Strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def csrf_refused() -> Response:
    """403: a cookie-authenticated change without the page's CSRF token."""
    from davshare.api.base import error_response

    return error_response(
        HTTPStatus.FORBIDDEN,
        "csrf_token_missing",
        f"this change came without the page's security token ({CSRF_HEADER}): "
        "reload the page and try again",
    )


def _operation(summary: str, body: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [],
        "responses": {"200": {"description": "done"}, "default": {"description": "an error"}},
    }
    if body:
        fields = {"login": {"type": "string"}, "password": {"type": "string"}}
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": fields,
                        "required": ["login", "password"],
                    }
                }
            },
        }
    return operation


# The session endpoint in the OpenAPI document (it sits outside the route table).
OPENAPI_PATH = {
    "get": _operation("Who is signed in (login and CSRF token), or login null"),
    "post": _operation(
        "Sign in: sets the session cookie and answers the CSRF token to send in "
        f"{CSRF_HEADER} with every change",
        body=True,
    ),
    "delete": _operation(f"Sign out (needs {CSRF_HEADER})"),
}
