"""``davshare migrate``: move in from another DAV server (Radicale's folder, or any over HTTP)."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from davshare.core import passwords
from davshare.migrate.copy import Copier
from davshare.migrate.dav_source import DavSource, SourceError
from davshare.migrate.htpasswd import Htpasswd, read_htpasswd
from davshare.migrate.logins import LoginMap, map_logins, parse_map
from davshare.migrate.radicale_folder import Folder, read_folder
from davshare.migrate.report import Report
from davshare.migrate.rights_file import BUILT_IN, Grant, RightsPlan, plan_shares
from davshare.migrate.sharing_db import find_database, plan_sharing
from davshare.migrate.source import SourceItem
from davshare.migrate.verify import Verification, verify_all
from davshare.model.errors import InvalidInput
from davshare.transfer.target import storage_for

EngineOf = Callable[[argparse.Namespace], Engine]
EXIT_PARTIAL = 2  # copied, but some things need a person (the report says which)
EXIT_DIFFERENT = 3  # --verify found a difference


def _client_notes(logins: LoginMap, report: Report) -> None:
    """Say what clients must change, and the ``[migrate] aliases`` line that spares it."""
    renamed = {source: login for source, login in sorted(logins.logins.items()) if source != login}
    for source, login in sorted(logins.logins.items()):
        if source == login:
            report.notes.append(f"{login}: clients only need the new host name")
        else:
            report.notes.append(
                f"{source}: clients must sign in as {login} and use /{login}/NAME/ instead of "
                f"/{source}/NAME/, unless the configuration has the aliases line below"
            )
    if renamed:
        pairs = ", ".join(f"{source}={login}" for source, login in renamed.items())
        report.notes.append(
            "to let those clients keep their login and URLs (only the host name changes), "
            f"put in davshare's configuration: [migrate] aliases = {pairs}"
        )


def _widest(grants: list[Grant]) -> list[Grant]:
    """One grant per collection and sharee: the widest of those the sources gave."""
    order = ("read", "read_write", "read_write_delete")
    best: dict[tuple[str, str, str], Grant] = {}
    for grant in grants:
        key = (grant.owner, grant.name, grant.sharee)
        if key not in best or order.index(grant.rights) > order.index(best[key].rights):
            best[key] = grant
    return list(best.values())


def _sources(folder: Folder, htpasswd: Htpasswd | None) -> list[str]:
    return sorted(set(folder.collections) | set(htpasswd.hashes if htpasswd else ()))


def cmd_radicale(engine: Engine, args: argparse.Namespace) -> None:
    """Copy (or with --dry-run, show; with --verify, compare) a Radicale folder."""
    folder = read_folder(args.collections)
    htpasswd = read_htpasswd(args.htpasswd) if args.htpasswd else None
    logins = map_logins(engine, _sources(folder, htpasswd), args.domain, parse_map(args.map))
    collections = [c for found in folder.collections.values() for c in found]
    storage = storage_for(engine)
    if args.verify:
        _verify(verify_all(storage, collections, logins.logins))
        return
    shares = plan_shares(args.rights, collections, logins.logins) if args.rights else RightsPlan()
    database = args.sharing or find_database(folder.root.parent)
    if database is not None:  # Radicale 3.7+'s own sharing
        radicale_shares = plan_sharing(database, logins.logins)
        shares.grants += [g for g in radicale_shares.grants if g not in shares.grants]
        shares.problems += radicale_shares.problems
    report = Report(dry_run=args.dry_run)
    for line in folder.problems + (htpasswd.problems if htpasswd else []):
        report.problem(line)
    for line in logins.problems.values():
        report.problem(line)
    copier = Copier(storage, report)
    for source, login in sorted(logins.logins.items()):
        password_hash = htpasswd.hashes.get(source) if htpasswd else None
        copier.account(login, password_hash)
        for collection in folder.collections.get(source, []):
            print(f"copying {collection.label()}", file=sys.stderr, flush=True)
            copier.collection(login, collection)
    for line in shares.problems:
        report.problem(line)
    for grant in _widest(shares.grants):
        copier.share(grant)
    _client_notes(logins, report)
    report.print()
    if report.problems:
        sys.exit(EXIT_PARTIAL)


def _read_source_password(args: argparse.Namespace) -> str:
    """The source password: the first line of --password-file, else of standard input."""
    if args.password_file:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise InvalidInput(f"cannot read {args.password_file}: {e}") from None
        password = lines[0] if lines else ""
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InvalidInput("no password: give --password-file FILE or pipe it on standard input")
    return password


def _dav_account(engine: Engine, args: argparse.Namespace) -> tuple[str, str]:
    """(davshare login, password): --into, or the source user if it is a login here."""
    logins = map_logins(engine, [args.user], "", {args.user: args.into} if args.into else {})
    if args.user not in logins.logins:
        problem = logins.problems[args.user].split(": ", 1)[0]
        raise InvalidInput(f"{problem}: name the davshare account with --into LOGIN@DOMAIN")
    return logins.logins[args.user], _read_source_password(args)


def cmd_dav(engine: Engine, args: argparse.Namespace) -> None:
    """Copy (or show, or compare) one account of a DAV server over HTTP."""
    login, password = _dav_account(engine, args)
    source = DavSource(args.url, args.user, password)
    print(f"discovering {args.url} as {args.user}", file=sys.stderr, flush=True)
    collections = source.collections(args.user)
    storage = storage_for(engine)
    if args.verify:
        _verify(verify_all(storage, collections, {args.user: login}))
        return
    report = Report(dry_run=args.dry_run)
    copier = Copier(storage, report, lambda line: print(line, file=sys.stderr, flush=True))
    for url in source.not_owned:
        report.problem(f"{url}: another account's collection shared with {args.user}: not copied")
    try:
        copier.account(login, passwords.hash_password(password))
        for collection in collections:
            collection.etags = source.etags(collection.url)
            print(
                f"copying {collection.label()}: {len(collection.etags)} item(s)",
                file=sys.stderr,
                flush=True,
            )
            copier.collection_by_etag(login, collection, _fetcher(source, collection.url))
    except SourceError:
        report.print()
        raise
    report.print()
    if report.problems:
        sys.exit(EXIT_PARTIAL)


def _fetcher(source: DavSource, url: str) -> Callable[[str], SourceItem]:
    def fetch(href: str) -> SourceItem:
        return source.get(url, href)

    return fetch


def _verify(verification: Verification) -> None:
    for line in verification.differences:
        print(f"different: {line}")
    print(verification.summary())
    if verification.differences:
        sys.exit(EXIT_DIFFERENT)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read everything, show what would be done, write nothing",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="write nothing; compare source and davshare item by item (exit 3 on a difference)",
    )


def register(sub: argparse._SubParsersAction, engine_of: EngineOf) -> None:
    """Add the ``migrate`` commands to the ``davshare`` parser."""
    help_ = "move accounts, collections and items in from another DAV server"
    migrate = sub.add_parser("migrate", help=help_, description=help_).add_subparsers(
        required=True, metavar="SOURCE"
    )
    help_ = "copy Radicale's file storage: accounts, passwords, collections, items, rights"
    radicale: argparse.ArgumentParser = migrate.add_parser(
        "radicale", help=help_, description=help_
    )
    radicale.add_argument(
        "--collections",
        type=Path,
        required=True,
        metavar="DIR",
        help="Radicale's [storage] filesystem_folder (or the collection-root in it)",
    )
    radicale.add_argument("--htpasswd", type=Path, metavar="FILE", help="Radicale's htpasswd file")
    radicale.add_argument(
        "--rights",
        metavar="FILE",
        help=f"Radicale's rights file, or its [rights] type: {', '.join(BUILT_IN)}",
    )
    radicale.add_argument(
        "--sharing",
        type=Path,
        metavar="FILE",
        help="Radicale's [sharing] database (default: collection-db/sharing.csv if there)",
    )
    radicale.add_argument(
        "--domain", default="", help="the domain of logins without one (gilles -> gilles@DOMAIN)"
    )
    radicale.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="the davshare login of one Radicale login (repeatable)",
    )
    _common(radicale)
    radicale.set_defaults(func=lambda args: cmd_radicale(engine_of(args), args))
    help_ = "copy one account of any CalDAV/CardDAV server over HTTP (run again to resume)"
    dav: argparse.ArgumentParser = migrate.add_parser("dav", help=help_, description=help_)
    dav.add_argument(
        "--url", required=True, help="the server's address, e.g. https://dav.example.org/"
    )
    dav.add_argument("--user", required=True, help="the login on that server")
    dav.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="a file whose first line is the password (default: read from standard input)",
    )
    dav.add_argument(
        "--into", metavar="LOGIN", help="the davshare account (default: --user, if local@domain)"
    )
    _common(dav)
    dav.set_defaults(func=lambda args: cmd_dav(engine_of(args), args))
