"""Failed sign-ins, counted per login and per client address in the database.

Guessing is slowed down by refusing early rather than by sleeping: the first
``FREE_FAILURES`` failures of a login (``FREE_FAILURES_PER_ADDRESS`` of a client
address, higher: many people may share one) cost nothing more; each further one
refuses that key for ``delay`` seconds, doubling up to ``MAX_BLOCK`` (the answer is
429 with ``Retry-After``, and no password is checked meanwhile). Held in the database, the
count holds across processes and hosts; a successful sign-in clears its login's count.
"""

import time
from math import ceil
from typing import cast

from sqlalchemy import Engine, delete, select, update

from davshare.core import context, policy
from davshare.model import accounts
from davshare.model.db import read_transaction, write_transaction
from davshare.model.logins import normalize_login
from davshare.model.service_tables import sign_in_failures

FREE_FAILURES = 5
FREE_FAILURES_PER_ADDRESS = 50
MAX_BLOCK = 300
# A key's count starts over after this many seconds without a failure.
FORGET_AFTER = 3600


def _keys(login: str, address: str) -> list[str]:
    keys = [f"login:{normalize_login(login)}"] if login else []
    return keys + ([f"address:{address}"] if address else [])


def check(engine: Engine, login: str, address: str) -> tuple[int, bool]:
    """Seconds until ``login`` from ``address`` may try again (0: now), and whether
    ``login`` has failures counted (a success then clears them)."""
    now = int(time.time())
    keys = _keys(login, address)
    # Read once per request: the early refusal and the password check both ask.
    cache, cached = context.current().cache, ("sign_in_failures", *keys)
    if cached not in cache:
        query = select(sign_in_failures.c.key, sign_in_failures.c.blocked_until).where(
            sign_in_failures.c.key.in_(keys)
        )
        with read_transaction(engine) as conn:
            rows = conn.execute(query).all()
        until = max((row.blocked_until for row in rows), default=0)
        cache[cached] = (until, any(row.key == keys[0] for row in rows))
    until, known = cast(tuple[int, bool], cache[cached])
    return max(0, until - now), known


def _forget() -> None:
    """Drop what ``check`` remembered for this request (the counts change)."""
    cache = context.current().cache
    for key in [k for k in cache if k[0] == "sign_in_failures"]:
        del cache[key]


def failed(engine: Engine, login: str, address: str, delay: float) -> None:
    """Count a failed sign-in of ``login`` from ``address``."""
    _forget()
    now = int(time.time())
    with write_transaction(engine) as conn:
        for key in _keys(login, address):
            row = conn.execute(select(sign_in_failures).where(sign_in_failures.c.key == key))
            found = row.first()
            fresh = found is None or now - found.last_at > FORGET_AFTER
            failures = 1 if fresh else found.failures + 1  # type: ignore[union-attr]
            free = FREE_FAILURES if key.startswith("login:") else FREE_FAILURES_PER_ADDRESS
            over = failures - free
            block = 0 if over <= 0 or delay <= 0 else min(MAX_BLOCK, delay * 2 ** (over - 1))
            values = {"failures": failures, "last_at": now, "blocked_until": now + ceil(block)}
            if found is None:
                conn.execute(sign_in_failures.insert().values(key=key, **values))
            else:
                conn.execute(
                    update(sign_in_failures).where(sign_in_failures.c.key == key).values(**values)
                )


def succeeded(engine: Engine, login: str) -> None:
    """Forget the failures of ``login`` (not those of its address)."""
    _forget()
    with write_transaction(engine) as conn:
        conn.execute(delete(sign_in_failures).where(sign_in_failures.c.key.in_(_keys(login, ""))))


def attempt(
    engine: Engine, login: str, password: str, address: str, delay: float, door: str = "web"
) -> tuple[policy.Requester | None, int]:
    """Sign ``login`` in from ``address`` through ``door`` ("dav", "api", "web"): the
    account (None: refused) and, when refused without checking the password because of
    earlier failures, the seconds to wait. A right account password that ``door`` does
    not take raises ``app_passwords.AppPasswordRequired`` (not counted as a failure)."""
    wait, known = check(engine, login, address)
    if wait:
        return None, wait
    found = accounts.sign_in(engine, login, password, door, address)
    if found is None:
        failed(engine, login, address, delay)
    elif known:
        succeeded(engine, login)
    return found, 0


def message(wait: int) -> str:
    """What a person is told while sign-ins are refused."""
    return (
        f"Too many failed sign-ins for this login or from this address: try again in {wait} "
        "seconds, with the right password."
    )
