"""The recent sign-ins each person sees (issue 15): when, from which address and client,
through which door (DAV, API, web), with which app password, and whether they succeeded.

Only accounts that exist get rows, the newest ``KEEP`` of each. A DAV client signs in
with every request: the same success (login, door, address, client, app password) is
written once per ``REPEAT_AFTER`` seconds of a process, not at every request.
"""

import logging
import re
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from davshare.core import context, policy
from davshare.model.db import read_transaction, write_transaction
from davshare.model.logins import normalize_login
from davshare.model.security_tables import sign_ins
from davshare.model.tables import users

logger = logging.getLogger("davshare.auth")
KEEP = 50
REPEAT_AFTER = 600
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
_seen: dict[tuple[str, ...], float] = {}
_seen_lock = threading.Lock()


@dataclass(frozen=True)
class SignIn:
    """One sign-in as its account's owner sees it."""

    at: int
    door: str
    address: str
    client: str
    success: bool
    detail: str


def _repeated(key: tuple[str, ...]) -> bool:
    now = time.monotonic()
    with _seen_lock:
        if now - _seen.get(key, -REPEAT_AFTER) < REPEAT_AFTER:
            return True
        if len(_seen) > 10_000:
            _seen.clear()
        _seen[key] = now
    return False


def detail_of(found: policy.Requester | None) -> str:
    """What a sign-in row tells of how ``found`` signed in."""
    if found is None or not found.via_app_password:
        return ""
    return f"app password {found.via_app_password}"


def record(
    engine: Engine,
    login: str,
    door: str,
    address: str,
    client: str,
    success: bool,
    detail: str = "",
) -> None:
    """Keep one sign-in of ``login`` (nothing when no such account exists)."""
    login = normalize_login(login)[:320]
    client = _UNSAFE.sub("?", client)[:200]
    key = (login, door, address, client, detail)
    if success and door != "web" and _repeated(key):
        return
    with write_transaction(engine) as conn:
        if conn.scalar(select(users.c.id).where(users.c.login == login)) is None:
            return
        conn.execute(
            sign_ins.insert().values(
                login=login,
                at=int(time.time()),
                door=door,
                address=address[:64],
                client=client,
                success=success,
                detail=detail[:120],
            )
        )
        oldest_kept = conn.scalar(
            select(sign_ins.c.id)
            .where(sign_ins.c.login == login)
            .order_by(sign_ins.c.id.desc())
            .offset(KEEP - 1)
            .limit(1)
        )
        if oldest_kept is not None:
            conn.execute(
                delete(sign_ins).where(sign_ins.c.login == login, sign_ins.c.id < oldest_kept)
            )


def recent(engine: Engine, login: str) -> list[SignIn]:
    """The recent sign-ins of ``login``, newest first."""
    query = (
        select(sign_ins)
        .where(sign_ins.c.login == normalize_login(login))
        .order_by(sign_ins.c.id.desc())
        .limit(KEEP)
    )
    with read_transaction(engine) as conn:
        return [
            SignIn(r.at, r.door, r.address, r.client, bool(r.success), r.detail)
            for r in conn.execute(query)
        ]


def record_attempt(
    engine: Engine,
    login: str,
    door: str,
    address: str,
    found: policy.Requester | None,
    client: str | None = None,
) -> None:
    """Keep a sign-in's outcome (``found``: the account, None: refused); ``client``: the
    User-Agent, by default the running request's."""
    agent = context.current().client if client is None else client
    record(engine, login, door, address, agent, found is not None, detail_of(found))


def record_refusal(
    engine: Engine, login: str, door: str, address: str, error: Exception, client: str | None = None
) -> str:
    """Keep a right account password refused through ``door`` (an app password is needed
    there), say why in the request's 401 and the log; answers "" (no one signed in)."""
    agent = context.current().client if client is None else client
    record(engine, login, door, address, agent, False, "app password required")
    context.current().sign_in_refusal = str(error)
    logger.info("sign-in refused: door=%s login=%r: %s", door, login[:100], error)
    return ""
