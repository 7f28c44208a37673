"""``davshare serve``: the application behind waitress, a production WSGI server."""

import logging

import waitress

from davshare.mail import sender
from davshare.model.db import engine_for
from davshare.server import config, database, purger, startup


def serve(settings: config.Settings) -> None:
    """Serve DAV on ``settings.host:settings.port`` until interrupted: in this process with
    waitress, or in ``[server] workers`` processes with gunicorn."""
    if settings.workers > 1:
        from davshare.server import workers

        workers.serve(settings)
        return
    # Imported here: under gunicorn the metrics must first see their multi-process folder.
    from davshare.server.wsgi import create_app

    app = create_app(settings)
    sock = startup.bind(settings)
    if settings.mail.host:  # the outbox is sent while the server runs
        sender.start_background(engine_for(settings.database_url), settings.mail)
    purger.start_background(
        engine_for(settings.database_url), settings.kept, settings.purge_seconds
    )
    logging.getLogger("davshare").info(
        "davshare listening on %s (database %s)",
        startup.url_of(sock),
        database.masked(settings.database_url),
    )
    waitress.serve(
        app,
        sockets=[sock],
        threads=settings.threads,
        # The application answers 413 with a message a person can read; waitress
        # only cuts off what is far beyond (it would reset the connection mid-upload).
        max_request_body_size=2 * settings.max_body_size + 1_000_000,
        ident="davshare",
        clear_untrusted_proxy_headers=True,
        # Slow clients hold a connection, not a thread: enough of them for a trickle of
        # headers from many sockets not to lock others out (docs/compliance.md, Limits).
        max_request_header_size=settings.max_header_size,
        connection_limit=settings.connection_limit,
        channel_timeout=settings.channel_timeout,
        **_proxy(settings),
    )


def _proxy(settings: config.Settings) -> dict[str, object]:
    """waitress's options to believe the TLS proxy in front: the scheme (https, so that
    the web pages' cookie is Secure), host and client address it forwards."""
    if not settings.trusted_proxy:
        return {}
    return {
        "trusted_proxy": settings.trusted_proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-host", "x-forwarded-for"},
    }
