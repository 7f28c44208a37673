"""The few SELECTs every request runs, compiled once and run on the driver's cursor.

SQLAlchemy's ``Connection.execute`` costs about ten times the statement itself on
SQLite for a one-row lookup (cache key, execution context, result object): the sign-in
blocks, the account, the collection by path and the item by href run on every request.
A ``Prepared`` compiles its statement once per dialect, keeps the bind and result
processors SQLAlchemy would apply, and runs it on the DBAPI cursor of the request's
connection. A driver error goes through SQLAlchemy's own handling (events, disconnect
detection and invalidation, the wrapped exception ``db.is_outage`` knows), so a failure
looks exactly as it would through ``execute``.

Only fixed statements belong here: no expanding ``IN``, no per-call SQL.
"""

import threading
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect


class _Compiled:
    """One statement's SQL, parameter order and processors for one dialect."""

    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.positional = compiled.positional
        self.order = tuple(compiled.positiontup or ())
        self.bind: dict[str, Callable[[Any], Any]] = {
            name: cast(Callable[[Any], Any], process)
            for name, process in compiled._bind_processors.items()
            if process is not None and isinstance(name, str)
        }
        columns = list(statement.selected_columns)
        self.row: Any = namedtuple("row", [c.key for c in columns], rename=True)  # type: ignore[misc]
        self.result = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
        ]
        self.any_result = any(self.result)

    def parameters(self, values: Mapping[str, Any]) -> Any:
        converted = {
            name: (self.bind[name](value) if name in self.bind else value)
            for name, value in values.items()
        }
        return tuple(converted[name] for name in self.order) if self.positional else converted

    def rows(self, raw: Sequence[Any]) -> list[Any]:
        if not self.any_result:
            return [self.row(*values) for values in raw]
        return [
            self.row(*[p(v) if p else v for p, v in zip(self.result, values, strict=True)])
            for values in raw
        ]


class Prepared:
    """A fixed SELECT, run with ``rows(connection, params)`` (namedtuples, as Row gives)."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            with self._lock:
                found = self._by_dialect.setdefault(
                    dialect.name, _Compiled(self.statement, dialect)
                )
        return found

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Every row of the statement with ``params``, in ``connection``'s transaction."""
        compiled = self._compiled(connection.dialect)
        parameters = compiled.parameters(params)
        dbapi_connection = connection.connection
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(compiled.sql, parameters)
            raw = cursor.fetchall()
        except Exception as e:  # SQLAlchemy wraps it, fires handle_error, invalidates
            connection._handle_dbapi_exception(e, compiled.sql, parameters, cursor, None)
        finally:
            cursor.close()
        return compiled.rows(raw)

    def first(self, connection: Connection, params: Mapping[str, Any]) -> Any | None:
        """The first row, or None."""
        found = self.rows(connection, params)
        return found[0] if found else None
