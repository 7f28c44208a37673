"""Radicale auth plugin: ``[auth] type = davshare_plugins.auth`` (accounts in davshare's tables)."""

from radicale import auth, config

from davshare.core import events
from davshare.facts import access
from davshare.model import accounts
from davshare.model.db import engine_for


class Auth(auth.BaseAuth):
    """Checks ``local@domain`` and password against the accounts table.

    Logins are case-insensitive; a disabled account is refused like a wrong
    password; Radicale's ``login()`` adds the failure delay.
    """

    def __init__(self, configuration: config.Configuration) -> None:
        super().__init__(configuration)
        self._engine = engine_for(configuration.get("storage", "database_url"))

    def _login_ext(self, login: str, password: str, context: auth.AuthContext) -> str:
        found = accounts.sign_in(self._engine, login, password)
        if found is None:
            events.sign_in_failed("dav", login, context.remote_addr or "")
            return ""
        access.remember_requester(found)  # the rules then need no query for it
        return found.login
