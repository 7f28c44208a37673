"""The API's plumbing: authentication, routing, JSON in and out, one error table."""

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from sqlalchemy import Engine
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.exceptions import NotFound as RouteNotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from davshare.api import enrolment, messages, session
from davshare.api.responses import error_response
from davshare.core import context, events, policy
from davshare.facts import access
from davshare.model import app_passwords, errors, sign_in_failures, sign_ins
from davshare.sign_in.base import Refused, Unavailable
from davshare.storage.backend import Storage

_STATUS = {
    errors.NotFound: HTTPStatus.NOT_FOUND,
    errors.AlreadyExists: HTTPStatus.CONFLICT,
    errors.InvalidInput: HTTPStatus.BAD_REQUEST,
    errors.NotAllowed: HTTPStatus.FORBIDDEN,
    errors.MassDeletion: HTTPStatus.FORBIDDEN,
    errors.PreconditionFailed: HTTPStatus.PRECONDITION_FAILED,
    errors.UidConflict: HTTPStatus.CONFLICT,
    errors.PlanLimit: HTTPStatus.FORBIDDEN,
    errors.QuotaExceeded: HTTPStatus.INSUFFICIENT_STORAGE,
    errors.StateConflict: HTTPStatus.CONFLICT,
}


@dataclass
class Call:
    """One API call: who makes it, with what body."""

    storage: Storage
    login: str
    request: Request

    @property
    def engine(self) -> Engine:
        """The database."""
        return self.storage.engine

    def body(self) -> dict[str, Any]:
        """The JSON object sent, or a 400 that says what is wrong."""
        data = self.request.get_data(cache=True, parse_form_data=False)
        if not data:
            return {}
        try:
            value = json.loads(data)
        except ValueError as e:
            raise errors.InvalidInput(f"the body is not valid JSON: {e}") from None
        if not isinstance(value, dict):
            raise errors.InvalidInput("the body must be a JSON object")
        return value

    def body_of(self, *fields: str) -> dict[str, Any]:
        """``body()``, or a 400 naming the fields it has that are not among ``fields``."""
        body = self.body()
        unknown = sorted(set(body) - set(fields))
        if unknown:
            raise errors.InvalidInput(
                f"unknown field(s) {', '.join(map(repr, unknown))}: use {', '.join(fields)}"
            )
        return body

    def field(self, name: str, default: str | None = None) -> str:
        """A string field of the body; 400 when it is missing or not a string."""
        value = self.body().get(name, default)
        if not isinstance(value, str):
            raise errors.InvalidInput(f"the field {name!r} is required and must be a string")
        return value

    def require_server_admin(self, what: str) -> None:
        """403 unless the caller administers the server; ``what``: what only they do."""
        if not access.requester(self.engine, self.login).server_admin:
            raise errors.NotAllowed(f"only a server admin {what}")

    def base_url(self) -> str:
        """The server's URL as the client reached it (for subscription URLs)."""
        return self.request.host_url.rstrip("/")


Handler = Callable[..., Any]


@contextlib.contextmanager
def _request_context(login: str, client: str = "") -> Iterator[None]:
    """The same per-request context DAV requests have (the storage and access read it)."""
    token = context.begin(context.RequestContext(user=login, client=client[:255]))
    try:
        yield
    finally:
        context.end(token)


class Api:
    """A WSGI application serving JSON routes to authenticated accounts."""

    def __init__(
        self,
        storage: Storage,
        prefix: str,
        auth_delay: float,
        realm: str,
        routes: Iterable[tuple[str, str, Handler]],
        public: dict[str, Callable[[], Response]],
        unauthenticated: dict[str, Callable[["Api", Request], Response]] | None = None,
    ) -> None:
        self.storage = storage
        self.engine = storage.engine
        self._delay = auth_delay
        self._realm = realm
        self._public = {prefix + path: view for path, view in public.items()}
        # Endpoints that authenticate by themselves (signing in), any method.
        self._open = {prefix + path: view for path, view in (unauthenticated or {}).items()}
        self._handlers: dict[str, Handler] = {}
        rules = []
        for method, path, handler in routes:
            endpoint = f"{method} {path}"
            self._handlers[endpoint] = handler
            rules.append(Rule(prefix + path, methods=[method], endpoint=endpoint))
        self._map = Map(rules, strict_slashes=False)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            answer = self._respond(request)
        except (Unavailable, Refused) as e:  # 503 or 401 saying why; never 500, never in
            answer = sign_in_trouble(e)
        return messages.localized(request, answer)(environ, start_response)

    def _respond(self, request: Request) -> Response:
        public = self._public.get(request.path.rstrip("/"))
        if public is not None and request.method == "GET":
            return public()
        opened = self._open.get(request.path.rstrip("/"))
        if opened is not None:
            return opened(self, request)
        refused = self._refused_sign_in(request)
        if refused is not None:
            return refused
        try:
            found = self._login(request)
        except app_passwords.AppPasswordRequired as e:
            return error_response(
                HTTPStatus.UNAUTHORIZED,
                e.code,
                str(e),
                {"WWW-Authenticate": f'Basic realm="{self._realm}"'},
            )
        login, may_change = (found.login if found else ""), True
        if not login and request.authorization is None:
            login, may_change = session.from_request(self.engine, request)
            refused = enrolment.refused(self.engine, login, request)
            if refused is not None:
                return refused
        if not login:
            if session.from_browser(request):  # no Basic dialog over the web pages
                return error_response(
                    HTTPStatus.UNAUTHORIZED,
                    "signed_out",
                    "you are signed out (the session ended or the password changed): sign in again",
                )
            return error_response(
                HTTPStatus.UNAUTHORIZED,
                "unauthorized",
                "log in with your account's login and password",
                {"WWW-Authenticate": f'Basic realm="{self._realm}"'},
            )
        if not may_change:
            return session.csrf_refused()
        request.environ["davshare.login"] = login  # for the access log
        try:
            endpoint, arguments = self._map.bind_to_environ(request.environ).match()
            with _request_context(login, request.user_agent.string):
                if found is not None:  # how it signed in: an app password manages no others
                    access.remember_requester(found)
                return self._handlers[endpoint](Call(self.storage, login, request), **arguments)
        except RouteNotFound:
            return error_response(
                HTTPStatus.NOT_FOUND, "no_such_endpoint", f"no API endpoint {request.path}"
            )
        except MethodNotAllowed as e:
            allowed = ", ".join(e.valid_methods or [])
            return error_response(
                HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", f"use {allowed}"
            )
        except HTTPException as e:
            return error_response(e.code or 400, "bad_request", e.description or "bad request")
        except errors.DavshareError as e:
            return error_response(_STATUS.get(type(e), HTTPStatus.BAD_REQUEST), e.code, str(e))

    def check_password(self, login: str, password: str, door: str = "api", client: str = "") -> str:
        """The canonical login if the password is right, else "" (the failure logged, as
        coming through ``door`` from ``client``, and counted: after a few, refused without
        checking; no thread sleeps)."""
        found, _ = sign_in_failures.attempt(self.engine, login, password, client, self._delay, door)
        if found is None:
            events.sign_in_failed(door, login, client)
            return ""
        return found.login

    def _refused_sign_in(self, request: Request) -> Response | None:
        """429 with Retry-After while the login or address is refused for failures."""
        credentials = request.authorization
        if credentials is None or credentials.type != "basic":
            return None
        login, address = credentials.username or "", request.remote_addr or ""
        wait, _ = sign_in_failures.check(self.engine, login, address)
        return too_many_failures(wait) if wait else None

    def _login(self, request: Request) -> policy.Requester | None:
        """Who the Basic credentials sign in (an app password or the account's), or None;
        raises ``AppPasswordRequired`` for an account password the API may not take."""
        credentials = request.authorization
        if credentials is None or credentials.type != "basic":
            return None
        login, address = credentials.username or "", request.remote_addr or ""
        agent = request.user_agent.string
        try:
            found, _ = sign_in_failures.attempt(
                self.engine, login, credentials.password or "", address, self._delay, "api"
            )
        except app_passwords.AppPasswordRequired as e:
            sign_ins.record_refusal(self.engine, login, "api", address, e, agent)
            raise
        sign_ins.record_attempt(self.engine, login, "api", address, found, agent)
        if found is None:
            events.sign_in_failed("api", login, address)
        return found


def sign_in_trouble(error: Unavailable | Refused) -> Response:
    """503 with Retry-After when the sign-in backend is down; 401 with why a right
    password opens nothing here."""
    if isinstance(error, Unavailable):
        return error_response(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "sign_in_unavailable",
            error.message(),
            {"Retry-After": str(error.retry_after)},
        )
    return error_response(HTTPStatus.UNAUTHORIZED, "domain_not_served", str(error))


def too_many_failures(wait: int) -> Response:
    """429 with Retry-After while a login is refused from an address for its failures."""
    return error_response(
        HTTPStatus.TOO_MANY_REQUESTS,
        "too_many_failures",
        sign_in_failures.message(wait),
        {"Retry-After": str(wait)},
    )
