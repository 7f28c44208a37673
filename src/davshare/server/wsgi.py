"""The WSGI entry point: settings -> DAV, with the JSON API mounted beside it.

For gunicorn on PostgreSQL:
``DAVSHARE_CONFIG=/etc/davshare/davshare.conf gunicorn davshare.server.wsgi:application``
(``davshare serve --workers N`` does this with the right settings).
"""

import logging
import re
from collections.abc import Iterable
from typing import Any

from davshare.api import PREFIX as API_PREFIX
from davshare.api.app import create_api
from davshare.api.base import Api
from davshare.dav.app import DavshareApplication
from davshare.model import app_passwords, invitations
from davshare.server import config, database, startup
from davshare.server.aliases import Aliases
from davshare.server.observe import Observed
from davshare.sign_in import backends
from davshare.web import DAV_PREFIX, WEB_PREFIX
from davshare.web.dav_bridge import DavBridge
from davshare.web.static_files import StaticFiles


class Dispatcher:
    """Sends ``/.davshare/api/`` to the JSON API, ``/.davshare/web/`` to the web pages (and
    ``/.davshare/dav/`` to DAV for them), a browser's visit of ``/`` to the pages, and
    everything else to DAV."""

    def __init__(
        self, dav: DavshareApplication, api: Api, aliases: dict[str, str] | None = None
    ) -> None:
        self.dav = dav
        self.old_logins = Aliases(dav, aliases) if aliases else None
        self.api = api
        self.pages = StaticFiles(WEB_PREFIX)
        self.dav_bridge = DavBridge(dav, api.engine, DAV_PREFIX)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(API_PREFIX + "/"):
            invitation = _INVITATION.match(path[len(API_PREFIX) :])
            if invitation and _wants_html(environ):  # the link of an invitation e-mail
                return _redirect(start_response, f"{WEB_PREFIX}/#/invitations/{invitation[1]}")
            return self.api(environ, start_response)
        if path == WEB_PREFIX or path.startswith(WEB_PREFIX + "/"):
            return self.pages(environ, start_response)
        if path.startswith(DAV_PREFIX + "/"):
            return self.dav_bridge(environ, start_response)
        if path in ("", "/") and _wants_html(environ):  # a browser opening the server's address
            return _redirect(start_response, WEB_PREFIX + "/")
        if (
            path in ("", "/")
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not environ.get("HTTP_AUTHORIZATION")  # credentials are DAV's to check
        ):
            # Radicale would answer "Radicale works!": say what this is and link to the pages.
            return _root_page(start_response)
        environ["PATH_INFO"] = _canonical_login(path)
        if self.old_logins is not None:
            return self.old_logins(environ, start_response)
        return self.dav(environ, start_response)


_INVITATION = re.compile(r"^/invitations/([A-Za-z0-9_-]+)/?$")
_LOGIN_SEGMENT = re.compile(r"^/([^/@]+@[^/]+)(?=/|$)")


def _canonical_login(path: str) -> str:
    """``/Gilles@Example.com/…`` as ``/gilles@example.com/…``: logins are case-insensitive in
    paths as at sign-in (a client configured with capitals finds its collections)."""
    return _LOGIN_SEGMENT.sub(lambda m: "/" + m[1].lower(), path, count=1)


def _wants_html(environ: dict[str, Any]) -> bool:
    """A browser's plain visit (DAV clients and API calls do not ask for HTML)."""
    return (
        environ.get("REQUEST_METHOD") == "GET"
        and "text/html" in environ.get("HTTP_ACCEPT", "")
        and not environ.get("HTTP_AUTHORIZATION")
    )


_ROOT_PAGE = (
    '<!doctype html><meta charset="utf-8"><title>davshare</title>'
    f'<p>davshare works. <a href="{WEB_PREFIX}/">Sign in to the web pages</a>; calendar '
    "and contacts apps use this address with your login and password.</p>\n"
).encode()


def _root_page(start_response: Any) -> Iterable[bytes]:
    start_response(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(_ROOT_PAGE)))],
    )
    return [_ROOT_PAGE]


def _redirect(start_response: Any, location: str) -> Iterable[bytes]:
    start_response("302 Found", [("Location", location), ("Content-Length", "0")])
    return [b""]


def create_app(settings: config.Settings) -> Observed:
    """The application for ``settings``; creates or upgrades the database first."""
    startup.configure_logging(settings.log_level)
    radicale_configuration = config.radicale_configuration(settings)
    engine = database.open_or_create(settings)  # initialise an empty data directory now
    configure_invitations(settings)
    backends.configure(settings.sign_in)  # where passwords are checked ([auth] backends)
    app_passwords.configure(
        app_passwords.Options(settings.dav_needs_app_passwords, settings.admins_need_two_factors)
    )
    dav = DavshareApplication(radicale_configuration)
    api = create_api(dav.storage, settings.auth_delay, settings.realm)
    return Observed(Dispatcher(dav, api, settings.aliases), engine, settings)


_application: Observed | None = None


def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """WSGI callable for external servers; the config path comes from DAVSHARE_CONFIG."""
    global _application
    if _application is None:
        _application = create_app(config.load())  # $DAVSHARE_CONFIG or the system file
    return _application(environ, start_response)


def configure_invitations(settings: config.Settings) -> None:
    """Give the invitations the configured validity, resend cap, link address and language."""
    public_url = settings.mail.public_url or f"http://{settings.host}:{settings.port}"
    if not settings.mail.public_url and settings.host in ("0.0.0.0", "::", ""):
        logging.getLogger("davshare").warning(
            "[mail] public_url is empty: links sent by mail will point to %s; set it "
            "(or DAVSHARE_PUBLIC_URL) to the address people use",
            public_url,
        )
    invitations.configure(
        invitations.Options(
            valid_days=settings.invitation_valid_days,
            sends_per_day=settings.invitation_sends_per_day,
            public_url=public_url,
            language=settings.mail.language,
        )
    )
