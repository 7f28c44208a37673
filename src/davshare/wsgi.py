"""The WSGI entry point: settings -> DAV application (the API and web pages mount here).

For gunicorn on PostgreSQL:
``DAVSHARE_CONFIG=/etc/davshare.conf gunicorn davshare.wsgi:application``.
"""

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from radicale import log

from davshare import config
from davshare.app import DavshareApplication
from davshare.model.db import engine_for


def create_app(settings: config.Settings) -> DavshareApplication:
    """The DAV application for ``settings``; creates or upgrades the database first."""
    log.setup()
    radicale_configuration = config.radicale_configuration(settings)
    log.set_level(settings.log_level, False, "")
    engine_for(
        settings.database_url
    )  # initialise an empty data directory now, not on first request
    return DavshareApplication(radicale_configuration)


_application: DavshareApplication | None = None


def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """WSGI callable for external servers; the config path comes from DAVSHARE_CONFIG."""
    global _application
    if _application is None:
        path = os.environ.get("DAVSHARE_CONFIG")
        _application = create_app(config.load(Path(path) if path else None))
    return _application(environ, start_response)
