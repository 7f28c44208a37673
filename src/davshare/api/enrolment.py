"""A server admin's web session before two factors are on, when the server requires them
(``[auth] admins_need_two_factors``): only enrolling (and reading who is signed in) works."""

from http import HTTPStatus

from sqlalchemy import Engine, select
from werkzeug.wrappers import Request, Response

from davshare.api import PREFIX
from davshare.api.responses import error_response
from davshare.model import app_passwords, two_factors
from davshare.model.db import read_transaction
from davshare.model.tables import users

# What such a session may still call: the account itself and its two factors.
ALLOWED = ("/me", "/me/two-factors", "/me/two-factors/confirm")


def needed(engine: Engine, login: str) -> bool:
    """Whether ``login`` must turn two factors on before using the web pages."""
    if not login or not app_passwords.options().admins_need_two_factors:
        return False
    with read_transaction(engine) as conn:
        admin = conn.scalar(select(users.c.is_server_admin).where(users.c.login == login))
    return bool(admin) and not two_factors.is_on(engine, login)


def refused(engine: Engine, login: str, request: Request) -> Response | None:
    """403 for a call of such a session outside ``ALLOWED`` (None: it may go on)."""
    if request.path.rstrip("/").removeprefix(PREFIX) in ALLOWED or not needed(engine, login):
        return None
    return error_response(
        HTTPStatus.FORBIDDEN,
        "two_factors_required",
        "this server requires two-factor sign-in of server admins: turn it on first "
        "(Profile → Sign-in and devices)",
    )
