"""``/session``: signing in and out of the web pages (cookie sessions, ``session``)."""

from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Request, Response

from davshare.api import enrolment
from davshare.api.base import Api, too_many_failures
from davshare.api.responses import error_response, json_response
from davshare.api.second_factor import second_factor
from davshare.api.session import (
    COOKIE,
    COOKIE_PATH,
    CSRF_HEADER,
    LIFETIME,
    carries_csrf,
    close_session,
    csrf_refused,
    open_session,
    signed_in,
)
from davshare.model import sign_in_failures, sign_ins


def endpoint(api: Api, request: Request) -> Response:
    """``/session``: GET who is signed in, POST sign in, DELETE sign out."""
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
    address, agent = request.remote_addr or "", request.user_agent.string
    wait, _ = sign_in_failures.check(api.engine, login, address)
    if wait:  # refused for earlier failures: say so rather than "wrong password"
        return too_many_failures(wait)
    canonical = api.check_password(login, password, "web", address)
    if not canonical:
        sign_ins.record(api.engine, login, "web", address, agent, False)
        return error_response(
            HTTPStatus.UNAUTHORIZED,
            "sign_in_failed",
            "wrong login or password: check both (the login is your full address, "
            "name@domain) and try again; your server admin can reset a forgotten password",
        )
    refused, detail = second_factor(api.engine, canonical, body.get("code"), address, agent)
    if refused is not None:
        return refused
    sign_ins.record(api.engine, canonical, "web", address, agent, True, detail)
    new_token, csrf = open_session(api.engine, canonical)
    enrol = enrolment.needed(api.engine, canonical)
    response = json_response({"login": canonical, "csrf_token": csrf, "must_enrol": enrol})
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


def _operation(summary: str, body: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [],
        "responses": {"200": {"description": "done"}, "default": {"description": "an error"}},
    }
    if body:
        fields = {
            "login": {"type": "string"},
            "password": {"type": "string"},
            "code": {"type": "string", "description": "with two factors on: TOTP or recovery code"},
        }
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
