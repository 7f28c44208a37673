"""The options of a database URL that davshare reads itself instead of handing them to the
driver: ``prepare_threshold`` (psycopg's server-side prepared statements, which a
PgBouncer in transaction mode cannot keep: ``?prepare_threshold=none``)."""

from typing import Any

from sqlalchemy.engine import URL, make_url

from davshare.model.errors import InvalidInput

PREPARE_THRESHOLD = "prepare_threshold"


def split(url: str) -> tuple[URL, dict[str, Any]]:
    """(the URL to give SQLAlchemy, the driver's connect arguments) of ``url``."""
    parsed = make_url(url)
    if PREPARE_THRESHOLD not in parsed.query:
        return parsed, {}
    if parsed.get_backend_name() != "postgresql" or parsed.get_driver_name() != "psycopg":
        raise InvalidInput(
            f"[storage] database_url: {PREPARE_THRESHOLD} is an option of PostgreSQL through "
            "psycopg (postgresql+psycopg://...), not of this URL"
        )
    raw = parsed.query[PREPARE_THRESHOLD]
    value = (raw[-1] if isinstance(raw, tuple) else raw).strip().lower()
    if value in ("none", ""):
        threshold: int | None = None  # never prepare: what a transaction pool needs
    elif value.isdigit():
        threshold = int(value)
    else:
        raise InvalidInput(
            f"[storage] database_url: {PREPARE_THRESHOLD}={value} is neither 'none' (never "
            "prepare statements on the server: behind PgBouncer in transaction mode) nor a "
            "number of executions after which a statement is prepared"
        )
    plain = parsed.difference_update_query([PREPARE_THRESHOLD])
    return plain, {PREPARE_THRESHOLD: threshold}
