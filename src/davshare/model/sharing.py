"""Sharing personal collections with people and groups (SPEC S1, S2, A1, G11)."""

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select

from davshare.core import policy
from davshare.model import confidential
from davshare.model.accounts import normalize_domain, normalize_login
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import InvalidInput, NotAllowed, NotFound
from davshare.model.tables import (
    SHARE_RIGHTS,
    collections,
    domain_share_rules,
    group_members,
    groups,
    shares,
    users,
)

# In a sharee's home, "<collection>~<owner>" is the owner's shared collection.
SHARE_SEPARATOR = "~"


@dataclass(frozen=True)
class Share:
    """One share of a personal collection: to an account, or to a group (``group`` set)."""

    collection: str
    sharee: str | None
    group: str | None
    rights: str
    confidential: tuple[str, ...] = ()


def _own_collection(conn: Connection, login: str, name: str) -> tuple[int, str]:
    """(id, tag) of ``login``'s personal collection ``name``."""
    row = conn.execute(
        select(collections.c.id, collections.c.tag).where(
            collections.c.path == f"{login}/{name}", collections.c.group_id.is_(None)
        )
    ).first()
    if row is None or not row.tag:
        raise NotFound(f"you have no collection {name!r} to share")
    return int(row.id), str(row.tag)


def _check_rights(rights: str, tag: str) -> None:
    if rights not in SHARE_RIGHTS:
        raise InvalidInput(f"unknown rights {rights!r}: use one of {', '.join(SHARE_RIGHTS)}")
    if rights == "freebusy" and tag != "VCALENDAR":
        raise InvalidInput("'freebusy' only applies to calendars")


def allowed_domains(conn: Connection, domain: str) -> frozenset[str] | None:
    """The domains ``domain`` may share with, or None for every domain (SPEC A1)."""
    rows = conn.execute(
        select(domain_share_rules.c.allowed).where(domain_share_rules.c.domain == domain)
    )
    allowed = frozenset(a for (a,) in rows)
    return allowed or None


def possible_sharees(engine: Engine, login: str, text: str, limit: int) -> list[tuple[str, str]]:
    """(login, display name) of accounts ``login`` may share with whose login or name
    starts with ``text`` (or whose login holds it): the share dialog's suggestions."""
    text = text.strip().lower()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    name = func.lower(users.c.display_name)
    query = (
        select(users.c.login, users.c.display_name)
        .where(
            users.c.login != login,
            users.c.disabled.is_(False),
            or_(
                users.c.login.like(f"%{escaped}%", escape="\\"),
                name.like(f"{escaped}%", escape="\\"),
                name.like(f"% {escaped}%", escape="\\"),
            ),
        )
        .order_by(users.c.login)
        .limit(limit)
    )
    with read_transaction(engine) as conn:
        allowed = allowed_domains(conn, login.rsplit("@", 1)[1])
        if allowed is not None:  # a domain rule: only those domains, and one's own (SPEC A1)
            domains = {*allowed, login.rsplit("@", 1)[1]}
            query = query.where(
                or_(*(users.c.login.endswith("@" + d, autoescape=True) for d in domains))
            )
        return [(row.login, row.display_name) for row in conn.execute(query)]


def _check_domains(conn: Connection, owner: str, sharee: str) -> None:
    owner_domain, sharee_domain = owner.rsplit("@", 1)[1], sharee.rsplit("@", 1)[1]
    allowed = allowed_domains(conn, owner_domain)
    if not policy.can_share_across(owner_domain, sharee_domain, allowed):
        permitted = ", ".join(sorted({owner_domain, *(allowed or ())}))
        raise NotAllowed(
            f"accounts of {owner_domain} may share only with {permitted} "
            f"(a rule of the server admin), not with {sharee_domain}"
        )


def _put_share(
    conn: Connection,
    collection_id: int,
    rights: str,
    *,
    sharee: str | None = None,
    group_id: int | None = None,
    hidden: tuple[confidential.Spec, ...] = (),
) -> None:
    match = shares.c.sharee == sharee if sharee else shares.c.group_id == group_id
    conn.execute(delete(shares).where(shares.c.collection_id == collection_id, match))
    conn.execute(
        insert(shares).values(
            collection_id=collection_id,
            sharee=sharee,
            group_id=group_id,
            rights=rights,
            confidential=confidential.dumps(hidden),
        )
    )


def _check_confidential(hidden: tuple[confidential.Spec, ...], tag: str) -> None:
    if hidden and tag != "VADDRESSBOOK":
        raise InvalidInput("confidential properties apply to address books only")


def share_with(
    engine: Engine,
    login: str,
    name: str,
    sharee: str,
    rights: str,
    hidden: tuple[confidential.Spec, ...] = (),
) -> None:
    """Share ``login``'s collection ``name`` with another account, with ``rights`` (S1);
    ``hidden``: the contact properties the sharee does not receive."""
    sharee = normalize_login(sharee)
    with write_transaction(engine) as conn:
        collection_id, tag = _own_collection(conn, login, name)
        _check_rights(rights, tag)
        _check_confidential(hidden, tag)
        if sharee == login:
            raise InvalidInput("you cannot share a collection with yourself")
        if conn.scalar(select(users.c.id).where(users.c.login == sharee)) is None:
            raise NotFound(f"no account {sharee} on this server")
        _check_domains(conn, login, sharee)
        _put_share(conn, collection_id, rights, sharee=sharee, hidden=hidden)


def share_with_group(
    engine: Engine,
    login: str,
    name: str,
    group: str,
    rights: str,
    hidden: tuple[confidential.Spec, ...] = (),
) -> None:
    """Share with every member of a group, present and future; the owner must be a member."""
    with write_transaction(engine) as conn:
        collection_id, tag = _own_collection(conn, login, name)
        _check_rights(rights, tag)
        _check_confidential(hidden, tag)
        group_id = _group_of_member(conn, group, login)
        _put_share(conn, collection_id, rights, group_id=group_id, hidden=hidden)


def _group_of_member(conn: Connection, group: str, login: str) -> int:
    group_id = conn.scalar(
        select(groups.c.id)
        .join(group_members)
        .where(groups.c.name == group.strip().lower(), group_members.c.login == login)
    )
    if group_id is None:
        raise NotFound(f"you are not a member of a group {group!r}")
    return int(group_id)


def unshare(
    engine: Engine, login: str, name: str, sharee: str | None = None, group: str | None = None
) -> None:
    """Withdraw a share at once (S1)."""
    with write_transaction(engine) as conn:
        collection_id, _ = _own_collection(conn, login, name)
        if group is not None:
            match = shares.c.group_id == _group_of_member(conn, group, login)
        else:
            match = shares.c.sharee == normalize_login(sharee or "")
        if (
            conn.execute(
                delete(shares).where(shares.c.collection_id == collection_id, match)
            ).rowcount
            == 0
        ):
            raise NotFound(f"{name} is not shared with {group or sharee}")


def _share_query():  # type: ignore[no-untyped-def]
    return (
        select(
            collections.c.path,
            shares.c.sharee,
            groups.c.name.label("group"),
            shares.c.rights,
            shares.c.confidential,
        )
        .select_from(shares.join(collections).outerjoin(groups, groups.c.id == shares.c.group_id))
        .order_by(collections.c.path, shares.c.sharee, groups.c.name)
    )


def _share(row: object) -> Share:
    specs = tuple(str(s) for s in confidential.loads(row.confidential))  # type: ignore[attr-defined]
    return Share(row.path.split("/", 1)[1], row.sharee, row.group, row.rights, specs)  # type: ignore[attr-defined]


def list_shares(engine: Engine, login: str, name: str | None = None) -> list[Share]:
    """The shares of ``login``'s collections (of one, with ``name``)."""
    query = _share_query().where(collections.c.owner == login, collections.c.group_id.is_(None))
    if name is not None:
        query = query.where(collections.c.path == f"{login}/{name}")
    with read_transaction(engine) as conn:
        return [_share(row) for row in conn.execute(query)]


def shares_reaching_group(conn: Connection, login: str, group_id: int) -> list[Share]:
    """What ``login`` shared with a group or with its other members (SPEC G11)."""
    members = select(group_members.c.login).where(
        group_members.c.group_id == group_id, group_members.c.login != login
    )
    query = _share_query().where(
        collections.c.owner == login,
        or_(shares.c.group_id == group_id, shares.c.sharee.in_(members)),
    )
    return [_share(row) for row in conn.execute(query)]


def withdraw(conn: Connection, owner: str, given: list[Share]) -> None:
    """Withdraw shares ``owner`` gave (as listed by ``shares_reaching_group``)."""
    for share in given:
        collection_id, _ = _own_collection(conn, owner, share.collection)
        if share.group is not None:
            group_id = conn.scalar(select(groups.c.id).where(groups.c.name == share.group))
            match = shares.c.group_id == group_id
        else:
            match = shares.c.sharee == share.sharee
        conn.execute(delete(shares).where(shares.c.collection_id == collection_id, match))


@dataclass(frozen=True)
class Reach:
    """How a shared collection reaches one sharee: the share that applies and its rights."""

    share_id: int
    rights: str
    confidential: tuple[confidential.Spec, ...]


def reach(conn: Connection, collection_id: int, owner: str, login: str) -> Reach | None:
    """The strongest share of a collection reaching ``login``, directly or through a group.

    Of shares with equal rights, a direct one wins: its confidential
    properties are the ones chosen for this person.
    """
    my_groups = select(group_members.c.group_id).where(group_members.c.login == login)
    rows = conn.execute(
        select(shares.c.id, shares.c.rights, shares.c.sharee, shares.c.confidential).where(
            shares.c.collection_id == collection_id,
            or_(shares.c.sharee == login, shares.c.group_id.in_(my_groups)),
        )
    ).all()
    best = policy.best_share([row.rights for row in rows])
    if best is None:
        return None
    owner_domain, login_domain = owner.rsplit("@", 1)[1], login.rsplit("@", 1)[1]
    if not policy.can_share_across(owner_domain, login_domain, allowed_domains(conn, owner_domain)):
        return None  # a rule set after the share was made still applies
    chosen = min((row for row in rows if row.rights == best), key=lambda row: row.sharee is None)
    return Reach(int(chosen.id), best, confidential.loads(chosen.confidential))


def share_rights_for(conn: Connection, collection_id: int, owner: str, login: str) -> str | None:
    """The rights of the strongest share of a collection reaching ``login``."""
    found = reach(conn, collection_id, owner, login)
    return found.rights if found is not None else None


def set_domain_rule(engine: Engine, domain: str, allowed: list[str]) -> None:
    """Let ``domain``'s accounts share only with ``allowed`` (empty: with every domain)."""
    domain = normalize_domain(domain)
    names = sorted({normalize_domain(a) for a in allowed} - {domain})
    with write_transaction(engine) as conn:
        conn.execute(delete(domain_share_rules).where(domain_share_rules.c.domain == domain))
        for name in names:
            conn.execute(insert(domain_share_rules).values(domain=domain, allowed=name))


def domain_rules(engine: Engine) -> dict[str, list[str]]:
    """domain -> the domains it may share with, for every restricted domain."""
    with read_transaction(engine) as conn:
        rules: dict[str, list[str]] = {}
        for domain, allowed in conn.execute(
            select(domain_share_rules.c.domain, domain_share_rules.c.allowed)
        ):
            rules.setdefault(domain, []).append(allowed)
    return {d: sorted(a) for d, a in sorted(rules.items())}
