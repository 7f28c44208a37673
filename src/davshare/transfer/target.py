"""Which collection an import or export is about, and whether its user may do it.

A collection is named as its user's DAV client sees it in their home:
``contacts``, ``calendar``, ``tasks``, one they created, or a group's mount
``contacts@sales`` (the storage resolves mounts). The rights are those of a
DAV client of that user: ``davshare.access`` reads the facts and
``davshare.policy`` decides.
"""

import functools
from dataclasses import dataclass

from radicale import config as radicale_config
from sqlalchemy import Engine

from davshare.core import policy
from davshare.facts import access
from davshare.model import accounts
from davshare.model.defaults import PREDEFINED_COLLECTIONS
from davshare.model.errors import InvalidInput, NotAllowed, NotFound
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection

_KINDS = {"VADDRESSBOOK": "an address book", "VCALENDAR": "a calendar or task list"}


@functools.cache
def _storage(url: str) -> Storage:
    configuration = radicale_config.load()
    configuration.update(
        {"storage": {"type": "davshare_plugins.storage", "database_url": url}}, "davshare transfer"
    )
    return Storage(configuration)


def storage_for(engine: Engine) -> Storage:
    """The storage of the database behind ``engine`` (one per process)."""
    return _storage(engine.url.render_as_string(hide_password=False))


@dataclass(frozen=True)
class Target:
    """A collection as one user reaches it, with the facts the rules need."""

    storage: Storage
    login: str
    name: str
    collection: Collection
    requester: policy.Requester
    facts: policy.CollectionFacts

    @property
    def engine(self) -> Engine:
        """The database."""
        return self.storage.engine

    @property
    def max_occurrences(self) -> int:
        """Radicale's cap on the occurrences of a recurring event."""
        return int(self.storage.configuration.get("server", "max_vevent_rrule_occurrence"))

    def kind(self) -> str:
        """ "an address book" or "a calendar or task list", for messages."""
        return _KINDS.get(self.collection.tag, "a collection")


def parse_address(address: str) -> tuple[str, str]:
    """``USER:COLLECTION`` as (login, collection name)."""
    login, _, name = address.rpartition(":")
    if not login or not name or "/" in name:
        raise InvalidInput(
            f"{address!r}: name a collection as LOGIN:COLLECTION, e.g. gilles@example.com:contacts"
        )
    return login, name


def ensure_home(storage: Storage, login: str) -> None:
    """The account's home with its first collections, as its first login would make it (A3)."""
    if storage.collection(login) is not None:
        return
    storage.create_collection(f"/{login}/")
    for name, props in PREDEFINED_COLLECTIONS.items():
        storage.create_collection(f"/{login}/{name}/", props=dict(props))


def _names(storage: Storage, login: str) -> str:
    found = storage.discover(f"/{login}/", depth="1")
    names = [c.path.split("/", 1)[1] for c in found if isinstance(c, Collection) and c.tag]
    return ", ".join(names) or "none"


def open_collection(storage: Storage, login: str, name: str, *, adding: bool) -> Target:
    """``login``'s collection ``name``: NotFound unless they may read it, NotAllowed when
    ``adding`` and they may not add to it."""
    login = accounts.get_user(storage.engine, login).login
    ensure_home(storage, login)
    collection = storage.collection(f"{login}/{name}")
    requester = access.requester(storage.engine, login)
    facts = access.collection_facts(storage.engine, login, collection) if collection else None
    if collection is None or facts is None or not collection.tag:
        raise NotFound(f"{login} has no collection {name!r} (theirs: {_names(storage, login)})")
    if not policy.can_read(requester, facts):
        raise NotFound(f"{login} has no collection {name!r} (theirs: {_names(storage, login)})")
    if adding and not policy.can_add(requester, facts):
        raise NotAllowed(
            f"{login} may not add to {name}: ask its owner or the group's admin for the add right",
            "bind",
            f"/{collection.path}/",
        )
    return Target(storage, login, name, collection, requester, facts)
