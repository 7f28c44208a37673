"""``davshare init``: a new server in one command — the database, the first mail domain
and the first server admin."""

import argparse
import sys
from collections.abc import Callable

from davshare.model import accounts
from davshare.model.errors import AlreadyExists, InvalidInput
from davshare.server import config, database

SettingsOf = Callable[[argparse.Namespace], config.Settings]
PasswordOf = Callable[[argparse.Namespace], str]


def _login(args: argparse.Namespace) -> str:
    if args.login:
        return str(args.login)
    if args.password_stdin or not sys.stdin.isatty():
        raise InvalidInput("give the first server admin's login: davshare init NAME@DOMAIN")
    return input("Login of the first server admin (name@domain): ")


def _refuse_if_set_up(settings: config.Settings) -> None:
    if not database.exists(settings):
        return
    present = accounts.list_users(database.open_existing(settings))
    if present:
        raise InvalidInput(
            f"{database.masked(settings.database_url)} is set up already "
            f"({len(present)} account(s)): add accounts with `davshare user add`, "
            "make one a server admin with `davshare user promote`"
        )


def run(args: argparse.Namespace, settings: config.Settings, read_password: PasswordOf) -> None:
    """Create (or fill an empty) database with a domain and its first server admin."""
    _refuse_if_set_up(settings)
    login = accounts.normalize_login(_login(args))
    _, domain = accounts.parse_login(login)
    password = read_password(args)
    accounts.check_password_strength(password)
    new = not database.exists(settings)
    engine = database.open_or_create(settings)
    where = database.masked(settings.database_url)
    print(f"created the database {where}" if new else f"set up the empty database {where}")
    try:
        print(f"domain {accounts.add_domain(engine, domain)} added")
    except AlreadyExists:
        print(f"domain {domain} was there already")
    accounts.add_user(engine, login, password, display_name=args.name or "", server_admin=True)
    print(f"created {login}, server admin: sign in at the server's address with it")


def register(
    sub: argparse._SubParsersAction,
    settings_of: SettingsOf,
    read_password: PasswordOf,
    password_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``init`` to the ``davshare`` parser."""
    help_ = "set up a new server: the database, a first mail domain and its first server admin"
    parser = sub.add_parser("init", help=help_, description=help_)
    parser.add_argument("login", nargs="?", help="the first server admin, name@domain (asked)")
    parser.add_argument("--name", help="the name others see")
    password_option(parser)
    parser.set_defaults(func=lambda args: run(args, settings_of(args), read_password))
