"""davshare's configuration: one commented INI file, every option with a default.

``config/davshare.conf`` in the source tree documents each option; this module
holds the defaults and turns the settings into Radicale's configuration.
"""

import configparser
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radicale import config as radicale_config

from davshare.model.defaults import PREDEFINED_COLLECTIONS
from davshare.model.errors import InvalidInput

# section -> option -> (default, one-line explanation)
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "server": {
        "host": ("127.0.0.1", "address to listen on (0.0.0.0 for every interface)"),
        "port": ("5232", "TCP port to listen on"),
        "threads": ("8", "requests served at once by the WSGI server"),
        "max_body_size": ("10000000", "largest request body accepted, in bytes (413 beyond)"),
    },
    "storage": {
        "data_dir": ("davshare-data", "directory of the SQLite database (created on first start)"),
        "database_url": (
            "",
            "SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db; empty: SQLite in data_dir",
        ),
    },
    "auth": {
        "delay": ("1", "seconds a failed login waits before its answer (slows down guessing)"),
        "realm": ("davshare", "the name clients show when they ask for a password"),
    },
    "logging": {
        "level": ("info", "debug, info, warning or error"),
    },
}


@dataclass(frozen=True)
class Settings:
    """The settings of one server."""

    host: str
    port: int
    threads: int
    max_body_size: int
    data_dir: Path
    database_url: str
    auth_delay: float
    realm: str
    log_level: str


def _read(path: Path | None) -> dict[str, dict[str, str]]:
    values = {
        section: {k: v[0] for k, v in options.items()} for section, options in OPTIONS.items()
    }
    if path is None:
        return values
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except (OSError, configparser.Error) as e:
        raise InvalidInput(f"cannot read the configuration {path}: {e}") from e
    for section in parser.sections():
        if section not in OPTIONS:
            raise InvalidInput(f"{path}: unknown section [{section}] (known: {', '.join(OPTIONS)})")
        for option, value in parser[section].items():
            if option not in OPTIONS[section]:
                raise InvalidInput(f"{path}: unknown option {option!r} in [{section}]")
            values[section][option] = value
    return values


def _number(values: dict[str, dict[str, str]], section: str, option: str, kind: type) -> Any:
    raw = values[section][option]
    try:
        return kind(raw)
    except ValueError:
        raise InvalidInput(f"[{section}] {option} must be a number, not {raw!r}") from None


def load(path: Path | None = None, **overrides: Any) -> Settings:
    """The settings from ``path`` (or the defaults), with ``overrides`` from the command line."""
    values = _read(path)
    base = path.parent if path else Path.cwd()
    data_dir = (base / values["storage"]["data_dir"]).resolve()
    database_url = values["storage"]["database_url"] or f"sqlite:///{data_dir / 'davshare.sqlite3'}"
    settings = Settings(
        host=values["server"]["host"],
        port=_number(values, "server", "port", int),
        threads=_number(values, "server", "threads", int),
        max_body_size=_number(values, "server", "max_body_size", int),
        data_dir=data_dir,
        database_url=database_url,
        auth_delay=_number(values, "auth", "delay", float),
        realm=values["auth"]["realm"],
        log_level=values["logging"]["level"],
    )
    return Settings(
        **{**settings.__dict__, **{k: v for k, v in overrides.items() if v is not None}}
    )


def radicale_configuration(settings: Settings) -> radicale_config.Configuration:
    """Radicale's configuration for davshare's plugins and these settings."""
    configuration = radicale_config.load()
    configuration.update(
        {
            "server": {
                "max_content_length": str(settings.max_body_size),
                "max_resource_size": str(int(settings.max_body_size * 0.8)),
            },
            "auth": {
                "type": "davshare_plugins.auth",
                "delay": str(settings.auth_delay),
                "realm": settings.realm,
                "lc_username": "True",
            },
            "rights": {"type": "davshare_plugins.rights"},
            "storage": {
                "type": "davshare_plugins.storage",
                "database_url": settings.database_url,
                "predefined_collections": json.dumps(PREDEFINED_COLLECTIONS),
            },
            "web": {"type": "none"},
            "logging": {"level": settings.log_level, "mask_passwords": "True"},
        },
        "davshare settings",
    )
    return configuration
