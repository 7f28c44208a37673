"""Prometheus metrics (prometheus-client): requests, latency, failed sign-ins, database
errors and the mail outbox. Under gunicorn every worker writes its counts to
``PROMETHEUS_MULTIPROC_DIR`` (set by the arbiter) and a scrape adds them up."""

import hmac
import ipaddress
import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError

from davshare.core import events
from davshare.model import inventory

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset(
    [
        "GET",
        "HEAD",
        "PUT",
        "POST",
        "DELETE",
        "PATCH",
        "OPTIONS",
        "PROPFIND",
        "PROPPATCH",
        "REPORT",
        "MKCOL",
        "MKCALENDAR",
        "MOVE",
        "COPY",
    ]
)

REQUESTS = Counter("davshare_requests", "Requests answered", ["method", "kind", "status"])
LATENCY = Histogram(
    "davshare_request_duration_seconds",
    "Time from a request's arrival to the end of its answer",
    ["method", "kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SIGN_IN_FAILURES = Counter("davshare_sign_in_failures", "Failed sign-ins", ["door"])
DATABASE_ERRORS = Counter("davshare_database_errors", "Errors raised by the database driver")


def _count_database_error(_context: object) -> None:
    DATABASE_ERRORS.inc()


event.listen(Engine, "handle_error", _count_database_error)
events.on_sign_in_failure(lambda door: SIGN_IN_FAILURES.labels(door).inc())


# The children of the two metrics by (method, kind, status): ``labels`` takes a lock and
# builds its key each time, twice a request. Bounded: METHODS and "other", the kinds of
# paths, the status codes the server answers.
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def record(method: str, kind: str, status: int, seconds: float) -> None:
    """Count one answered request."""
    method = method if method in METHODS else "other"
    found = _children.get((method, kind, status))
    if found is None:
        found = REQUESTS.labels(method, kind, str(status)), LATENCY.labels(method, kind)
        _children[(method, kind, status)] = found
    found[0].inc()
    found[1].observe(seconds)


class _Outbox(Collector):
    """The mail outbox's depth, read from the database at each scrape."""

    def __init__(self, engine: Engine, max_attempts: int) -> None:
        self.engine = engine
        self.max_attempts = max_attempts

    def collect(self):  # type: ignore[no-untyped-def]
        """The davshare_mail_outbox_messages gauge, by state."""
        try:
            box = inventory.outbox(self.engine, self.max_attempts)
        except SQLAlchemyError:  # the database is down: the other metrics still answer
            return
        gauge = GaugeMetricFamily(
            "davshare_mail_outbox_messages", "Messages in the mail outbox", labels=["state"]
        )
        gauge.add_metric(["waiting"], box.waiting)
        gauge.add_metric(["given_up"], box.given_up)
        yield gauge


class _Process(Collector):
    """This process's own metrics (one process: no multi-process directory)."""

    def collect(self):  # type: ignore[no-untyped-def]
        """Everything in the default registry."""
        yield from REGISTRY.collect()


def exposition(engine: Engine, max_attempts: int) -> bytes:
    """The metrics in Prometheus's text format, added up over every worker."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_VARIABLE):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Process())
    registry.register(_Outbox(engine, max_attempts))
    return generate_latest(registry)


def allowed(client: str, authorization: str, token: str, networks: tuple[str, ...]) -> bool:
    """Whether a scrape from ``client`` with this Authorization header may read them."""
    if token and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)
