"""Believing the TLS proxy in front (``[server] trusted_proxy``) under gunicorn, as waitress
does by itself: its X-Forwarded-Proto, -Host and -For, and nobody else's."""

from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_FOR")


class TrustedProxy:
    """Applies the forwarded headers of requests from ``trusted`` and drops everyone else's."""

    def __init__(self, app: Any, trusted: str) -> None:
        self.app = app
        self.trusted = trusted
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1, x_port=0, x_prefix=0)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if self.trusted and environ.get("REMOTE_ADDR") == self.trusted:
            return self.fixed(environ, start_response)
        for name in FORWARDED:
            environ.pop(name, None)
        return self.app(environ, start_response)
