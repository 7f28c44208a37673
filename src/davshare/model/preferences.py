"""What an account chooses for the web pages: the time zone times are shown in."""

import zoneinfo

from sqlalchemy import Engine, select, update

from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import InvalidInput, NotFound
from davshare.model.tables import users


def valid_time_zone(name: str) -> str:
    """``name`` if it is an IANA time zone this server knows ("" too: the browser's)."""
    if name == "":
        return name
    if len(name) > 64 or name.startswith("/") or ".." in name:
        raise InvalidInput(f"time_zone: {name!r} is not a time zone; use one like Europe/Paris")
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"time_zone: {name!r} is not a time zone; use one like Europe/Paris"
        ) from None
    return name


def time_zone(engine: Engine, login: str) -> str:
    """The account's time zone for the web pages ("": the browser's)."""
    with read_transaction(engine) as conn:
        found = conn.scalar(select(users.c.time_zone).where(users.c.login == login))
    if found is None:
        raise NotFound(f"no account {login}")
    return str(found)


def set_time_zone(engine: Engine, login: str, name: str) -> str:
    """Choose the account's time zone ("": follow the browser's); returns it."""
    name = valid_time_zone(name.strip())
    with write_transaction(engine) as conn:
        conn.execute(update(users).where(users.c.login == login).values(time_zone=name))
    return name
