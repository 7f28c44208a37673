"""``davshare app-password …``, ``davshare two-factors …`` and ``davshare sign-ins``: a
person's device passwords, second factor and recent sign-ins, for the server admin."""

import argparse
import time
from collections.abc import Callable

from sqlalchemy import Engine

from davshare.model import app_passwords, sign_ins, two_factors
from davshare.model.logins import normalize_login

EngineOf = Callable[[argparse.Namespace], Engine]


def _when(at: int | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(at)) + " UTC" if at else "never"


def _create(engine: Engine, args: argparse.Namespace) -> None:
    found, password = app_passwords.create(engine, args.login, args.name)
    print(f"app password {found.id} ({found.name}) for {normalize_login(args.login)}:")
    print(password)
    print("Give it to the device now: it is not shown again.")


def _list(engine: Engine, args: argparse.Namespace) -> None:
    for found in app_passwords.list_for(engine, args.login):
        used = _when(found.last_used_at) + (
            f" from {found.last_used_from}" * bool(found.last_used_from)
        )
        print(f"{found.id}\t{found.name}\tcreated {_when(found.created_at)}\tlast used {used}")


def _revoke(engine: Engine, args: argparse.Namespace) -> None:
    app_passwords.revoke(engine, args.login, args.id)
    print(f"app password {args.id.lower()} of {normalize_login(args.login)} revoked")


def _two_factors_off(engine: Engine, args: argparse.Namespace) -> None:
    two_factors.reset(engine, args.login)
    print(f"two-factor sign-in of {normalize_login(args.login)} is off")


def _sign_ins(engine: Engine, args: argparse.Namespace) -> None:
    for found in sign_ins.recent(engine, args.login):
        outcome = "ok" if found.success else "refused"
        print(
            f"{_when(found.at)}\t{found.door}\t{outcome}\t{found.address or '-'}\t"
            f"{found.client or '-'}\t{found.detail or '-'}"
        )


def register(sub: argparse._SubParsersAction, engine_of: EngineOf) -> None:
    """Add the ``app-password``, ``two-factors`` and ``sign-ins`` commands."""
    group = sub.add_parser(
        "app-password", help="a person's passwords for their devices (DAV and API only)"
    ).add_subparsers(required=True, metavar="ACTION")
    create = group.add_parser("create", help="make one and print it (shown once)")
    create.add_argument("login")
    create.add_argument("name", help="the device, e.g. Phone or 'Thunderbird at work'")
    create.set_defaults(func=lambda a: _create(engine_of(a), a))
    listed = group.add_parser("list", help="list them with their creation and last use")
    listed.add_argument("login")
    listed.set_defaults(func=lambda a: _list(engine_of(a), a))
    revoke = group.add_parser("revoke", help="end one: its next request is refused")
    revoke.add_argument("login")
    revoke.add_argument("id", help="the first group of the password, as listed")
    revoke.set_defaults(func=lambda a: _revoke(engine_of(a), a))

    factors = sub.add_parser("two-factors", help="two-factor sign-in of the web pages")
    actions = factors.add_subparsers(required=True, metavar="ACTION")
    off = actions.add_parser("off", help="turn it off for a person who lost their phone")
    off.add_argument("login")
    off.set_defaults(func=lambda a: _two_factors_off(engine_of(a), a))

    recent = sub.add_parser("sign-ins", help="a person's recent sign-ins, newest first")
    recent.add_argument("login")
    recent.set_defaults(func=lambda a: _sign_ins(engine_of(a), a))
