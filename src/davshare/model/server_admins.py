"""Server admins: promoting and demoting accounts, and the last one that must stay."""

from sqlalchemy import Connection, Engine, func, select, update

from davshare.core import policy
from davshare.model.db import write_transaction
from davshare.model.errors import InvalidInput, NotFound
from davshare.model.logins import normalize_login
from davshare.model.tables import users


def check_may_lose(conn: Connection, login: str) -> None:
    """Refuse to demote or delete ``login`` if it is the last enabled server admin."""
    is_admin = conn.scalar(select(users.c.is_server_admin).where(users.c.login == login))
    if not is_admin:
        return
    others = conn.scalar(
        select(func.count())
        .select_from(users)
        .where(users.c.is_server_admin, ~users.c.disabled, users.c.login != login)
    )
    if not policy.may_lose_server_admin(int(others or 0)):
        raise InvalidInput(
            f"{login} is the last server admin: promote another account first "
            "(davshare user promote LOGIN)"
        )


def set_server_admin(engine: Engine, login: str, server_admin: bool) -> bool:
    """Promote (True) or demote (False) ``login``; answers whether anything changed."""
    login = normalize_login(login)
    with write_transaction(engine) as conn:
        current = conn.execute(
            select(users.c.is_server_admin).where(users.c.login == login)
        ).first()
        if current is None:
            raise NotFound(f"no account {login}")
        if bool(current[0]) == server_admin:
            return False
        if not server_admin:
            check_may_lose(conn, login)
        conn.execute(
            update(users).where(users.c.login == login).values(is_server_admin=server_admin)
        )
    return True
