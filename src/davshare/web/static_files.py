"""Static files of the web pages, with their content types, caching and security headers.

Besides ``static/``, ``vendor/<name>`` serves the few browser components installed by
``npm ci`` into ``node_modules`` next to this file (FullCalendar for the calendar view,
never copied into the repository). FullCalendar adds its styles through the CSS object
model into one ``<style>`` element: ``index.html`` carries a fresh nonce for it, allowed
for styles only (scripts still come from files alone).
"""

import functools
import hashlib
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

STATIC = Path(__file__).parent / "static"
NODE_MODULES = Path(__file__).parent / "node_modules"
VENDOR_PREFIX = "vendor/"
# What the pages load from node_modules, by the name they ask for (package.json pins them).
VENDOR = {
    "fullcalendar.js": "fullcalendar/index.global.min.js",
    "fullcalendar-fr.js": "@fullcalendar/core/locales/fr.global.min.js",
    "fullcalendar-en-gb.js": "@fullcalendar/core/locales/en-gb.global.min.js",
    "fullcalendar-luxon.js": "@fullcalendar/luxon3/index.global.min.js",
    "luxon.js": "luxon/build/global/luxon.min.js",
}
NONCE_MARK = b'<meta name="csp-nonce" content="">'

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
def csp(style_nonce: str = "") -> str:
    """The Content-Security-Policy; ``style_nonce`` allows the one nonced ``<style>``."""
    return (
        CSP.replace("style-src 'self'", f"style-src 'self' 'nonce-{style_nonce}'", 1)
        if (style_nonce)
        else CSP
    )


CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",  # the calendar's arrow icons
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


MISSING_COMPONENT = (
    "The calendar component is not installed on this server: run scripts/bootstrap "
    "(or `npm ci` in src/davshare/web) and restart it."
)


class StaticFiles:
    """A WSGI application serving ``static/`` under ``prefix`` (``index.html`` for the root)."""

    def __init__(self, prefix: str, root: Path = STATIC, modules: Path = NODE_MODULES) -> None:
        self.prefix = prefix
        self.root = root.resolve()
        self.modules = modules

    def _file(self, path: str) -> Path | None:
        relative = path[len(self.prefix) :].lstrip("/") or "index.html"
        if relative.startswith(VENDOR_PREFIX):
            found = VENDOR.get(relative[len(VENDOR_PREFIX) :])
            candidate = self.modules / found if found else None
            return candidate if candidate is not None and candidate.is_file() else None
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
            if request.path.startswith(f"{self.prefix}/{VENDOR_PREFIX}"):
                return self._text(404, MISSING_COMPONENT)
            return self._text(404, "No such page: go to the start page, " + self.prefix + "/")
        data, etag = _content(found)
        if NONCE_MARK in data:
            return self._page(data, found)
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
    def _page(data: bytes, found: Path) -> Response:
        """``index.html`` with a fresh style nonce (never cached: the nonce is per response)."""
        nonce = secrets.token_urlsafe(18)
        body = data.replace(NONCE_MARK, f'<meta name="csp-nonce" content="{nonce}">'.encode())
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": csp(nonce)}
        headers["Cache-Control"] = "no-store"
        return Response(body, headers=headers, content_type=CONTENT_TYPES[found.suffix])

    @staticmethod
    def _text(status: int, message: str, extra: dict[str, str] | None = None) -> Response:
        return Response(
            message + "\n",
            status,
            content_type="text/plain; charset=utf-8",
            headers={**SECURITY_HEADERS, **(extra or {})},
        )
