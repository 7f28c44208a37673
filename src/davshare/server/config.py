"""davshare's configuration: one commented INI file, every option with a default.

``config/davshare.conf`` in the source tree documents each option; this module
holds the defaults and turns the settings into Radicale's configuration.
"""

import configparser
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radicale import config as radicale_config

from davshare.mail.settings import MailSettings
from davshare.model.defaults import PREDEFINED_COLLECTIONS
from davshare.model.errors import InvalidInput

# section -> option -> (default, one-line explanation)
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "server": {
        "host": ("127.0.0.1", "address to listen on (0.0.0.0 for every interface)"),
        "port": ("5232", "TCP port to listen on"),
        "threads": ("8", "requests served at once by the WSGI server"),
        "max_body_size": ("10000000", "largest request body accepted, in bytes (413 beyond)"),
        "max_header_size": ("65536", "largest request line and headers, in bytes (431 beyond)"),
        "connection_limit": ("512", "connections held open at once (slow clients included)"),
        "channel_timeout": ("60", "seconds a connection may stay silent before it is closed"),
        "trusted_proxy": (
            "",
            "address of the TLS proxy in front, whose X-Forwarded-Proto/-Host/-For are believed",
        ),
    },
    "storage": {
        "data_dir": ("davshare-data", "directory of the SQLite database (created on first start)"),
        "database_url": (
            "",
            "SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db; empty: SQLite in data_dir",
        ),
    },
    "auth": {
        "delay": (
            "1",
            "seconds a login is refused (429) after 5 failures, doubling per failure up to 300",
        ),
        "realm": ("davshare", "the name clients show when they ask for a password"),
    },
    "logging": {
        "level": ("info", "debug, info, warning or error"),
    },
    "mail": {
        "host": (
            "",
            "SMTP server for invitations and join requests; empty: no mail, links in the CLI",
        ),
        "port": ("587", "SMTP port (587 with starttls, 465 with tls, 25 with none)"),
        "security": ("starttls", "starttls, tls or none"),
        "username": ("", "SMTP login; empty: send without logging in"),
        "password": ("", "SMTP password"),
        "sender": ("davshare@localhost", "the From address of the messages"),
        "public_url": ("", "the server's address in links, e.g. https://dav.example.com"),
        "language": ("en", "language of messages to people whose language is unknown (en, fr)"),
        "poll_seconds": ("10", "how often the sender looks for messages to send"),
        "max_attempts": ("20", "sends tried before a message is given up"),
    },
    "invitations": {
        "valid_days": ("14", "days an invitation can be accepted (a resend restarts them)"),
        "sends_per_day": ("3", "times an invitation may be sent in a day, the first one included"),
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
    mail: MailSettings = field(default_factory=MailSettings)
    invitation_valid_days: float = 14
    invitation_sends_per_day: int = 3
    trusted_proxy: str = ""
    max_header_size: int = 65536
    connection_limit: int = 512
    channel_timeout: int = 60


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
        mail=_mail(values),
        invitation_valid_days=_number(values, "invitations", "valid_days", float),
        invitation_sends_per_day=_number(values, "invitations", "sends_per_day", int),
        trusted_proxy=values["server"]["trusted_proxy"].strip(),
        max_header_size=_number(values, "server", "max_header_size", int),
        connection_limit=_number(values, "server", "connection_limit", int),
        channel_timeout=_number(values, "server", "channel_timeout", int),
    )
    return Settings(
        **{**settings.__dict__, **{k: v for k, v in overrides.items() if v is not None}}
    )


def _mail(values: dict[str, dict[str, str]]) -> MailSettings:
    mail = values["mail"]
    if mail["security"] not in ("starttls", "tls", "none"):
        raise InvalidInput(
            f"[mail] security must be starttls, tls or none, not {mail['security']!r}"
        )
    return MailSettings(
        host=mail["host"],
        port=_number(values, "mail", "port", int),
        security=mail["security"],
        username=mail["username"],
        password=mail["password"],
        sender=mail["sender"],
        public_url=mail["public_url"].rstrip("/"),
        language=mail["language"],
        poll_seconds=_number(values, "mail", "poll_seconds", float),
        max_attempts=_number(values, "mail", "max_attempts", int),
    )


def radicale_configuration(settings: Settings) -> radicale_config.Configuration:
    """Radicale's configuration for davshare's plugins and these settings."""
    configuration = radicale_config.load()
    configuration.update(
        {
            "server": {
                "max_content_length": str(settings.max_body_size),
                "max_resource_size": str(int(settings.max_body_size * 0.8)),
                # Any name SQL can hold; control characters stay refused (400).
                "validate_path_value": "none",
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
