"""Opening the configured database the way an admin understands: a missing database, an
unreachable server or an unwritable data folder is one line naming the setting."""

import os
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from davshare.model import db_url
from davshare.model.db import engine_for, new_engine
from davshare.model.errors import InvalidInput
from davshare.server.config import CONFIG_VARIABLE, Settings


def masked(url: str) -> str:
    """The database URL with its password hidden, fit for a log or a terminal."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _where_from(settings: Settings) -> str:
    if settings.config_path is None:
        return "no configuration file, the built-in defaults in this folder"
    return f"configuration {settings.config_path}"


def _unreachable(settings: Settings, error: Exception) -> InvalidInput:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    password = make_url(settings.database_url).password
    if password:
        reason = reason.replace(str(password), "***")
    return InvalidInput(
        f"cannot reach the database {masked(settings.database_url)} ({reason}): check "
        "[storage] database_url and that the database server runs and accepts this account"
    )


def _check_url(settings: Settings) -> None:
    try:
        url = make_url(settings.database_url)
        url.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise InvalidInput(
            f"[storage] database_url {masked(settings.database_url)!r} is not supported: use "
            "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise InvalidInput(
            f"[storage] database_url: {url.get_backend_name()} is not supported, "
            "only SQLite and PostgreSQL"
        )
    db_url.split(settings.database_url)  # davshare's own options (prepare_threshold) read well


def _has_schema(settings: Settings) -> bool:
    path = _sqlite_file(settings.database_url) if _is_sqlite(settings) else None
    if _is_sqlite(settings) and (path is None or not path.is_file()):
        return False
    probe = new_engine(settings.database_url)
    try:
        return "alembic_version" in inspect(probe).get_table_names()
    except DBAPIError as e:
        raise _unreachable(settings, e) from None
    finally:
        probe.dispose()


def _is_sqlite(settings: Settings) -> bool:
    return settings.database_url.startswith("sqlite")


def open_or_create_folder(settings: Settings) -> None:
    """Make sure the SQLite database's folder exists and is writable (restore)."""
    _check_data_folder(settings)


def _check_data_folder(settings: Settings) -> None:
    path = _sqlite_file(settings.database_url)
    if path is None:
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InvalidInput(
            f"[storage] data_dir {folder} cannot be created ({e.strerror}): create it, "
            "or choose another folder"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InvalidInput(
            f"[storage] data_dir {folder} is not writable by this account: give it to the "
            "account the server runs as (chown), or choose another folder"
        )


def exists(settings: Settings) -> bool:
    """Whether the configured database holds davshare's tables (creates nothing)."""
    _check_url(settings)
    return _has_schema(settings)


def open_existing(settings: Settings) -> Engine:
    """The engine of a database that exists already; a clear error, and nothing created,
    when the configuration points at none."""
    if not exists(settings):
        raise InvalidInput(
            f"no davshare database at {masked(settings.database_url)} "
            f"({_where_from(settings)}): run `davshare init` to create one, or point to "
            f"yours with --config FILE or {CONFIG_VARIABLE}"
        )
    return _engine(settings)


def open_or_create(settings: Settings) -> Engine:
    """The engine of the configured database, created and upgraded if needed (init, serve)."""
    _check_url(settings)
    if _is_sqlite(settings):
        _check_data_folder(settings)
    return _engine(settings)


def _engine(settings: Settings) -> Engine:
    try:
        return engine_for(settings.database_url)
    except DBAPIError as e:
        raise _unreachable(settings, e) from None
