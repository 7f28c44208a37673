"""The WSGI entry point: settings -> DAV, with the JSON API mounted beside it.

For gunicorn on PostgreSQL:
``DAVSHARE_CONFIG=/etc/davshare.conf gunicorn davshare.wsgi:application``.
"""

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from radicale import log

from davshare import config
from davshare.api import PREFIX as API_PREFIX
from davshare.api.app import create_api
from davshare.api.base import Api
from davshare.app import DavshareApplication
from davshare.mail import sender
from davshare.model.db import engine_for


class Dispatcher:
    """Sends ``/.davshare/api/`` to the JSON API and everything else to DAV."""

    def __init__(self, dav: DavshareApplication, api: Api) -> None:
        self.dav = dav
        self.api = api

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(API_PREFIX + "/"):
            return self.api(environ, start_response)
        return self.dav(environ, start_response)


def create_app(settings: config.Settings) -> Dispatcher:
    """The application for ``settings``; creates or upgrades the database first."""
    log.setup()
    radicale_configuration = config.radicale_configuration(settings)
    log.set_level(settings.log_level, False, "")
    engine_for(settings.database_url)  # initialise an empty data directory now
    sender.configure(settings)
    dav = DavshareApplication(radicale_configuration)
    return Dispatcher(dav, create_api(dav.storage, settings.auth_delay, settings.realm))


_application: Dispatcher | None = None


def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """WSGI callable for external servers; the config path comes from DAVSHARE_CONFIG."""
    global _application
    if _application is None:
        path = os.environ.get("DAVSHARE_CONFIG")
        _application = create_app(config.load(Path(path) if path else None))
    return _application(environ, start_response)
