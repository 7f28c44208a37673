"""Signing in through ``[auth] backends`` other than davshare's own passwords.

Which backend checks a login: the one its account is recorded with (``users.
sign_in_backend``) while that one is configured; otherwise the external backends in their
configured order, the first that accepts becoming the account's. A person a backend
accepts who has no account yet gets one in their domain if it is served (the profile and
plan of ``[auth] new_account_profile``/``new_account_plan``, no local password), else
``Refused`` saying so. A disabled account stays refused. A backend that cannot be asked
raises ``Unavailable`` (503) unless a later one accepts: never a sign-in by default.
"""

import logging
import re
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from davshare.core import policy
from davshare.model import account_rows
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import AlreadyExists, NotFound
from davshare.model.tables import users
from davshare.sign_in import backends
from davshare.sign_in.base import Identity, Refused, Unavailable, split_login

logger = logging.getLogger("davshare.sign_in")
# The local part davshare's logins allow (accounts.parse_login); the domain must be served.
_LOGIN = re.compile(r"[a-z0-9._+-]{1,64}@[a-z0-9.-]{1,253}")
NO_PASSWORD = "!"  # no local password opens an account a directory signs in
_COLUMNS = (
    users.c.login,
    users.c.disabled,
    users.c.profile,
    users.c.is_server_admin,
    users.c.sign_in_backend,
    users.c.display_name,
)


def checked_locally(row: Any) -> bool:
    """Whether the account of ``row`` (None: no account) is checked by its own password."""
    names = backends.options().backends
    if not backends.options().external:
        return True  # davshare's own accounts only: today's sign-in, unchanged
    return row is not None and row.sign_in_backend == "local" and "local" in names


def sign_in(engine: Engine, login: str, password: str, row: Any) -> policy.Requester | None:
    """The account ``login`` signs in as through an external backend (None: refused)."""
    configured = backends.options().backends
    recorded = row.sign_in_backend if row is not None else ""
    order = (recorded,) if recorded in configured else backends.options().external
    down: Unavailable | None = None
    for name in order:
        try:
            found = backends.verify(name, login, password)
        except Unavailable as e:
            logger.warning("sign-in of %r: %s (503 unless a later backend accepts)", login[:100], e)
            down = down or e
            continue
        if found is not None:
            return _account(engine, found, name)
    if down is not None:
        raise down
    return None


def _read(engine: Engine, login: str) -> Any:
    with read_transaction(engine) as conn:
        return conn.execute(select(*_COLUMNS).where(users.c.login == login)).first()


def _account(engine: Engine, person: Identity, backend: str) -> policy.Requester | None:
    """The account of ``person``, whom ``backend`` accepted: made at the first sign-in,
    its name kept as the directory says; None if it is disabled or another backend's."""
    row = _read(engine, person.login)
    if row is None:
        row = _create(engine, person, backend)
    if row.disabled:
        return None
    changes: dict[str, str] = {}
    if row.sign_in_backend != backend:
        if row.sign_in_backend in backends.options().backends:
            return None  # its own backend decides, not this one
        logger.info("%s now signs in through %s (was %s)", row.login, backend, row.sign_in_backend)
        changes["sign_in_backend"] = backend
    if person.display_name and person.display_name != row.display_name:
        changes["display_name"] = person.display_name
    if changes:
        with write_transaction(engine) as conn:
            conn.execute(update(users).where(users.c.login == row.login).values(**changes))
    return policy.Requester(login=row.login, profile=row.profile, server_admin=row.is_server_admin)


def _create(engine: Engine, person: Identity, backend: str) -> Any:
    """Create the account of ``person`` in their served domain, or ``Refused``."""
    settings = backends.options()
    domain = split_login(person.login)[1]
    if not _LOGIN.fullmatch(person.login):
        raise Refused(
            f"Your password is right, but {person.login[:100]!r} cannot be a login here: "
            "sign in with your mail address, name@domain."
        )
    try:
        with write_transaction(engine) as conn:
            account_rows.insert(
                conn,
                person.login,
                domain,
                NO_PASSWORD,
                display_name=person.display_name,
                profile=settings.profile,
                plan=settings.plan or None,
                sign_in_backend=backend,
            )
    except NotFound:
        logger.warning(
            "%s signed in through %s, but its domain %r is not served: refused (davshare "
            "domain add %s to let them in)",
            person.login,
            backend,
            domain,
            domain,
        )
        raise Refused(
            f"Your password is right, but this server does not serve {domain or 'your domain'}: "
            "ask your server admin to add the domain."
        ) from None
    except (
        AlreadyExists,
        IntegrityError,
    ):  # a second request created it at the same moment: use that one
        pass
    else:
        logger.info("created %s at its first sign-in through %s", person.login, backend)
    return _read(engine, person.login)
