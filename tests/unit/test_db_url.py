"""The network timeouts every PostgreSQL connection gets unless its URL sets them (issue
18: a database host that vanishes is noticed in seconds, not TCP's minutes)."""

import pytest

from davshare.model import db_url
from davshare.model.errors import InvalidInput

MULTI = "postgresql+psycopg://u@/db?host=10.0.1.1:5432&host=10.0.1.2:5432"


def test_postgresql_connections_get_the_timeouts():
    url, connect_args = db_url.split(MULTI + "&target_session_attrs=read-write")
    assert connect_args == db_url.NETWORK_DEFAULTS
    assert url.query["target_session_attrs"] == "read-write"  # the driver's own, untouched


def test_what_the_url_sets_is_kept_and_not_overridden():
    url, connect_args = db_url.split(MULTI + "&tcp_user_timeout=30000&prepare_threshold=none")
    assert "tcp_user_timeout" not in connect_args  # the URL's 30000 reaches the driver
    assert url.query["tcp_user_timeout"] == "30000"
    assert connect_args["prepare_threshold"] is None
    assert connect_args["connect_timeout"] == "5"


def test_sqlite_gets_none_and_a_bad_option_is_refused():
    assert db_url.split("sqlite:////tmp/x.sqlite3")[1] == {}
    with pytest.raises(InvalidInput, match="prepare_threshold"):
        db_url.split("sqlite:////tmp/x.sqlite3?prepare_threshold=none")
