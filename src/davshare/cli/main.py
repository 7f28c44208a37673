"""``davshare``: the command line of the server admin (serve, accounts, domains, database)."""

import argparse
import base64
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from davshare.cli import (
    app_passwords,
    backup,
    groups,
    init,
    migrate,
    plans,
    status,
    transfer,
    trash,
)
from davshare.model import accounts, server_admins, sharing
from davshare.model.db import upgrade_schema
from davshare.model.errors import DavshareError, InvalidInput
from davshare.model.tables import PROFILES
from davshare.server import config, database


def _engine(args: argparse.Namespace) -> Engine:
    """The database of the configuration; never a new one (only init and serve create)."""
    return database.open_existing(_settings(args))


def _settings(args: argparse.Namespace) -> config.Settings:
    return config.load(
        args.config,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        workers=getattr(args, "workers", None),
    )


def _read_password(args: argparse.Namespace) -> str:
    """The new password: from standard input with --password-stdin, else asked twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput("no terminal to ask the password on: pipe it with --password-stdin")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise InvalidInput("the two passwords differ")
    return first


def cmd_serve(args: argparse.Namespace) -> None:
    from davshare.server.serve import serve

    serve(_settings(args))


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    settings = _settings(args)
    upgrade_schema(database.open_existing(settings))
    print(f"database is up to date: {database.masked(settings.database_url)}")


def cmd_user_add(args: argparse.Namespace) -> None:
    password = _read_password(args)
    account = accounts.add_user(
        _engine(args),
        args.login,
        password,
        display_name=args.name or "",
        profile=args.profile,
        server_admin=args.server_admin,
    )
    print(f"created {account.login} (profile {account.profile})")


def cmd_user_list(args: argparse.Namespace) -> None:
    for account in accounts.list_users(_engine(args), args.domain):
        state = "disabled" if account.disabled else "enabled"
        admin = " server-admin" if account.is_server_admin else ""
        print(
            f"{account.login}\t{account.profile}\t{state}{admin}\t{account.display_name}"
            f"\t{account.sign_in_backend}"
        )


def cmd_user_show(args: argparse.Namespace) -> None:
    account = accounts.get_user(_engine(args), args.login)
    for field in (
        "login",
        "display_name",
        "profile",
        "disabled",
        "is_server_admin",
        "sign_in_backend",
    ):
        print(f"{field}: {getattr(account, field)}")


def cmd_user_passwd(args: argparse.Namespace) -> None:
    accounts.set_password(_engine(args), args.login, _read_password(args))
    print(f"password of {accounts.normalize_login(args.login)} changed")


def cmd_user_disable(args: argparse.Namespace) -> None:
    accounts.set_disabled(_engine(args), args.login, True)
    print(f"{accounts.normalize_login(args.login)} disabled")


def cmd_user_enable(args: argparse.Namespace) -> None:
    accounts.set_disabled(_engine(args), args.login, False)
    print(f"{accounts.normalize_login(args.login)} enabled")


def cmd_user_promote(args: argparse.Namespace) -> None:
    login = accounts.normalize_login(args.login)
    if server_admins.set_server_admin(_engine(args), login, True):
        print(f"{login} is now a server admin")
    else:
        print(f"{login} was a server admin already: nothing changed")


def cmd_user_demote(args: argparse.Namespace) -> None:
    login = accounts.normalize_login(args.login)
    if server_admins.set_server_admin(_engine(args), login, False):
        print(f"{login} is no longer a server admin")
    else:
        print(f"{login} was not a server admin: nothing changed")


def cmd_user_profile(args: argparse.Namespace) -> None:
    accounts.set_profile(_engine(args), args.login, args.profile)
    print(f"{accounts.normalize_login(args.login)} now has profile {args.profile}")


def cmd_user_delete(args: argparse.Namespace) -> None:
    login = accounts.normalize_login(args.login)
    if not args.yes:
        raise InvalidInput(f"deleting {login} removes all their data: repeat with --yes to confirm")
    accounts.delete_user(_engine(args), login)
    print(f"{login} deleted with all their collections")


def cmd_user_edit(args: argparse.Namespace) -> None:
    fields = {
        "display_name": args.name,
        "given_name": args.given_name,
        "family_name": args.family_name,
        "organisation": args.org,
    }
    if args.photo:
        fields["photo"] = _photo_uri(args.photo)
    changed = {k: v for k, v in fields.items() if v is not None}
    accounts.update_card(_engine(args), args.login, **changed)
    print(f"{accounts.normalize_login(args.login)} updated: {', '.join(changed) or 'nothing'}")


def _photo_uri(path: Path) -> str:
    kinds = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif"}
    kind = kinds.get(path.suffix.lower())
    if kind is None:
        raise InvalidInput(f"{path}: the photo must be a .png, .jpg or .gif file")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InvalidInput(f"cannot read {path}: {e.strerror}") from None
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def cmd_domain_restrict(args: argparse.Namespace) -> None:
    allowed = [d for d in (args.share_with or "").split(",") if d.strip()]
    sharing.set_domain_rule(_engine(args), args.name, allowed)
    target = ", ".join(allowed) if allowed else "every domain"
    print(f"accounts of {accounts.normalize_domain(args.name)} may share with {target}")


def cmd_domain_rules(args: argparse.Namespace) -> None:
    for domain, allowed in sharing.domain_rules(_engine(args)).items():
        print(f"{domain}\tshares only with\t{', '.join(allowed)}")


def cmd_domain_add(args: argparse.Namespace) -> None:
    print(f"domain {accounts.add_domain(_engine(args), args.name)} added")


def cmd_domain_list(args: argparse.Namespace) -> None:
    for name, count in accounts.list_domains(_engine(args)):
        print(f"{name}\t{count} account(s)")


def cmd_domain_remove(args: argparse.Namespace) -> None:
    accounts.remove_domain(_engine(args), args.name)
    print(f"domain {accounts.normalize_domain(args.name)} removed")


def _command(
    sub: argparse._SubParsersAction,
    name: str,
    func: Callable[[argparse.Namespace], None],
    help_: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_, description=help_)
    parser.set_defaults(func=func)
    return parser


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )


def _user_commands(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="manage accounts").add_subparsers(
        required=True, metavar="ACTION"
    )
    add = _command(user, "add", cmd_user_add, "create an account (its domain must exist)")
    add.add_argument("login", help="local@domain")
    add.add_argument("--name", help="the name others see")
    add.add_argument(
        "--profile",
        choices=PROFILES,
        default="add_delete",
        help="what the account may do with shared content (default add_delete)",
    )
    add.add_argument("--server-admin", action="store_true", help="may manage the whole server")
    _password_option(add)
    listing = _command(user, "list", cmd_user_list, "list accounts")
    listing.add_argument("--domain", help="only this domain")
    for name, func, help_ in (
        ("show", cmd_user_show, "show one account"),
        ("disable", cmd_user_disable, "refuse every login of an account (its data stays)"),
        ("enable", cmd_user_enable, "let a disabled account log in again"),
        ("promote", cmd_user_promote, "make an account a server admin"),
        ("demote", cmd_user_demote, "make a server admin an ordinary account (not the last)"),
    ):
        _command(user, name, func, help_).add_argument("login")
    passwd = _command(user, "passwd", cmd_user_passwd, "set a new password")
    passwd.add_argument("login")
    _password_option(passwd)
    profile = _command(user, "set-profile", cmd_user_profile, "change an account's profile")
    profile.add_argument("login")
    profile.add_argument("profile", choices=PROFILES)
    edit = _command(
        user, "edit", cmd_user_edit, "change what fellow group members see of an account"
    )
    edit.add_argument("login")
    edit.add_argument("--name", help="the name others see")
    edit.add_argument("--given-name")
    edit.add_argument("--family-name")
    edit.add_argument("--org", help="organisation")
    edit.add_argument("--photo", type=Path, help="a PNG, JPEG or GIF file")
    delete = _command(user, "delete", cmd_user_delete, "delete an account and all its data")
    delete.add_argument("login")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")


def _domain_commands(sub: argparse._SubParsersAction) -> None:
    domain = sub.add_parser("domain", help="manage mail domains").add_subparsers(
        required=True, metavar="ACTION"
    )
    _command(domain, "add", cmd_domain_add, "serve a mail domain").add_argument("name")
    _command(domain, "list", cmd_domain_list, "list domains")
    restrict = _command(
        domain,
        "restrict",
        cmd_domain_restrict,
        "let a domain's accounts share only with the listed domains",
    )
    restrict.add_argument("name")
    restrict.add_argument(
        "--share-with", metavar="D1,D2", help="comma-separated domains; empty: every domain"
    )
    _command(domain, "rules", cmd_domain_rules, "list which domains may share with which")
    _command(
        domain, "remove", cmd_domain_remove, "stop serving a domain with no accounts"
    ).add_argument("name")


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``davshare`` command."""
    root = argparse.ArgumentParser(
        prog="davshare", description="davshare: shared contacts and calendars"
    )
    root.add_argument(
        "--config",
        type=Path,
        help="configuration file, before or after the command "
        f"(default: ${config.CONFIG_VARIABLE}, else {config.SYSTEM_CONFIG} if it exists, "
        "else the built-in defaults)",
    )
    root.add_argument("--version", action="version", version=f"davshare {status.version()}")
    sub = root.add_subparsers(required=True, metavar="COMMAND")
    init.register(sub, _settings, _read_password, _password_option)
    serve = _command(
        sub, "serve", cmd_serve, "run the server (initialises an empty data directory)"
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 5232)")
    serve.add_argument("--workers", type=int, help="worker processes (default 1)")
    status.register(sub, _settings)
    backup.register(sub, _settings)
    db = sub.add_parser("db", help="database maintenance").add_subparsers(
        required=True, metavar="ACTION"
    )
    _command(db, "upgrade", cmd_db_upgrade, "create or upgrade the database schema")
    _user_commands(sub)
    _domain_commands(sub)
    groups.register(sub, _engine)
    transfer.register(sub, _engine)
    plans.register(sub, _engine)
    app_passwords.register(sub, _engine)
    migrate.register(sub, _engine)
    trash.register(sub, _settings)  # issue 20
    return root


def _take_config(argv: Sequence[str]) -> tuple[list[str], Path | None]:
    """``--config FILE`` wherever it stands (before or after the command), and the rest."""
    rest: list[str] = []
    found: Path | None = None
    items = list(argv)
    while items:
        item = items.pop(0)
        if item == "--":
            rest += [item, *items]
            break
        if item == "--config" and items:
            found = Path(items.pop(0))
        elif item.startswith("--config="):
            found = Path(item.split("=", 1)[1])
        else:
            rest.append(item)
    return rest, found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``davshare`` command; returns its exit status."""
    rest, config_path = _take_config(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(rest)
    args.config = config_path
    try:
        args.func(args)
    except DavshareError as e:
        print(f"davshare: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
