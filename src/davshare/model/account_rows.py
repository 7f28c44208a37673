"""Writing a new account's row and home: the one insert that ``accounts.add_user`` and a
first sign-in through a directory (``sign_in_backends``) share."""

from sqlalchemy import Connection, select

from davshare.model import homes
from davshare.model.errors import AlreadyExists, NotFound
from davshare.model.tables import domains, users


def insert(conn: Connection, login: str, domain: str, password_hash: str, **values: object) -> None:
    """Create ``login`` (canonical) in ``domain``, which must be served, with its home;
    ``values``: the other columns (display_name, profile, is_server_admin, ...)."""
    domain_id = conn.scalar(select(domains.c.id).where(domains.c.name == domain))
    if domain_id is None:
        raise NotFound(
            f"domain {domain} is not served here: add it first (davshare domain add {domain})"
        )
    if conn.scalar(select(users.c.id).where(users.c.login == login)) is not None:
        raise AlreadyExists(f"account {login} exists already")
    conn.execute(
        users.insert().values(
            login=login, domain_id=domain_id, password_hash=password_hash, disabled=False, **values
        )
    )
    homes.create_home(conn, login)
