"""Radicale auth plugin: ``[auth] type = davshare_plugins.auth`` (accounts in davshare's tables)."""

from radicale import auth, config

from davshare.core import context as request_context
from davshare.core import events
from davshare.facts import access
from davshare.model import app_passwords, sign_in_failures, sign_ins
from davshare.model.db import engine_for


class Auth(auth.BaseAuth):
    """Checks ``local@domain`` and password against the accounts table.

    Logins are case-insensitive; a disabled account is refused like a wrong
    password; failures are counted per login and address, and refused early
    once too many (no thread sleeps).
    """

    def __init__(self, configuration: config.Configuration) -> None:
        super().__init__(configuration)
        self._engine = engine_for(configuration.get("storage", "database_url"))
        self._delay = float(configuration.get("auth", "delay"))

    def _login_ext(self, login: str, password: str, context: auth.AuthContext) -> str:
        # Asked again in the same request (dav.fast_request, then Radicale): the same
        # answer, the attempt counted once.
        remembered = request_context.current().cache
        key = ("dav sign-in", login, password)
        if key not in remembered:
            remembered[key] = self._signed_in(login, password, context)
        return str(remembered[key])

    def _signed_in(self, login: str, password: str, context: auth.AuthContext) -> str:
        # Failures are counted, not slept on: after a few, refused early (sign_in_failures).
        address = getattr(context, "remote_addr", "") or ""
        try:
            found, _ = sign_in_failures.attempt(
                self._engine, login, password, address, self._delay, "dav"
            )
        except app_passwords.AppPasswordRequired as e:  # the 401 says why (dav.app)
            return sign_ins.record_refusal(self._engine, login, "dav", address, e)
        sign_ins.record_attempt(self._engine, login, "dav", address, found)
        if found is None:
            events.sign_in_failed("dav", login, address)
            return ""
        access.remember_requester(found)  # the rules then need no query for it
        return found.login

    def _sleep_for_constant_exec_time(self, time_ns_begin: int) -> None:
        """No sleep in a worker thread: an unknown login already costs a password hash."""
