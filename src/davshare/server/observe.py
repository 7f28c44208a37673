"""What an admin watches: ``/.davshare/health``, ``/.davshare/metrics`` and one access-log
line per request, around the whole application."""

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from davshare.dav.request_checks import basic_login
from davshare.model import db, inventory
from davshare.model.logins import normalize_login
from davshare.server import metrics
from davshare.server.config import Settings

HEALTH = "/.davshare/health"
METRICS = "/.davshare/metrics"
access_logger = logging.getLogger("davshare.access")
logger = logging.getLogger("davshare")
# An invitation's token is a secret: never written to the log.
_SECRET_IN_PATH = re.compile(r"(/invitations/)[^/]+")
_KINDS = (
    ("/.davshare/api/", "api"),
    ("/.davshare/web", "web"),
    ("/.davshare/dav/", "web"),
    ("/.davshare/", "davshare"),
    ("/.well-known/", "well-known"),
)


def kind_of(path: str) -> str:
    """The kind of a path, as the metrics label it: dav, api, web, well-known…"""
    if path in (HEALTH, METRICS):
        return path.rsplit("/", 1)[-1]
    return next((kind for prefix, kind in _KINDS if path.startswith(prefix)), "dav")


class Observed:
    """The application with health, metrics and the access log around it."""

    def __init__(self, app: Any, engine: Engine, settings: Settings) -> None:
        self.app = app
        self.engine = engine
        self.settings = settings
        if settings.access_log != "off":
            access_logger.setLevel(logging.INFO)  # whatever [logging] level says

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        started = time.monotonic()
        status: list[int] = [500]

        def recording(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = int(code.split(" ", 1)[0])
            return start_response(code, headers, exc_info)

        path = environ.get("PATH_INFO", "")
        if path == HEALTH:
            body: Iterable[bytes] = self._health(recording)
        elif path == METRICS:
            body = self._metrics(environ, recording)
        else:
            try:
                body = self.app(environ, recording)
            except Exception as e:  # the API's and the web pages' (DAV answers its own)
                if not db.is_outage(e):
                    raise
                logger.error("database not answering, %s refused with 503: %s", path, e)
                body = _unavailable(recording, path)
        return _counted(body, lambda sent: self._done(environ, status[0], sent, started))

    def _health(self, start_response: Any) -> Iterable[bytes]:
        if inventory.answers(self.engine):
            code, value = "200 OK", {"status": "ok", "database": "ok"}
        else:
            code = "503 Service Unavailable"
            value = {"status": "unavailable", "database": "not answering"}
        return _answer(start_response, code, "application/json", json.dumps(value).encode())

    def _metrics(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        settings = self.settings
        if not metrics.allowed(
            environ.get("REMOTE_ADDR", ""),
            environ.get("HTTP_AUTHORIZATION", ""),
            settings.metrics_token,
            settings.metrics_allow,
        ):
            data = b"metrics are for the addresses in [metrics] allow or the [metrics] token\n"
            start_response(
                "403 Forbidden",
                [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))],
            )
            return [data]
        data = metrics.exposition(self.engine, settings.mail.max_attempts)
        start_response(
            "200 OK", [("Content-Type", metrics.CONTENT_TYPE), ("Content-Length", str(len(data)))]
        )
        return [data]

    def _done(self, environ: dict[str, Any], status: int, sent: int, started: float) -> None:
        seconds = time.monotonic() - started
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        metrics.record(method, kind_of(path), status, seconds)
        if self.settings.access_log == "off":
            return
        fields: dict[str, Any] = {
            "client": environ.get("REMOTE_ADDR", "-"),
            "login": environ.get("davshare.login") or normalize_login(basic_login(environ)) or "-",
            "method": method,
            "path": _SECRET_IN_PATH.sub(r"\1…", path),
            "status": status,
            "bytes": sent,
            "duration": round(seconds, 4),
        }
        if self.settings.access_log == "json":
            # The text line has its time from the log format: only JSON asks for it here.
            fields = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), **fields}
            access_logger.info("%s", json.dumps(fields, ensure_ascii=False))
        else:
            access_logger.info(
                '%(client)s %(login)s "%(method)s %(path)s" %(status)d %(bytes)d %(duration).4fs',
                fields,
            )


def _answer(
    start_response: Any, status: str, kind: str, data: bytes, *extra: tuple[str, str]
) -> list[bytes]:
    headers = [("Content-Type", kind), ("Content-Length", str(len(data))), *extra]
    start_response(status, [*headers, ("Cache-Control", "no-store")])
    return [data]


def _unavailable(start_response: Any, path: str) -> list[bytes]:
    """503 with Retry-After: JSON for the API, text for the others."""
    retry = ("Retry-After", str(db.OUTAGE_RETRY_AFTER))
    code = "503 Service Unavailable"
    if kind_of(path) == "api":
        error = {"error": {"code": "unavailable", "message": db.OUTAGE_MESSAGE}}
        return _answer(start_response, code, "application/json", json.dumps(error).encode(), retry)
    return _answer(
        start_response, code, "text/plain; charset=utf-8", db.OUTAGE_MESSAGE.encode(), retry
    )


def _counted(body: Iterable[bytes], done: Callable[[int], None]) -> Iterator[bytes]:
    sent = 0
    try:
        for chunk in body:
            sent += len(chunk)
            yield chunk
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
        done(sent)
