"""Accounts and mail domains (SPEC A1, A2): the operations the CLI, the API and login use."""

import re
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, delete, func, select, update

from davshare.core import passwords, policy
from davshare.model import (
    account_rows,
    app_passwords,
    members_book,
    server_admins,
    sign_in_backends,
    two_factors,
)
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import AlreadyExists, InvalidInput, NotFound
from davshare.model.logins import normalize_login
from davshare.model.prepared import Prepared
from davshare.model.tables import (
    PROFILES,
    collection_prefs,
    collections,
    domains,
    group_members,
    groups,
    shares,
    users,
)

_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOCAL_RE = re.compile(r"^[a-z0-9._+-]{1,64}$")
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Account:
    """What the server knows of one account (never the password)."""

    login: str
    display_name: str
    profile: str
    disabled: bool
    is_server_admin: bool
    sign_in_backend: str = "local"


def parse_login(login: str) -> tuple[str, str]:
    """Split ``local@domain``, refusing what cannot be a login; returns (local, domain)."""
    login = normalize_login(login)
    local, sep, domain = login.rpartition("@")
    if not sep or not _LOCAL_RE.match(local) or not _DOMAIN_RE.match(domain):
        raise InvalidInput(
            f"{login!r} is not a valid login: use local@domain, e.g. alice@example.com "
            "(letters, digits, '.', '_', '+', '-')"
        )
    return local, domain


def normalize_domain(name: str) -> str:
    """The canonical form of a mail domain, refusing what is not one."""
    name = name.strip().lower()
    if not _DOMAIN_RE.match(name):
        raise InvalidInput(f"{name!r} is not a valid mail domain, e.g. example.com")
    return name


def add_domain(engine: Engine, name: str) -> str:
    """Register a mail domain whose users may have accounts here."""
    name = normalize_domain(name)
    with write_transaction(engine) as conn:
        if conn.scalar(select(domains.c.id).where(domains.c.name == name)) is not None:
            raise AlreadyExists(f"domain {name} exists already")
        conn.execute(domains.insert().values(name=name))
    return name


def list_domains(engine: Engine) -> list[tuple[str, int]]:
    """Every domain with its number of accounts."""
    query = (
        select(domains.c.name, func.count(users.c.id))
        .select_from(domains.outerjoin(users))
        .group_by(domains.c.name)
        .order_by(domains.c.name)
    )
    with read_transaction(engine) as conn:
        return [(name, count) for name, count in conn.execute(query)]


def remove_domain(engine: Engine, name: str) -> None:
    """Remove a domain that no account uses any more."""
    name = normalize_domain(name)
    with write_transaction(engine) as conn:
        domain_id = conn.scalar(select(domains.c.id).where(domains.c.name == name))
        if domain_id is None:
            raise NotFound(f"no domain {name}")
        count = conn.scalar(select(func.count()).where(users.c.domain_id == domain_id))
        if count:
            raise InvalidInput(
                f"domain {name} still has {count} account(s): delete them first "
                "(davshare user list --domain " + name + ")"
            )
        conn.execute(delete(domains).where(domains.c.id == domain_id))


def check_password_strength(password: str) -> None:
    """Refuse passwords too short to be worth hashing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def check_profile(profile: str) -> str:
    """Refuse an unknown profile name."""
    if profile not in PROFILES:
        raise InvalidInput(f"unknown profile {profile!r}: use one of {', '.join(PROFILES)}")
    return profile


def add_user(
    engine: Engine,
    login: str,
    password: str,
    *,
    display_name: str = "",
    profile: str = "add_delete",
    server_admin: bool = False,
) -> Account:
    """Create an account in an existing domain."""
    check_password_strength(password)
    check_profile(profile)
    return add_user_with_hash(
        engine,
        login,
        passwords.hash_password(password),
        display_name=display_name,
        profile=profile,
        server_admin=server_admin,
    )


def add_user_with_hash(
    engine: Engine,
    login: str,
    password_hash: str,
    *,
    display_name: str = "",
    profile: str = "add_delete",
    server_admin: bool = False,
) -> Account:
    """Create an account whose password is given already hashed (a move from another server:
    ``passwords.is_known_hash`` tells which hashes work; "!" makes an account no password
    opens until ``set_password``)."""
    _, domain = parse_login(login)
    login = normalize_login(login)
    check_profile(profile)
    with write_transaction(engine) as conn:
        account_rows.insert(
            conn,
            login,
            domain,
            password_hash,
            display_name=display_name,
            profile=profile,
            is_server_admin=server_admin,
        )
    return get_user(engine, login)


def _account(row: object) -> Account:
    return Account(
        login=row.login,  # type: ignore[attr-defined]
        display_name=row.display_name,  # type: ignore[attr-defined]
        profile=row.profile,  # type: ignore[attr-defined]
        disabled=bool(row.disabled),  # type: ignore[attr-defined]
        is_server_admin=bool(row.is_server_admin),  # type: ignore[attr-defined]
        sign_in_backend=row.sign_in_backend,  # type: ignore[attr-defined]
    )


def get_user(engine: Engine, login: str) -> Account:
    """The account of ``login``."""
    login = normalize_login(login)
    with read_transaction(engine) as conn:
        row = conn.execute(select(users).where(users.c.login == login)).first()
    if row is None:
        raise NotFound(f"no account {login}")
    return _account(row)


def list_users(engine: Engine, domain: str | None = None) -> list[Account]:
    """Every account, or those of one domain, by login."""
    query = select(users).order_by(users.c.login)
    if domain:
        query = query.join(domains).where(domains.c.name == normalize_domain(domain))
    with read_transaction(engine) as conn:
        return [_account(row) for row in conn.execute(query)]


def _update_user(engine: Engine, login: str, **values: object) -> None:
    login = normalize_login(login)
    with write_transaction(engine) as conn:
        result = conn.execute(update(users).where(users.c.login == login).values(**values))
        if result.rowcount == 0:
            raise NotFound(f"no account {login}")


def set_password(engine: Engine, login: str, password: str) -> None:
    """Replace the password of ``login`` (the old one stops working at once)."""
    check_password_strength(password)
    _update_user(engine, login, password_hash=passwords.hash_password(password))


def set_disabled(engine: Engine, login: str, disabled: bool) -> None:
    """Disable (every request answered 401) or enable an account."""
    _update_user(engine, login, disabled=disabled)


def set_profile(engine: Engine, login: str, profile: str) -> None:
    """Change what the account may do with shared content (SPEC A2)."""
    _update_user(engine, login, profile=check_profile(profile))


CARD_FIELDS = ("display_name", "given_name", "family_name", "organisation", "photo")
_PHOTO_RE = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]+$")
MAX_PHOTO = 256_000


def _check_card(fields: dict[str, str]) -> dict[str, str]:
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        raise InvalidInput(
            f"unknown field(s) {', '.join(sorted(unknown))}: use {', '.join(CARD_FIELDS)}"
        )
    photo = fields.get("photo", "")
    if photo and (not _PHOTO_RE.match(photo) or len(photo) > MAX_PHOTO):
        raise InvalidInput(
            f"the photo must be a data: URI of a PNG, JPEG or GIF under {MAX_PHOTO // 1000} kB"
        )
    return {k: v.strip() if k != "photo" else v for k, v in fields.items()}


def update_card(engine: Engine, login: str, **fields: str) -> Account:
    """Change what fellow group members see of the account (SPEC G4)."""
    values = _check_card(fields)
    login = normalize_login(login)
    with write_transaction(engine) as conn:
        if conn.execute(update(users).where(users.c.login == login).values(values)).rowcount == 0:
            raise NotFound(f"no account {login}")
        members_book.refresh_for(conn, login)
    return get_user(engine, login)


def card_of(engine: Engine, login: str) -> dict[str, str]:
    """What fellow group members see of the account."""
    with read_transaction(engine) as conn:
        row = conn.execute(
            select(*(users.c[f] for f in CARD_FIELDS)).where(users.c.login == login)
        ).first()
    if row is None:
        raise NotFound(f"no account {login}")
    return dict(zip(CARD_FIELDS, row, strict=True))


def delete_user(engine: Engine, login: str) -> None:
    """Delete an account with its collections, its memberships and what was shared with it."""
    login = normalize_login(login)
    with write_transaction(engine) as conn:
        admin_of = (
            conn.execute(
                select(groups.c.name)
                .join(group_members)
                .where(group_members.c.login == login, group_members.c.role == "admin")
            )
            .scalars()
            .all()
        )
        if admin_of:
            raise InvalidInput(
                f"{login} is the admin of {', '.join(admin_of)}: hand the admin role over first"
            )
        server_admins.check_may_lose(conn, login)
        if conn.execute(delete(users).where(users.c.login == login)).rowcount == 0:
            raise NotFound(f"no account {login}")
        member_of = (
            conn.execute(select(group_members.c.group_id).where(group_members.c.login == login))
            .scalars()
            .all()
        )
        conn.execute(delete(group_members).where(group_members.c.login == login))
        for group_id in member_of:
            members_book.refresh(conn, group_id)
        conn.execute(delete(shares).where(shares.c.sharee == login))
        conn.execute(delete(collection_prefs).where(collection_prefs.c.login == login))
        conn.execute(delete(collections).where(collections.c.owner == login))


def authenticate(engine: Engine, login: str, password: str) -> str:
    """The canonical login if ``password`` is right and the account enabled, else "".

    An unknown login costs as much time as a wrong password, so the answer
    does not tell whether the account exists.
    """
    found = sign_in(engine, login, password)
    return found.login if found is not None else ""


# What a sign-in reads of the account, built once: every DAV request asks it.
_SIGN_IN = Prepared(
    select(
        users.c.password_hash,
        users.c.disabled,
        users.c.profile,
        users.c.is_server_admin,
        users.c.sign_in_backend,
        two_factors.on_for(users.c.login).label("two_factors_on"),
    ).where(users.c.login == bindparam("login"))
)


def sign_in(
    engine: Engine, login: str, password: str, door: str = "web", address: str = ""
) -> policy.Requester | None:
    """``authenticate``, answering what the rules need of the account (None: refused),
    so that a request needs no second query for it. Through ``door`` "dav" or "api", an
    app password signs in too, and the account's own may be refused (``app_passwords``)."""
    login = normalize_login(login)
    by_app_password = app_passwords.sign_in(engine, login, password, door, address)
    if by_app_password is not None:
        return by_app_password.requester
    with read_transaction(engine) as conn:
        row = _SIGN_IN.first(conn, {"login": login})
    if not sign_in_backends.checked_locally(row):  # [auth] backends: a directory decides
        found = sign_in_backends.sign_in(engine, login, password, row)
        if found is not None:  # the directory's password, as the account's own: may be refused
            app_passwords.refuse_account_password(engine, found.login, door)
        return found
    if row is None:
        passwords.burn_time(password)
        return None
    valid, new_hash = passwords.verify_and_upgrade(login, password, row.password_hash)
    if not valid or row.disabled:
        return None
    # raises AppPasswordRequired
    app_passwords.refuse_account_password(engine, login, door, bool(row.two_factors_on))
    if new_hash:  # a hash brought from another server: argon2 from now on
        with write_transaction(engine) as conn:
            conn.execute(
                update(users)
                .where(users.c.login == login, users.c.password_hash == row.password_hash)
                .values(password_hash=new_hash)
            )
    return policy.Requester(login=login, profile=row.profile, server_admin=row.is_server_admin)
