"""Old logins that keep working after a move (``[migrate] aliases``).

A client set up against Radicale signs in as ``gilles`` and syncs
``/gilles/<collection>/``; in davshare the account is ``gilles@example.com``. For
such a client the login in its Basic credentials and the first segment of its
paths (and of a MOVE's Destination) are read as the davshare login, and the hrefs
of the answer are written back under the old path, so the client sees the very
URLs it knew: only the host name changed. Item contents are never touched.
"""

import base64
import binascii
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]


class Aliases:
    """Serves ``app`` to clients that use the old logins of ``aliases`` (old -> login)."""

    def __init__(self, app: WsgiApp, aliases: dict[str, str]) -> None:
        self.app = app
        self.aliases = aliases

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self._credentials(environ)
        old = self._path(environ)
        if old is None:
            return self.app(environ, start_response)
        return self._rewritten(environ, start_response, old)

    def _credentials(self, environ: dict[str, Any]) -> None:
        kind, _, encoded = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if kind.lower() != "basic":
            return
        try:
            user, sep, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return
        if sep and user in self.aliases:
            pair = f"{self.aliases[user]}:{password}".encode()
            environ["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(pair).decode()

    def _path(self, environ: dict[str, Any]) -> str | None:
        """The old login the path starts with (the path then made the login's), or None."""
        first, sep, rest = environ.get("PATH_INFO", "").lstrip("/").partition("/")
        if first not in self.aliases:
            return None
        environ["PATH_INFO"] = f"/{self.aliases[first]}{sep}{rest}"
        environ.pop("HTTP_ACCEPT_ENCODING", None)  # the answer's hrefs are rewritten: no gzip
        destination = environ.get("HTTP_DESTINATION", "")
        if destination:
            parts = urllib.parse.urlsplit(destination)
            head, sep2, tail = parts.path.lstrip("/").partition("/")
            if urllib.parse.unquote(head) in self.aliases:
                path = (
                    f"/{urllib.parse.quote(self.aliases[urllib.parse.unquote(head)])}{sep2}{tail}"
                )
                environ["HTTP_DESTINATION"] = urllib.parse.urlunsplit(parts._replace(path=path))
        return first

    def _rewritten(self, environ: dict[str, Any], start_response: Any, old: str) -> Iterable[bytes]:
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        login = self.aliases[old]
        headers = answer["headers"]
        if any(k.lower() == "content-type" and "xml" in v for k, v in headers):
            body = _old_hrefs(body, login, old)
        headers = [
            (k, _old_location(v, login, old) if k.lower() == "location" else v)
            for k, v in headers
            if k.lower() != "content-length"
        ]
        start_response(answer["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]


def _old_hrefs(body: bytes, login: str, old: str) -> bytes:
    """``body`` with every ``<href>/login/...`` written ``<href>/old/...``."""
    forms = {login, urllib.parse.quote(login), urllib.parse.quote(login, safe="")}
    alternatives = b"|".join(re.escape(f.encode()) for f in sorted(forms))
    pattern = re.compile(
        rb"(<(?:[A-Za-z0-9_-]+:)?href>\s*(?:https?://[^/<]*)?/)(?:" + alternatives + rb")/"
    )
    return pattern.sub(lambda m: m.group(1) + urllib.parse.quote(old).encode() + b"/", body)


def _old_location(value: str, login: str, old: str) -> str:
    for form in (login, urllib.parse.quote(login, safe="")):
        value = value.replace(f"/{form}/", f"/{urllib.parse.quote(old)}/", 1)
    return value
