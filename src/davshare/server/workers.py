"""``davshare serve --workers N`` (N > 1): N processes behind one port with gunicorn.

gunicorn pre-forks the workers, replaces any that dies and restarts them gracefully on
SIGHUP. The arbiter (the parent process) creates or upgrades the database and binds the
socket before any worker starts, and it alone runs the mail sender, so the outbox is sent
by exactly one process whatever N is.
"""

import logging
import os
import socket
import tempfile
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.sock import TCP6Socket, TCPSocket

from davshare.mail import sender
from davshare.model.db import engine_for, forget_engines_after_fork
from davshare.server import config, database, purger, startup
from davshare.server.proxy import TrustedProxy

logger = logging.getLogger("davshare")
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"  # as davshare.server.metrics reads it


class _Gunicorn(BaseApplication):
    """gunicorn configured from davshare's settings, not from its own command line."""

    def __init__(self, settings: config.Settings, sock: socket.socket) -> None:
        self.settings = settings
        self.sock = sock
        self.url = startup.url_of(sock)
        self.address = sock.getsockname()[:2]
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        options: dict[str, Any] = {
            "workers": settings.workers,
            "worker_class": "gthread",
            "threads": settings.threads,
            "timeout": 120,
            "graceful_timeout": 30,
            "keepalive": 5,
            "loglevel": "debug" if settings.log_level.lower() == "debug" else "warning",
            "errorlog": "-",
            "accesslog": None,
            "proc_name": "davshare",
            "limit_request_line": 8190,
            "on_starting": self._on_starting,
            "when_ready": self._when_ready,
            "post_fork": _post_fork,
            "child_exit": _child_exit,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def _on_starting(self, arbiter: Any) -> None:
        kind = TCP6Socket if self.sock.family == socket.AF_INET6 else TCPSocket
        listener = kind(self.address, self.cfg, arbiter.log, fd=self.sock.fileno())
        arbiter.LISTENERS = [listener]

    def _when_ready(self, _arbiter: Any) -> None:
        settings = self.settings
        if settings.mail.host:  # in the arbiter only: sent once whatever the number of workers
            sender.start_background(engine_for(settings.database_url), settings.mail)
        purger.start_background(  # the arbiter's too: once whatever the number of workers
            engine_for(settings.database_url), settings.kept, settings.purge_seconds
        )
        logger.info(
            "davshare listening on %s with %d workers (database %s)",
            self.url,
            settings.workers,
            database.masked(settings.database_url),
        )

    def load(self) -> Any:
        from davshare.server.wsgi import create_app

        return TrustedProxy(create_app(self.settings), self.settings.trusted_proxy)


def _post_fork(_arbiter: Any, _worker: Any) -> None:
    forget_engines_after_fork()  # each worker opens its own database connections


def _child_exit(_arbiter: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def serve(settings: config.Settings) -> None:
    """Run ``settings.workers`` gunicorn workers until SIGTERM or SIGINT."""
    startup.configure_logging(settings.log_level)
    # Once, before the workers, who would race to create it; then no connection stays open
    # in this process, and none is open while it forks (mail sender: DATABASE_IN_USE).
    database.open_or_create(settings).dispose()
    os.register_at_fork(
        before=sender.DATABASE_IN_USE.acquire,
        after_in_parent=sender.DATABASE_IN_USE.release,
        after_in_child=sender.DATABASE_IN_USE.release,
    )
    sock = startup.bind(settings)
    sock.set_inheritable(True)
    # The workers' metrics meet in a fresh folder, set before any of them imports the client.
    with tempfile.TemporaryDirectory(prefix="davshare-metrics-") as folder:
        os.environ[MULTIPROCESS_VARIABLE] = folder
        _Gunicorn(settings, sock).run()
