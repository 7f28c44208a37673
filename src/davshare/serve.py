"""``davshare serve``: the application behind waitress, a production WSGI server."""

import logging

import waitress

from davshare import config
from davshare.wsgi import create_app


def serve(settings: config.Settings) -> None:
    """Serve DAV on ``settings.host:settings.port`` until interrupted."""
    app = create_app(settings)
    logging.getLogger("davshare").warning(
        "davshare listening on http://%s:%d/ (data: %s)", settings.host, settings.port,
        settings.database_url.split("@")[-1])
    waitress.serve(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.threads,
        max_request_body_size=settings.max_body_size,
        ident="davshare",
        clear_untrusted_proxy_headers=True,
        channel_timeout=120,
    )
