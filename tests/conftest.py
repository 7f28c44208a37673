"""Fixtures: real davshare servers on SQLite and on a throwaway PostgreSQL cluster."""

import os
from collections.abc import Iterator

import pytest

from tests.support import scratch
from tests.support.postgres import PostgresCluster, find_bin_dir
from tests.support.server import Server

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One PostgreSQL cluster for the whole run (each server gets its own database)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are missing: .ci/run must install them")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    yield cluster
    cluster.stop()


def database_url(request: pytest.FixtureRequest, backend: str) -> str | None:
    """None for SQLite (the server's default), or a new PostgreSQL database."""
    if backend == "sqlite":
        return None
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database()


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A running server, once per module and backend; tests make their own accounts."""
    instance = Server(database_url(request, request.param)).start()
    yield instance
    instance.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files holding a slow test first, each file's tests together.

    Spread over workers (``scripts/test`` runs pytest-xdist, a file per worker), the
    longest files then start at once instead of finishing last on one worker.
    """
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(scope="session", autouse=True)
def _scratch() -> Iterator[None]:
    """Every server process and folder the helpers made is gone when the run ends."""
    yield
    scratch.clean_up()
