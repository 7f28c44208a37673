"""Radicale's rights (its ``rights`` file, or a built-in ``owner_only``, ``owner_write``,
``authenticated``) turned into davshare shares, never wider.

Radicale's own rights plugin is asked, for every migrated user and every migrated
collection of someone else, what that user may do there — so any rule of the file,
however written, is read exactly as Radicale reads it. Item rights become the
nearest share that is not wider: ``w`` (write items) -> ``read_write_delete``,
``r`` -> ``read``; ``i`` (plain GET only) and anonymous access have no davshare
equivalent and are reported. In davshare an owner always has full rights over
their collections: an owner Radicale kept from writing is reported too.
"""

from dataclasses import dataclass, field
from pathlib import Path

from radicale import config as radicale_config
from radicale import rights as radicale_rights

from davshare.migrate.source import SourceCollection
from davshare.model.errors import InvalidInput

BUILT_IN = ("owner_only", "owner_write", "authenticated")


@dataclass(frozen=True)
class Grant:
    """One share to make: ``owner``'s collection ``name`` with ``sharee``, with ``rights``."""

    owner: str
    name: str
    sharee: str
    rights: str


@dataclass
class RightsPlan:
    """The shares to make and the rules that could not be carried over."""

    grants: list[Grant] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def load_rights(spec: str) -> radicale_rights.BaseRights:
    """Radicale's rights plugin for ``spec``: a built-in name or a rights file."""
    if spec in BUILT_IN:
        values = {"type": spec}
    elif Path(spec).is_file():
        values = {"type": "from_file", "file": str(Path(spec).resolve())}
    else:
        raise InvalidInput(f"--rights {spec}: no such file (or use {', '.join(BUILT_IN)})")
    configuration = radicale_config.load()
    configuration.update({"rights": values}, "davshare migrate")
    try:
        return radicale_rights.load(configuration)
    except RuntimeError as e:
        raise InvalidInput(f"--rights {spec}: {e}") from None


def share_rights(permissions: str) -> str | None:
    """The widest davshare share within Radicale's item ``permissions`` (None: none at all)."""
    if "w" in permissions:
        return "read_write_delete"  # Radicale's w: create, change and delete every item
    if "r" in permissions:
        return "read"
    return None


def plan_shares(
    spec: str, collections: list[SourceCollection], logins: dict[str, str]
) -> RightsPlan:
    """The shares Radicale's ``spec`` amounts to between the migrated users (``logins``:
    source login -> davshare login)."""
    plugin = load_rights(spec)
    plan = RightsPlan()
    for collection in collections:
        owner = logins.get(collection.owner)
        if owner is None:
            continue
        label, path = collection.label(), f"/{collection.label()}/"
        own = plugin.authorization(collection.owner, set(), path)
        if "w" not in own:
            plan.problems.append(
                f"{label}: Radicale let its owner only {own or 'nothing'!r}; in davshare an "
                "owner always has full rights (move it to another account to restrict it)"
            )
        anonymous = plugin.authorization("", set(), path)
        if anonymous:
            plan.problems.append(
                f"{label}: Radicale let anyone without a login {anonymous!r}; davshare has "
                "no anonymous access (not carried over)"
            )
        for source, sharee in sorted(logins.items()):
            if source == collection.owner:
                continue
            permissions = plugin.authorization(source, set(), path)
            rights = share_rights(permissions)
            if rights:
                plan.grants.append(Grant(owner, collection.name, sharee, rights))
            elif "i" in permissions:
                plan.problems.append(
                    f"{label}: {source} had {permissions!r} (plain GET only): no share is "
                    "that narrow, not shared — share it by hand if read access is right"
                )
    return plan
