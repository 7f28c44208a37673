"""davshare's configuration: one commented INI file, every option with a default.

``config/davshare.conf`` in the source tree documents each option; this module
holds the defaults and turns the settings into Radicale's configuration.
"""

import configparser
import ipaddress
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radicale import config as radicale_config

from davshare.mail.settings import MailSettings
from davshare.model import history
from davshare.model.defaults import PREDEFINED_COLLECTIONS
from davshare.model.errors import InvalidInput
from davshare.server import setting_values, sign_in_settings, trash_settings
from davshare.sign_in.base import Options as SignInOptions

# section -> option -> (default, one-line explanation)
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "server": {
        "host": ("127.0.0.1", "address to listen on (0.0.0.0 for every interface)"),
        "port": ("5232", "TCP port to listen on"),
        "threads": ("8", "requests served at once by each worker process"),
        "workers": ("1", "worker processes (more than 1: gunicorn, see docs/deploy.md)"),
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
            "seconds a login is refused (429) from an address after 5 failures, doubling up to 300",
        ),
        "realm": ("davshare", "the name clients show when they ask for a password"),
        **sign_in_settings.AUTH,
        "dav_needs_app_passwords": (
            "false",
            "true: DAV clients sign in with app passwords only, never the account's password",
        ),
        "admins_need_two_factors": (
            "false",
            "true: server admins must turn two-factor sign-in on before using the web pages",
        ),
    },
    **sign_in_settings.SECTIONS,
    "logging": {
        "level": ("info", "debug, info, warning or error"),
        "access_log": ("text", "one line per request on standard error: text, json or off"),
    },
    "metrics": {
        "token": ("", "a secret that lets a Prometheus server read the metrics from anywhere"),
        "allow": ("127.0.0.1, ::1", "addresses or networks that read the metrics without it"),
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
    "migrate": {
        "aliases": (
            "",
            "old logins clients still use, OLD=NEW pairs separated by commas (docs/migrate.md)",
        ),
    },
    **trash_settings.SECTIONS,
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
    workers: int = 1
    config_path: Path | None = None
    access_log: str = "text"
    metrics_token: str = ""
    metrics_allow: tuple[str, ...] = ("127.0.0.1", "::1")
    dav_needs_app_passwords: bool = False
    admins_need_two_factors: bool = False
    # old login -> davshare login, for clients set up against the server moved from
    aliases: dict[str, str] = field(default_factory=dict)
    # where passwords are checked ([auth] backends, [ldap], [imap], [htpasswd])
    sign_in: SignInOptions = field(default_factory=SignInOptions)
    kept: history.Settings = field(default_factory=history.Settings)
    purge_seconds: float = 3600


# Where the configuration is looked for when --config is not given.
SYSTEM_CONFIG = Path("/etc/davshare/davshare.conf")
CONFIG_VARIABLE = "DAVSHARE_CONFIG"
# Short names for the settings a container most often sets; every option also has its
# full name DAVSHARE_<SECTION>_<OPTION>, e.g. DAVSHARE_SERVER_PORT.
ENV_ALIASES = {
    "DAVSHARE_DATABASE_URL": ("storage", "database_url"),
    "DAVSHARE_DATA_DIR": ("storage", "data_dir"),
    "DAVSHARE_PUBLIC_URL": ("mail", "public_url"),
}
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def locate(explicit: Path | None) -> Path | None:
    """The configuration file: ``--config``, else $DAVSHARE_CONFIG, else the system file
    if it exists, else none (the built-in defaults, relative to the current folder)."""
    if explicit is not None:
        return explicit
    from_environment = os.environ.get(CONFIG_VARIABLE)
    if from_environment:
        return Path(from_environment)
    return SYSTEM_CONFIG if SYSTEM_CONFIG.is_file() else None


def environment_name(section: str, option: str) -> str:
    """The environment variable that overrides ``[section] option``."""
    return f"DAVSHARE_{section}_{option}".upper()


def _environment_target(name: str) -> tuple[str, str] | None:
    if name in ENV_ALIASES:
        return ENV_ALIASES[name]
    for section, options in OPTIONS.items():
        for option in options:
            if environment_name(section, option) == name:
                return section, option
    return None


def _apply_environment(values: dict[str, dict[str, str]]) -> None:
    for name, value in sorted(os.environ.items()):
        if not name.startswith("DAVSHARE_") or name == CONFIG_VARIABLE:
            continue
        target = _environment_target(name)
        if target is None:
            raise InvalidInput(
                f"unknown environment variable {name}: use DAVSHARE_<SECTION>_<OPTION> "
                "(e.g. DAVSHARE_SERVER_PORT) or unset it"
            )
        values[target[0]][target[1]] = value


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
    return setting_values.number(section, option, values[section][option], kind)


def _flag(values: dict[str, dict[str, str]], section: str, option: str) -> bool:
    return setting_values.flag(section, option, values[section][option])


def load(path: Path | None = None, **overrides: Any) -> Settings:
    """The settings from ``path`` (or the file ``locate`` finds, or the defaults), then the
    DAVSHARE_* environment variables, then ``overrides`` from the command line."""
    path = locate(path)
    values = _read(path)
    _apply_environment(values)
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
        aliases=_aliases(values["migrate"]["aliases"]),
        workers=_number(values, "server", "workers", int),
        access_log=values["logging"]["access_log"].strip().lower(),
        metrics_token=values["metrics"]["token"].strip(),
        metrics_allow=tuple(a.strip() for a in values["metrics"]["allow"].split(",") if a.strip()),
        config_path=path.resolve() if path else None,
        max_header_size=_number(values, "server", "max_header_size", int),
        connection_limit=_number(values, "server", "connection_limit", int),
        channel_timeout=_number(values, "server", "channel_timeout", int),
        sign_in=sign_in_settings.read(values, base),
        dav_needs_app_passwords=_flag(values, "auth", "dav_needs_app_passwords"),
        admins_need_two_factors=_flag(values, "auth", "admins_need_two_factors"),
        kept=trash_settings.read(values),
        purge_seconds=_number(values, "trash", "purge_seconds", float),
    )
    settings = Settings(
        **{**settings.__dict__, **{k: v for k, v in overrides.items() if v is not None}}
    )
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    """Refuse values no server can start with, naming the setting."""
    if not 1 <= settings.port <= 65535:
        raise InvalidInput(f"[server] port must be between 1 and 65535, not {settings.port}")
    for option, value in (("threads", settings.threads), ("workers", settings.workers)):
        if value < 1:
            raise InvalidInput(f"[server] {option} must be 1 or more, not {value}")
    if settings.max_body_size < 1:
        raise InvalidInput("[server] max_body_size must be a positive number of bytes")
    if settings.access_log not in ("text", "json", "off"):
        raise InvalidInput(
            f"[logging] access_log must be text, json or off, not {settings.access_log!r}"
        )
    for allowed in settings.metrics_allow:
        try:
            ipaddress.ip_network(allowed, strict=False)
        except ValueError:
            raise InvalidInput(
                f"[metrics] allow: {allowed!r} is not an address or network (e.g. 10.0.0.0/8)"
            ) from None
    if settings.log_level.lower() not in LOG_LEVELS:
        raise InvalidInput(
            f"[logging] level must be one of {', '.join(LOG_LEVELS)}, not {settings.log_level!r}"
        )


def _aliases(raw: str) -> dict[str, str]:
    """``[migrate] aliases``: ``old=new@domain`` pairs separated by commas."""
    found = {}
    for pair in (p.strip() for p in raw.split(",")):
        old, sep, new = pair.partition("=")
        if not pair:
            continue
        if not sep or not old.strip() or "@" not in new or "/" in old:
            raise InvalidInput(
                f"[migrate] aliases: {pair!r} is not OLD=NEW, e.g. gilles=gilles@example.com"
            )
        found[old.strip()] = new.strip().lower()
    return found


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
                "trash_days": str(settings.kept.trash_days),
                "history_versions": str(settings.kept.versions),
                "history_days": str(settings.kept.history_days),
                "burst_seconds": str(settings.kept.burst_seconds),
                "activity_days": str(settings.kept.activity_days),
                "guard_share": str(settings.kept.guard_share),
            },
            "web": {"type": "none"},
            "logging": {"level": settings.log_level, "mask_passwords": "True"},
        },
        "davshare settings",
    )
    return configuration
