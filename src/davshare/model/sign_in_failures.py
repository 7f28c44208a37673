"""Failed sign-ins, counted per login, per client address and per (login, address) pair,
in the database (so across processes and hosts).

Guessing is slowed down by refusing early rather than by sleeping, and never so that an
attacker can lock the real user out:

- a **(login, address) pair** gets ``FREE_FAILURES`` failures free; each further one
  refuses that pair for ``delay`` seconds, doubling up to ``MAX_BLOCK``;
- an **address** gets ``FREE_FAILURES_PER_ADDRESS`` (many people may share one), then the
  same growing refusal up to ``MAX_ADDRESS_BLOCK``: one machine spraying many logins;
- a **login** is never refused: once it has ``LOGIN_UNDER_ATTACK`` failures from anywhere
  (many addresses guessing it), each pair of it gets only ``FREE_FAILURES_UNDER_ATTACK``
  free failures. The owner, from an address with no failures, still signs in.

A refusal answers 429 with ``Retry-After`` and checks no password; a refused try is not
counted. A successful sign-in clears its pair's count (not its address's).
"""

import time
from math import ceil
from typing import cast

from sqlalchemy import Engine, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from davshare.core import context, policy
from davshare.model import accounts
from davshare.model.db import read_transaction, write_transaction
from davshare.model.logins import normalize_login
from davshare.model.prepared import Prepared
from davshare.model.service_tables import sign_in_failures

FREE_FAILURES = 5
FREE_FAILURES_UNDER_ATTACK = 1
LOGIN_UNDER_ATTACK = 20
FREE_FAILURES_PER_ADDRESS = 50
MAX_BLOCK = 300
MAX_ADDRESS_BLOCK = 3600
# A key's count starts over after this many seconds without a failure.
FORGET_AFTER = 3600


# Built once: every request signed in asks it (the pair's and the address's keys).
_BLOCKS = Prepared(
    select(sign_in_failures.c.key, sign_in_failures.c.blocked_until).where(
        sign_in_failures.c.key.in_([bindparam("first"), bindparam("second")])
    )
)


def _keys(login: str, address: str) -> dict[str, str]:
    """The counted keys by kind: "pair" (refusable), "address" (refusable), "login" (never)."""
    login = normalize_login(login)
    keys = {"pair": f"pair:{login}|{address}", "login": f"login:{login}"} if login else {}
    return {**keys, **({"address": f"address:{address}"} if address else {})}


def check(engine: Engine, login: str, address: str) -> tuple[int, bool]:
    """Seconds until ``login`` from ``address`` may try again (0: now), and whether that
    pair has failures counted (a success then clears them)."""
    keys = _keys(login, address)
    refusable = [keys[kind] for kind in ("pair", "address") if kind in keys]
    if not refusable:
        return 0, False
    # Read once per request: the early refusal and the password check both ask.
    cache, cached = context.current().cache, ("sign_in_failures", *refusable)
    if cached not in cache:
        with read_transaction(engine) as conn:
            rows = _BLOCKS.rows(conn, {"first": refusable[0], "second": refusable[-1]})
        until = max((row.blocked_until for row in rows), default=0)
        cache[cached] = (until, any(row.key == keys.get("pair") for row in rows))
    until, known = cast(tuple[int, bool], cache[cached])
    return max(0, ceil(until - time.time())), known


def _forget() -> None:
    """Drop what ``check`` remembered for this request (the counts change)."""
    cache = context.current().cache
    for key in [k for k in cache if k[0] == "sign_in_failures"]:
        del cache[key]


def refusal_seconds(kind: str, failures: int, login_failures: int, delay: float) -> float:
    """Seconds a key of ``kind`` is refused after its ``failures``-th failure."""
    if kind == "login" or delay <= 0:
        return 0
    if kind == "address":
        free, longest = FREE_FAILURES_PER_ADDRESS, MAX_ADDRESS_BLOCK
    else:
        under_attack = login_failures >= LOGIN_UNDER_ATTACK
        free = FREE_FAILURES_UNDER_ATTACK if under_attack else FREE_FAILURES
        longest = MAX_BLOCK
    over = failures - free
    return 0 if over <= 0 else min(longest, delay * 2 ** min(over - 1, 30))


def _count(engine: Engine, keys: dict[str, str], delay: float) -> None:
    exact = time.time()
    now = int(exact)
    with write_transaction(engine) as conn:
        found = {
            row.key: row
            for row in conn.execute(
                select(sign_in_failures).where(sign_in_failures.c.key.in_(keys.values()))
            )
        }
        login_failures = 0
        for kind in sorted(keys, key=lambda k: k != "login"):  # the login's count first
            key, row = keys[kind], found.get(keys[kind])
            fresh = row is None or now - row.last_at > FORGET_AFTER
            failures = 1 if fresh else row.failures + 1  # type: ignore[union-attr]
            if kind == "login":
                login_failures = failures
            block = refusal_seconds(kind, failures, login_failures, delay)
            until = ceil(exact + block) if block else 0  # a whole ``block`` seconds at least
            values = {"failures": failures, "last_at": now, "blocked_until": until}
            if row is None:
                conn.execute(sign_in_failures.insert().values(key=key, **values))
            else:
                conn.execute(
                    update(sign_in_failures).where(sign_in_failures.c.key == key).values(**values)
                )


def failed(engine: Engine, login: str, address: str, delay: float) -> None:
    """Count a failed sign-in of ``login`` from ``address``."""
    _forget()
    try:
        _count(engine, _keys(login, address), delay)
    except IntegrityError:  # another process counted a new key at the same moment
        _count(engine, _keys(login, address), delay)


def succeeded(engine: Engine, login: str, address: str) -> None:
    """Forget the failures of ``login`` from ``address`` (not its address's, nor its login's)."""
    _forget()
    key = _keys(login, address)["pair"]
    with write_transaction(engine) as conn:
        conn.execute(delete(sign_in_failures).where(sign_in_failures.c.key == key))


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
        succeeded(engine, login, address)
    return found, 0


def message(wait: int) -> str:
    """What a person is told while sign-ins are refused."""
    return (
        f"Too many failed sign-ins from this address: try again in {wait} seconds, "
        "with the right password."
    )
