"""App passwords (issue 15): a password of its own for each device, revoked one by one.

The server makes them (``xxxx-xxxx-xxxx-xxxx-xxxx-xxxx``: 6 groups of 4 readable
characters, about 99 bits after the first group), shows them once and keeps an argon2
hash. The first group is a public id that finds the one row to check, so a sign-in costs
one hash (and none once ``core.passwords`` has remembered it). They sign in to DAV and
to the API's Basic auth, never to the web pages; deleting the row ends them at the next
request. ``configure`` holds the server's options: app passwords only for DAV, and two
factors required of server admins.
"""

import re
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, select, update

from davshare.core import passwords, policy
from davshare.model import two_factors
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import AlreadyExists, DavshareError, InvalidInput, NotFound
from davshare.model.logins import normalize_login
from davshare.model.security_tables import app_passwords
from davshare.model.tables import users

GROUPS = 6
MAX_NAME = 100
MAX_PER_ACCOUNT = 50
# Last use is written at most once a minute per app password (not at every DAV request).
USE_PRECISION = 60
# The doors app passwords open: DAV clients and the API's Basic auth.
DOORS = ("dav", "api")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Options:
    """The server's options on app passwords and two factors ([auth] of the settings)."""

    dav_needs_app_passwords: bool = False
    admins_need_two_factors: bool = False


_options = Options()


def configure(options: Options) -> None:
    """Apply the server's settings (called once at start-up)."""
    global _options
    _options = options


def options() -> Options:
    """The server's options."""
    return _options


class AppPasswordRequired(DavshareError):
    """The account's own password was right but may not be used through this door."""

    code = "app_password_required"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        why = {
            "two_factors": "two-factor sign-in is on for this account, so calendar and "
            "contacts apps and API scripts sign in with app passwords only",
            "dav_needs_app_passwords": "this server takes app passwords only from calendar "
            "and contacts apps",
        }[reason]
        super().__init__(
            f"{why}: create an app password for this device on the web pages (Profile → "
            "Sign-in and devices) and use it instead of your account's password"
        )


@dataclass(frozen=True)
class AppPassword:
    """One app password as its owner sees it (never the password)."""

    id: str
    name: str
    created_at: int
    last_used_at: int | None
    last_used_from: str


@dataclass(frozen=True)
class Checked:
    """An app password found for a sign-in: the account (None: refused)."""

    requester: policy.Requester | None


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or _CONTROL.search(name):
        raise InvalidInput(
            f"give the device a name of 1 to {MAX_NAME} characters, e.g. Phone or "
            "Thunderbird at work"
        )
    return name


def create(engine: Engine, login: str, name: str) -> tuple[AppPassword, str]:
    """A new app password of ``login`` named ``name``: its listing and the password,
    which is shown now and never again."""
    login, name = normalize_login(login), _check_name(name)
    with write_transaction(engine) as conn:
        if conn.scalar(select(users.c.id).where(users.c.login == login)) is None:
            raise NotFound(f"no account {login}")
        mine = app_passwords.c.login == login
        same = func.lower(app_passwords.c.name) == name.lower()  # Phone and phone: one device
        if conn.scalar(select(app_passwords.c.id).where(mine, same)):
            raise AlreadyExists(f"an app password named {name!r} exists already: pick another name")
        if (conn.scalar(select(func.count()).where(mine)) or 0) >= MAX_PER_ACCOUNT:
            raise InvalidInput(
                f"an account has at most {MAX_PER_ACCOUNT} app passwords: revoke unused ones"
            )
        taken = set(conn.scalars(select(app_passwords.c.public_id).where(mine)))
        password = passwords.readable_secret(GROUPS)
        while password[: passwords.GROUP] in taken:
            password = passwords.readable_secret(GROUPS)
        public_id, secret = passwords.readable_parts(password, GROUPS) or ("", "")
        now = int(time.time())
        conn.execute(
            app_passwords.insert().values(
                login=login,
                public_id=public_id,
                name=name,
                password_hash=passwords.hash_password(secret),
                created_at=now,
            )
        )
    return AppPassword(public_id, name, now, None, ""), password


def list_for(engine: Engine, login: str) -> list[AppPassword]:
    """The app passwords of ``login``, oldest first."""
    query = (
        select(app_passwords)
        .where(app_passwords.c.login == normalize_login(login))
        .order_by(app_passwords.c.created_at, app_passwords.c.id)
    )
    with read_transaction(engine) as conn:
        return [
            AppPassword(r.public_id, r.name, r.created_at, r.last_used_at, r.last_used_from)
            for r in conn.execute(query)
        ]


def revoke(engine: Engine, login: str, public_id: str) -> None:
    """End one app password of ``login``: the next request that sends it is refused."""
    with write_transaction(engine) as conn:
        gone = conn.execute(
            delete(app_passwords).where(
                app_passwords.c.login == normalize_login(login),
                app_passwords.c.public_id == public_id.lower(),
            )
        )
    if gone.rowcount == 0:
        raise NotFound(f"no app password {public_id!r} for this account")


def sign_in(engine: Engine, login: str, password: str, door: str, address: str) -> Checked | None:
    """Check ``password`` as an app password of ``login`` through ``door``: None when it
    is not one (the account's password is then checked), else whether it signs in."""
    parts = passwords.readable_parts(password, GROUPS) if door in DOORS else None
    if parts is None:
        return None
    query = (
        select(app_passwords, users.c.disabled, users.c.profile, users.c.is_server_admin)
        .join(users, users.c.login == app_passwords.c.login)
        .where(app_passwords.c.login == login, app_passwords.c.public_id == parts[0])
    )
    with read_transaction(engine) as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    if not passwords.verify_password(f"app:{row.id}", parts[1], row.password_hash):
        return Checked(None)
    if row.disabled:
        return Checked(None)
    _note_use(engine, row.id, row.last_used_at, address)
    found = policy.Requester(login, row.profile, row.is_server_admin, via_app_password=row.name)
    return Checked(found)


_written: dict[int, int] = {}
_written_lock = threading.Lock()


def _note_use(engine: Engine, row_id: int, last_used_at: int | None, address: str) -> None:
    """Write the last use, once a minute at most (a DAV client sends the password each time)."""
    now = int(time.time())
    with _written_lock:
        if now - max(last_used_at or 0, _written.get(row_id, 0)) < USE_PRECISION:
            return
        if len(_written) > 10_000:
            _written.clear()
        _written[row_id] = now
    with write_transaction(engine) as conn:
        conn.execute(
            update(app_passwords)
            .where(app_passwords.c.id == row_id)
            .values(last_used_at=now, last_used_from=address[:64])
        )


def refuse_account_password(
    engine: Engine, login: str, door: str, two_factors_on: bool | None = None
) -> None:
    """Raise ``AppPasswordRequired`` when the account's own (right) password may not sign
    ``login`` in through ``door`` (``two_factors_on``: read with the account, else here)."""
    if door not in DOORS:
        return
    on = two_factors.is_on(engine, login) if two_factors_on is None else two_factors_on
    reason = policy.account_password_refusal(door, on, _options.dav_needs_app_passwords)
    if reason:
        raise AppPasswordRequired(reason)
