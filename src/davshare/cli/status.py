"""``davshare status``: what the server admin checks first — version, configuration,
database, schema, counts and the mail outbox."""

import argparse
from collections.abc import Callable
from importlib import metadata

from davshare.model import inventory
from davshare.server import config, database

SettingsOf = Callable[[argparse.Namespace], config.Settings]


def version() -> str:
    """davshare's installed version."""
    try:
        return metadata.version("davshare")
    except metadata.PackageNotFoundError:
        return "unknown"


def _run(settings: config.Settings) -> None:
    print(f"davshare {version()}")
    print(f"configuration: {settings.config_path or 'none (built-in defaults)'}")
    print(f"database: {database.masked(settings.database_url)}")
    engine = database.open_existing(settings)
    current, head = inventory.schema_revision(engine)
    state = "up to date" if current == head else f"newest is {head}: run `davshare db upgrade`"
    print(f"schema revision: {current} ({state})")
    for name, count in inventory.counts(engine).items():
        print(f"{name}: {count}")
    used = inventory.sign_in_backends(engine)
    print(
        f"sign-in backends: {', '.join(settings.sign_in.backends)}; accounts by backend: "
        + (", ".join(f"{name} {count}" for name, count in sorted(used.items())) or "none")
    )
    box = inventory.outbox(engine, settings.mail.max_attempts)
    smtp = (
        f"sent by {settings.mail.host}:{settings.mail.port}"
        if settings.mail.host
        else "no SMTP server ([mail] host): see `davshare mail pending`"
    )
    print(f"mail outbox: {box.waiting} waiting, {box.given_up} given up, {box.sent} sent; {smtp}")


def register(sub: argparse._SubParsersAction, settings_of: SettingsOf) -> None:
    """Add ``status`` to the ``davshare`` parser."""
    help_ = "show the version, configuration, database, counts and mail outbox"
    parser = sub.add_parser("status", help=help_, description=help_)
    parser.set_defaults(func=lambda args: _run(settings_of(args)))
