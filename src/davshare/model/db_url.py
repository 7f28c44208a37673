"""The options of a database URL that davshare reads itself instead of handing them to the
driver: ``prepare_threshold`` (psycopg's server-side prepared statements, which a
PgBouncer in transaction mode cannot keep: ``?prepare_threshold=none``); and the network
timeouts every PostgreSQL connection gets unless the URL sets its own, so that a database
host that vanishes (killed, failed over, cut off by the network) is noticed within seconds
and answered with 503 instead of a request hanging on a socket for TCP's many minutes."""

from typing import Any

from sqlalchemy.engine import URL, make_url

from davshare.model.errors import InvalidInput

PREPARE_THRESHOLD = "prepare_threshold"

# libpq's connection parameters (they hold for psycopg and psycopg2): each host of a
# multi-host URL gets ``connect_timeout`` seconds; an idle connection is probed after 10 s
# and given up after 3 unanswered probes 3 s apart; data sent and not acknowledged for
# 10 s (a host whose route is gone) ends the connection.
NETWORK_DEFAULTS = {
    "connect_timeout": "5",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "3",
    "keepalives_count": "3",
    "tcp_user_timeout": "10000",
}


def split(url: str) -> tuple[URL, dict[str, Any]]:
    """(the URL to give SQLAlchemy, the driver's connect arguments) of ``url``."""
    parsed = make_url(url)
    defaults = _network_defaults(parsed)
    if PREPARE_THRESHOLD not in parsed.query:
        return parsed, defaults
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
    return plain, {**defaults, PREPARE_THRESHOLD: threshold}


def _network_defaults(parsed: URL) -> dict[str, Any]:
    """``NETWORK_DEFAULTS`` less what the URL sets itself, for PostgreSQL (none for SQLite)."""
    if parsed.get_backend_name() != "postgresql":
        return {}
    return {k: v for k, v in NETWORK_DEFAULTS.items() if k not in parsed.query}
