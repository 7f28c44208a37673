"""Static files of the web pages, with their content types, caching and security headers."""

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

STATIC = Path(__file__).parent / "static"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}

# No inline script or style anywhere: everything comes from these files.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@functools.cache
def _content(path: Path) -> tuple[bytes, str]:
    """A file's bytes and ETag, read once: the files do not change while the server runs."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:32]


class StaticFiles:
    """A WSGI application serving ``static/`` under ``prefix`` (``index.html`` for the root)."""

    def __init__(self, prefix: str, root: Path = STATIC) -> None:
        self.prefix = prefix
        self.root = root.resolve()

    def _file(self, path: str) -> Path | None:
        relative = path[len(self.prefix) :].lstrip("/") or "index.html"
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        if candidate.suffix not in CONTENT_TYPES:
            return None
        return candidate

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        return self._respond(request)(environ, start_response)

    def _respond(self, request: Request) -> Response:
        if request.path == self.prefix:  # relative links need the trailing slash
            return Response(status=301, headers={"Location": self.prefix + "/"})
        if request.method not in ("GET", "HEAD"):
            return self._text(405, "The web pages only answer GET.", {"Allow": "GET, HEAD"})
        found = self._file(request.path)
        if found is None:
            return self._text(404, "No such page: go to the start page, " + self.prefix + "/")
        data, etag = _content(found)
        headers = {
            **SECURITY_HEADERS,
            # Revalidated each time (cheap with the ETag): an upgrade is seen at once.
            "Cache-Control": "no-cache",
            "ETag": f'"{etag}"',
        }
        if etag in request.if_none_match:
            return Response(status=304, headers=headers)
        response = Response(data, headers=headers, content_type=CONTENT_TYPES[found.suffix])
        return response

    @staticmethod
    def _text(status: int, message: str, extra: dict[str, str] | None = None) -> Response:
        return Response(
            message + "\n",
            status,
            content_type="text/plain; charset=utf-8",
            headers={**SECURITY_HEADERS, **(extra or {})},
        )
