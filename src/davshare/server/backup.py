"""``davshare backup`` and ``restore``: a consistent copy while the server runs and writes.

SQLite: SQLite's online backup API (a snapshot of one moment, never a file copy that a
writer could tear). PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``, from the
PostgreSQL client tools, which must be installed (same major version as the server or newer).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from davshare.model.db import new_engine, upgrade_schema
from davshare.model.errors import InvalidInput
from davshare.server import database
from davshare.server.config import Settings

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _sqlite_path(settings: Settings) -> Path:
    return Path(make_url(settings.database_url).database or "")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InvalidInput(
            f"{name} is not installed: install PostgreSQL's client tools (Debian: "
            "apt-get install postgresql-client) of the server's major version or newer"
        )
    return found


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """pg_dump's connection options for ``url``; the password goes in the environment."""
    options = ["--dbname", url.database or ""]
    for flag, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            options += [flag, str(value)]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return options, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise InvalidInput(f"{what} failed: {reason}")


def backup(settings: Settings, target: Path) -> str:
    """Write a consistent copy of the configured database to ``target``; says what it did."""
    if target.exists():
        raise InvalidInput(f"{target} exists already: choose a new file (backups never overwrite)")
    database.open_existing(settings)
    if settings.database_url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(settings))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        options, env = _libpq(make_url(settings.database_url))
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
        _run([*command, *options], env, "pg_dump")
    size = target.stat().st_size
    return f"backup of {database.masked(settings.database_url)} written to {target} ({size} bytes)"


def restore(settings: Settings, source: Path) -> str:
    """Restore ``source`` (a backup file) into the configured database, which must be empty."""
    try:
        head = source.read_bytes()[:16]
    except OSError as e:
        raise InvalidInput(f"cannot read the backup {source}: {e.strerror}") from None
    if database.exists(settings):
        raise InvalidInput(
            f"{database.masked(settings.database_url)} holds a davshare database already: "
            "restore into an empty data folder or database (point to it with --config)"
        )
    if settings.database_url.startswith("sqlite"):
        if not head.startswith(SQLITE_MAGIC):
            raise InvalidInput(f"{source} is not a backup of a SQLite database")
        database.open_or_create_folder(settings)
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        restored = sqlite3.connect(_sqlite_path(settings))
        try:
            with restored:
                backup_db.backup(restored)
        finally:
            restored.close()
            backup_db.close()
    else:
        if not head.startswith(PG_MAGIC):
            raise InvalidInput(f"{source} is not a pg_dump backup (davshare backup on PostgreSQL)")
        _check_empty(settings)
        options, env = _libpq(make_url(settings.database_url))
        command = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
        _run([*command, *options, str(source)], env, "pg_restore")
    engine = new_engine(settings.database_url)
    try:
        upgrade_schema(engine)  # a backup of an older davshare comes up to date
    finally:
        engine.dispose()
    return f"{source} restored into {database.masked(settings.database_url)}"


def _check_empty(settings: Settings) -> None:
    engine = new_engine(settings.database_url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise InvalidInput(
            f"{database.masked(settings.database_url)} is not empty ({len(tables)} tables): "
            "restore into a new, empty database"
        )
