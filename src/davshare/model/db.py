"""Database engines: one per URL and process, SQLite tuned for a server, schema upgrades."""

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import QueuePool

from davshare.core import context
from davshare.model import db_url

# What a request told the database is not answering is answered: 503, try again then.
OUTAGE_RETRY_AFTER = 5
OUTAGE_MESSAGE = (
    "The server's database is not answering (restarting, or out of reach): nothing was "
    "changed; try again in a few seconds."
)
_T = TypeVar("_T")
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()
# SQLite engine -> the lock its writers in this process queue on (see write_transaction).
_writer_locks: dict[Engine, threading.RLock] = {}


def engine_for(url: str) -> Engine:
    """The process's engine for ``url``, created (and its schema upgraded) on first use."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _create_engine(url)
            upgrade_schema(engine)
            _engines[url] = engine
        return engine


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot answer now (stopped, restarting, out of
    reach, every connection busy) rather than that the request was wrong."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, exc.OperationalError | exc.InterfaceError | exc.TimeoutError)


def note_outage(error: BaseException) -> None:
    """Remember on the running request that the database failed it with ``error``.

    Radicale catches every exception of its handlers and answers 500 itself (or 400 for
    some it wraps): the application turns that answer into 503 when this was noted.
    """
    request = context.active()
    if request is not None and not request.database_outage:
        said = str(error).strip().splitlines()
        request.database_outage = (said[0] if said else type(error).__name__)[:200]


def outage_explains(request: context.RequestContext, status: int) -> bool:
    """Whether an error answer (``status``) only reports the database failure noted on
    ``request`` (``note_outage``): the answer is then 503, not what Radicale said."""
    return bool(request.database_outage) and status >= 400


def _on_error(error: ExceptionContext) -> None:
    # A failed pre-ping only makes the pool reconnect: the request goes on as usual.
    if error.is_pre_ping:
        return
    if error.is_disconnect or (
        error.sqlalchemy_exception is not None and is_outage(error.sqlalchemy_exception)
    ):
        note_outage(error.original_exception)


def is_sqlite(engine: Engine | Connection) -> bool:
    """Whether ``engine`` talks to SQLite (which has no row locks, only one writer)."""
    return engine.dialect.name == "sqlite"


def new_engine(url: str, **options: Any) -> Engine:
    """A new engine for ``url`` with davshare's own URL options applied (``db_url``): what
    every engine of davshare is made with, the process's shared ones and short-lived probes."""
    target, connect_args = db_url.split(url)
    connect_args.update(options.pop("connect_args", {}))
    return create_engine(target, connect_args=connect_args, **options)


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = _create_sqlite_engine(url)
    else:
        engine = new_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True)
    event.listen(engine, "handle_error", _on_error)
    return engine


def _create_sqlite_engine(url: str) -> Engine:
    database = url.split("///", 1)[-1]
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = new_engine(
        url,
        poolclass=QueuePool,
        pool_size=8,
        max_overflow=8,
        connect_args={"check_same_thread": False, "timeout": 30},
    )
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    _writer_locks[engine] = threading.RLock()
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()
    # SQLite's own lower() knows ASCII only: "Élodie" would not match "élo". Python's
    # does as PostgreSQL does.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_on_begin(connection: Connection) -> None:
    # A write transaction takes SQLite's write lock at once, so two writers
    # queue on busy_timeout instead of failing on a lock upgrade.
    if connection.get_execution_options().get("immediate"):
        _begin_immediate(connection)
    else:  # a read never waits for a lock in WAL mode: straight to the driver, every request
        connection.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]


# SQLite's own busy handler sleeps 1, 2, 5, 10, … then 100 ms between tries for a lock:
# a writer queued behind another waits up to 100 ms more than it must, which is most of
# the slowest answers under concurrent writes. The first seconds are waited here in steps
# of WRITE_LOCK_STEP instead; then SQLite's own wait, with its error, as before.
WRITE_LOCK_STEP = 0.0005
WRITE_LOCK_QUICK_SECONDS = 5.0
BUSY_TIMEOUT_MS = 30000


def _begin_immediate(connection: Connection) -> None:
    raw = connection.connection.driver_connection
    assert raw is not None
    deadline = time.monotonic() + WRITE_LOCK_QUICK_SECONDS
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e):
                    break  # not a lock: said below, wrapped as SQLAlchemy wraps it
                time.sleep(WRITE_LOCK_STEP)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class _SharedReader:
    """The read connection and transaction a request shares among its reads."""

    def __init__(self, engine: Engine) -> None:
        self.connection = engine.connect()
        self.connection.begin()
        self.depth = 0  # read blocks running now
        self.stale = False  # the request wrote: close at the end of the running blocks

    def __enter__(self) -> "_SharedReader":
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            self.connection.close()  # rolls the read transaction back
        except exc.DBAPIError as e:
            # A read has nothing to lose: a dead connection (the pool drops it) must not
            # turn the request's answer, given already, into a 500 when the request ends.
            if not is_outage(e):
                raise
            note_outage(e)


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection with a transaction that only reads.

    Inside a request, its reads share one connection and transaction, opened at the
    first read and closed when the request ends or after it writes (so that what it
    reads next includes its own writes): a request pays for one BEGIN, not one a lookup.
    """
    request = context.active()
    if request is None:
        with engine.connect() as connection, connection.begin():
            yield connection
        return
    key = ("reader", engine)
    reader = request.held.get(key)
    if not isinstance(reader, _SharedReader):
        reader = _opened(lambda: _SharedReader(engine))
        request.held[key] = reader
    reader.depth += 1
    try:
        yield reader.connection
    except BaseException:
        reader.stale = True  # the transaction may be unusable after a failed statement
        raise
    finally:
        reader.depth -= 1
        if reader.stale and reader.depth == 0:
            request.release(key)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection with a transaction that writes, committed when the block ends."""
    request = context.active()
    reader = request.held.get(("reader", engine)) if request is not None else None
    if isinstance(reader, _SharedReader):
        reader.stale = True
        if reader.depth == 0 and request is not None:
            request.release(("reader", engine))
    with _writers_of(engine), _opened(engine.connect) as connection:
        connection = connection.execution_options(immediate=True)
        with connection.begin():
            yield connection


def _writers_of(engine: Engine) -> AbstractContextManager[Any]:
    """On SQLite, the lock this process's writers queue on (in turn, without SQLite's
    sleeps: only one of them asks SQLite for its write lock at a time); elsewhere none."""
    return _writer_locks.get(engine) or nullcontext()


def _opened(open_: Callable[[], _T]) -> _T:
    """``open_()``, noting on the request a pool that had no connection to give in time
    (not a database error, so the ``handle_error`` event never hears of it)."""
    try:
        return open_()
    except exc.TimeoutError as e:
        note_outage(e)
        raise


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates it in an empty database)."""
    from alembic import command

    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_is_current(engine: Engine) -> bool:
    """Whether the database has the tables of the newest migration."""
    return "alembic_version" in inspect(engine).get_table_names()


def alembic_config() -> Any:
    """The alembic configuration of the package's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "migrations"))
    return config


def forget_engines_after_fork() -> None:
    """In a forked worker: drop the parent's engines without closing its connections (they
    stay the parent's); the worker opens its own on first use."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose(close=False)
        _engines.clear()
