"""DAV for the signed-in web pages: ``/.davshare/dav/<path>`` with the session cookie.

The pages read, write and delete contacts, events and tasks with the same requests a
DAV client sends; this bridge authenticates them by the session (and its CSRF token,
on every request) and hands them to the DAV application's own methods, so every rule
and every refusal (403 ``DAV:need-privileges`` with its message) is the DAV one.
"""

import html
import io
import json
import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from radicale import pathutils
from sqlalchemy import Engine
from werkzeug.wrappers import Request, Response

from davshare.api import messages, session
from davshare.core import context
from davshare.dav import request_checks
from davshare.dav.app import DavshareApplication
from davshare.model import db
from davshare.web import item_checks

# Items, and creating one's own collections (extended MKCOL, MKCALENDAR).
METHODS = ("GET", "HEAD", "PUT", "DELETE", "MKCOL", "MKCALENDAR")


def _error(status: int, code: str, message: str, **extra: str) -> Response:
    body = json.dumps({"error": {"code": code, "message": message, **extra}})
    return Response(body, status, mimetype="application/json")


class DavBridge:
    """A WSGI application: the DAV methods the pages use, as the signed-in account."""

    def __init__(self, dav: DavshareApplication, engine: Engine, prefix: str) -> None:
        self.dav = dav
        self.engine = engine
        self.prefix = prefix

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        return _localized(request, self._respond(environ, request))(environ, start_response)

    def _respond(self, environ: dict[str, Any], request: Request) -> Response:
        found = session.signed_in(self.engine, request.cookies.get(session.COOKIE, ""))
        if found is None:
            return _error(
                HTTPStatus.UNAUTHORIZED, "signed_out", "you are signed out: sign in again"
            )
        if not session.carries_csrf(request, found):
            return session.csrf_refused()
        method = request.method
        if method not in METHODS:
            return _error(
                HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", f"use {', '.join(METHODS)}"
            )
        inner = dict(environ)
        refusal = request_checks.decode_path(inner)  # UTF-8, as DAV clients' paths are
        if refusal is not None:
            return _error(HTTPStatus(refusal[0]), "bad_path", str(refusal[2]).strip())
        path = pathutils.sanitize_path(inner["PATH_INFO"][len(self.prefix) :] or "/")
        inner.pop("HTTP_AUTHORIZATION", None)
        inner.update(PATH_INFO=path, SCRIPT_NAME="")
        too_large = self.dav.too_large(environ)
        if too_large:
            return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", too_large)
        if method == "PUT":
            body = request.get_data(cache=True)
            inner["wsgi.input"] = io.BytesIO(body)
            try:
                item_checks.check(body.decode("utf-8", "replace"))
            except item_checks.Refused as e:
                return _error(
                    HTTPStatus.BAD_REQUEST,
                    "invalid_input",
                    str(e),
                    field=e.field,
                    message_code=e.code,
                )
        info = {"method": method, "login": found.login, "path": path, "useragent": "", "host": ""}
        handler = getattr(self.dav, "do_" + ("GET" if method == "HEAD" else method))
        current = context.RequestContext(user=found.login, client="web pages")
        token = context.begin(current)
        try:
            status, headers, answer, _ = handler(inner, "", path, found.login, set(), info)
        finally:
            context.end(token)
        if db.outage_explains(current, int(status)):  # an error Radicale wrapped
            refused = _error(HTTPStatus.SERVICE_UNAVAILABLE, "unavailable", db.OUTAGE_MESSAGE)
            refused.headers["Retry-After"] = str(db.OUTAGE_RETRY_AFTER)
            return refused
        headers = dict(headers)
        if isinstance(answer, str):
            answer = answer.encode("utf-8")
            if "charset" not in headers.get("Content-Type", ""):
                headers["Content-Type"] = (
                    headers.get("Content-Type", "text/plain") + "; charset=utf-8"
                )
        response = Response(b"" if method == "HEAD" else (answer or b""), int(status), headers)
        response.headers["Cache-Control"] = "no-store"
        return response


_MESSAGE = re.compile(r"(<(?:\w+:)?message[^>]*>)(.*?)(</(?:\w+:)?message>)", re.DOTALL)


def _localized(request: Request, response: Response) -> Response:
    """A refusal in the language the page asks for: JSON errors, DAV's XML message, text."""
    if response.status_code < 400:
        return response
    if response.mimetype == "application/json":
        return messages.localized(request, response)
    lang = messages.language(request)
    text = response.get_data(as_text=True)
    code = "forbidden" if response.status_code == HTTPStatus.FORBIDDEN else "invalid_input"

    def one(found: re.Match[str]) -> str:
        english = html.unescape(found[2])
        return found[1] + html.escape(messages.translate(english, code, lang)[0]) + found[3]

    if "xml" in (response.mimetype or ""):
        response.set_data(_MESSAGE.sub(one, text))
    elif lang == "fr" and response.mimetype == "text/plain":
        response.set_data(messages.translate(text, code, lang)[0] + "\n")
    return response
