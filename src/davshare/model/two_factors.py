"""Two-factor sign-in for the web pages (issue 15): TOTP codes (RFC 6238, ``pyotp``)
and recovery codes.

Enrolment: ``begin`` keeps a new secret, pending until ``confirm`` gets a right code
from the authenticator app; ``confirm`` then answers ten recovery codes, shown once and
kept hashed (argon2; each starts with a public id that finds its row). A code is
accepted once (its time step is remembered); after ``FREE_CODES`` wrong codes in a row
the account's codes are refused for a while, doubling up to an hour, whatever address
they come from. The secret itself is kept as is: the server needs it to compute codes.
"""

import datetime
import hmac
import time
from dataclasses import dataclass
from typing import Any

import pyotp
from sqlalchemy import Connection, Engine, delete, func, select, update

from davshare.core import passwords
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import InvalidInput, StateConflict
from davshare.model.logins import normalize_login
from davshare.model.security_tables import recovery_codes, two_factors

RECOVERY_CODES = 10
RECOVERY_GROUPS = 3
FREE_CODES = 5
MAX_BLOCK = 3600
STEP = 30
ON = "two_factors_on"  # the code of the conflicts "already on"


@dataclass(frozen=True)
class Status:
    """Whether two factors are on, an enrolment waits for its code, codes left."""

    enabled: bool
    pending: bool
    recovery_codes_left: int


@dataclass(frozen=True)
class Verified:
    """The outcome of a code: accepted, or the seconds codes are refused for (0: wrong)."""

    ok: bool
    wait: int = 0
    detail: str = ""


def is_on(engine: Engine, login: str) -> bool:
    """Whether ``login`` has two factors on."""
    with read_transaction(engine) as conn:
        return bool(conn.scalar(select(on_for(normalize_login(login)))))


def on_for(login: Any) -> Any:
    """The SQL expression of whether ``login`` (a value or a column) has two factors on."""
    return (
        select(two_factors.c.login)
        .where(two_factors.c.login == login, two_factors.c.confirmed_at.is_not(None))
        .exists()
    )


def status(engine: Engine, login: str) -> Status:
    """The state of ``login``'s two factors."""
    login = normalize_login(login)
    with read_transaction(engine) as conn:
        row = conn.execute(select(two_factors).where(two_factors.c.login == login)).first()
        left = conn.scalar(
            select(func.count()).where(
                recovery_codes.c.login == login, recovery_codes.c.used_at.is_(None)
            )
        )
    enabled = row is not None and row.confirmed_at is not None
    return Status(enabled, row is not None and not enabled, int(left or 0) if enabled else 0)


def begin(engine: Engine, login: str, issuer: str) -> tuple[str, str]:
    """Start an enrolment: the new secret and the ``otpauth://`` URI its QR code holds."""
    login = normalize_login(login)
    secret = pyotp.random_base32()
    with write_transaction(engine) as conn:
        row = conn.execute(select(two_factors).where(two_factors.c.login == login)).first()
        if row is not None and row.confirmed_at is not None:
            raise StateConflict(
                "two-factor sign-in is on already: turn it off first", "two_factors_on"
            )
        conn.execute(delete(two_factors).where(two_factors.c.login == login))
        conn.execute(two_factors.insert().values(login=login, secret=secret))
    return secret, pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=issuer)


def confirm(engine: Engine, login: str, code: str) -> list[str]:
    """Turn two factors on with a first right code; answers the recovery codes."""
    login = normalize_login(login)
    with read_transaction(engine) as conn:
        row = conn.execute(select(two_factors).where(two_factors.c.login == login)).first()
    if row is None or row.confirmed_at is not None:
        if row is None:
            raise StateConflict(
                "no two-factor enrolment waits for a code: start one", "no_enrolment"
            )
        raise StateConflict("two-factor sign-in is on already", ON)
    step = _step_of(row.secret, code, 0)
    if step is None:
        raise InvalidInput(
            "this code is not the one your authenticator app shows now: check the phone's "
            "time and type the 6 digits again"
        )
    codes = [passwords.readable_secret(RECOVERY_GROUPS) for _ in range(RECOVERY_CODES)]
    with write_transaction(engine) as conn:
        conn.execute(
            update(two_factors)
            .where(two_factors.c.login == login)
            .values(confirmed_at=int(time.time()), last_step=step)
        )
        _store_recovery_codes(conn, login, codes)
    return codes


def _store_recovery_codes(conn: Connection, login: str, codes: list[str]) -> None:
    conn.execute(delete(recovery_codes).where(recovery_codes.c.login == login))
    for code in codes:
        public_id, secret = passwords.readable_parts(code, RECOVERY_GROUPS) or ("", "")
        conn.execute(
            recovery_codes.insert().values(
                login=login, public_id=public_id, code_hash=passwords.hash_password(secret)
            )
        )


def _step_of(secret: str, code: str, last_step: int) -> int | None:
    """The time step ``code`` is right for (this one or a neighbour: clocks drift), if
    after ``last_step``; else None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp, now = pyotp.TOTP(secret), time.time()
    for offset in (0, -1, 1):
        at = now + offset * STEP
        step = totp.timecode(datetime.datetime.fromtimestamp(at, tz=datetime.UTC))
        if step > last_step and hmac.compare_digest(totp.at(at), code):
            return int(step)
    return None


def verify(engine: Engine, login: str, code: str) -> Verified:
    """Check a second factor of ``login``: a TOTP code or an unused recovery code."""
    login, now = normalize_login(login), int(time.time())
    with read_transaction(engine) as conn:
        row = conn.execute(select(two_factors).where(two_factors.c.login == login)).first()
    if row is None or row.confirmed_at is None:
        return Verified(True)
    if row.blocked_until > now:
        return Verified(False, row.blocked_until - now)
    step = _step_of(row.secret, code, row.last_step)
    detail = "" if step is not None else _use_recovery_code(engine, login, code)
    with write_transaction(engine) as conn:
        mine = two_factors.c.login == login
        if step is not None or detail:
            values = {"failures": 0, "blocked_until": 0}
            if step is not None:  # at most once: a concurrent use of the same code loses
                mine = mine & (two_factors.c.last_step < step)
                values["last_step"] = step
            if conn.execute(update(two_factors).where(mine).values(values)).rowcount:
                return Verified(True, 0, detail)
            return Verified(False)
        failures = row.failures + 1
        over = failures - FREE_CODES
        block = min(MAX_BLOCK, STEP * 2 ** (over - 1)) if over > 0 else 0
        conn.execute(
            update(two_factors).where(mine).values(failures=failures, blocked_until=now + block)
        )
    return Verified(False, block)


def _use_recovery_code(engine: Engine, login: str, code: str) -> str:
    """ "recovery code" when ``code`` is an unused recovery code of ``login`` (then used)."""
    parts = passwords.readable_parts(code, RECOVERY_GROUPS)
    if parts is None:
        return ""
    unused = (
        recovery_codes.c.login == login,
        recovery_codes.c.public_id == parts[0],
        recovery_codes.c.used_at.is_(None),
    )
    with read_transaction(engine) as conn:
        row = conn.execute(select(recovery_codes).where(*unused)).first()
    if row is None or not passwords.verify_password(f"recovery:{row.id}", parts[1], row.code_hash):
        return ""
    with write_transaction(engine) as conn:
        used = conn.execute(
            update(recovery_codes)
            .where(recovery_codes.c.id == row.id, recovery_codes.c.used_at.is_(None))
            .values(used_at=int(time.time()))
        )
    return "recovery code" if used.rowcount else ""


def turn_off(engine: Engine, login: str, code: str) -> Verified:
    """Turn two factors off, with a current code or a recovery code (or cancel an enrolment)."""
    login = normalize_login(login)
    current = status(engine, login)
    if current.enabled:
        if not code.strip():
            raise InvalidInput("give a current code (or a recovery code) to turn it off")
        checked = verify(engine, login, code)
        if not checked.ok:
            return checked
    elif not current.pending:
        raise StateConflict("two-factor sign-in is off already", "two_factors_off")
    with write_transaction(engine) as conn:
        conn.execute(delete(two_factors).where(two_factors.c.login == login))
        conn.execute(delete(recovery_codes).where(recovery_codes.c.login == login))
    return Verified(True)


def reset(engine: Engine, login: str) -> None:
    """Turn two factors off without a code (the server admin, for a lost phone)."""
    login = normalize_login(login)
    with write_transaction(engine) as conn:
        gone = conn.execute(delete(two_factors).where(two_factors.c.login == login)).rowcount
        conn.execute(delete(recovery_codes).where(recovery_codes.c.login == login))
    if not gone:
        raise StateConflict(f"two-factor sign-in of {login} is off already", "two_factors_off")


def new_recovery_codes(engine: Engine, login: str, code: str) -> tuple[Verified, list[str]]:
    """Replace the recovery codes (the old ones stop working), with a current code."""
    login = normalize_login(login)
    if not is_on(engine, login):
        raise StateConflict("two-factor sign-in is off: turn it on first", "two_factors_off")
    checked = verify(engine, login, code)
    if not checked.ok:
        return checked, []
    codes = [passwords.readable_secret(RECOVERY_GROUPS) for _ in range(RECOVERY_CODES)]
    with write_transaction(engine) as conn:
        _store_recovery_codes(conn, login, codes)
    return checked, codes
