"""A plain GET of an item, the request clients send most, taken past Radicale's generic
request handling (its log lines and profiling hooks per request, the reverse-proxy and
base-prefix machinery, the principal's discovery) through the steps that handling takes
for it, each Radicale's or davshare's own: the checks of the path and the login, the
sign-in through the auth plugin, the home that must exist, the gated ``do_GET`` and the
encoding of the answer.

Anything else — another method, a query string, a prefix, a collection, a login Radicale
would refuse, a home not made yet, a server error — returns None, and Radicale handles
the request as always (the sign-in is then not repeated: the auth plugin
remembers its answer for the request).
"""

import zlib
from http import client
from typing import Any

from radicale import auth, pathutils, types
from radicale.app import base as app_base

from davshare.dav import request_checks

Answer = tuple[str, list[tuple[str, str]], list[bytes]]


def answer_get(app: Any, environ: types.WSGIEnviron) -> Answer | None:
    """The answer to a plain GET of an item (None: Radicale handles the request)."""
    path = environ.get("PATH_INFO", "")
    if (
        environ.get("REQUEST_METHOD") != "GET"
        or environ.get("QUERY_STRING")
        or environ.get("SCRIPT_NAME")
        or "HTTP_X_SCRIPT_NAME" in environ
        or path.count("/") != 3
        or path.endswith("/")
        or app._sharing._enabled
        or pathutils.sanitize_path(path) != path
        or not app_base._check_path_format(app._storage, path, app._validate_path_value)
    ):
        return None
    login, password, _ = request_checks.basic_login_password(environ)
    if not login or not app_base._check_user_format(
        app._storage, login, app._validate_user_value, app._urldecode_username
    ):
        return None
    context = auth.AuthContext()
    if environ.get("REMOTE_ADDR"):
        context.remote_addr = environ["REMOTE_ADDR"]
    if environ.get("HTTP_X_REMOTE_ADDR"):
        context.x_remote_addr = environ["HTTP_X_REMOTE_ADDR"]
    user, _, groups = app._auth.login(login, password, context)
    if not user or not pathutils.is_safe_path_component(user):
        return None
    if app._storage.collection(user) is None:  # Radicale makes the home
        return None
    request_info = {"method": "GET", "login": login, "path": path, "host": context.remote_addr}
    status, headers, body, _ = app.do_GET(environ, "", path, user, groups, request_info)
    if status >= client.INTERNAL_SERVER_ERROR:  # Radicale's delay_on_error, its log
        return None
    return finished(app, environ, status, dict(headers), body)


def finished(
    app: Any,
    environ: types.WSGIEnviron,
    status: int,
    headers: dict[str, str],
    body: str | bytes | None,
) -> Answer:
    """An answer in the form Radicale gives its answers: the text encoded, gzip when the
    client takes it, the length, then the configured extra headers."""
    answers = []
    if body is not None:
        if isinstance(body, str):
            headers["Content-Type"] += f"; charset={app._encoding}"
            body = body.encode(app._encoding)
        accepted = [e.strip() for e in environ.get("HTTP_ACCEPT_ENCODING", "").split(",")]
        if "gzip" in accepted:
            compressor = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
            body = compressor.compress(body) + compressor.flush()
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        answers.append(body)
    headers.update(app._extra_headers)
    return f"{status} {client.responses[status]}", list(headers.items()), answers
