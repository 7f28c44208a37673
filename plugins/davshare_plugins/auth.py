"""Radicale auth plugin: ``[auth] type = davshare_plugins.auth`` (accounts in davshare's tables)."""

from radicale import auth, config

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

    def _login(self, login: str, password: str) -> str:
        found = accounts.sign_in(self._engine, login, password)
        if found is None:
            return ""
        access.remember_requester(found)  # the rules then need no query for it
        return found.login
