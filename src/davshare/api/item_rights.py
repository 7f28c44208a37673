"""What the caller may do with each item of a collection, for the pages' lists and calendar.

One place for the per-item answer the web pages show (modify, delete, choose editors),
decided by ``policy`` from the facts ``access`` reads, exactly as for DAV requests.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from davshare.api.base import Call
from davshare.core import policy
from davshare.facts import access
from davshare.model import errors
from davshare.storage.collection import Collection


@dataclass(frozen=True)
class ItemRights:
    """Who created an item, who else may modify it, and what the caller may do with it."""

    creator: str
    editors: list[str]
    may_modify: bool
    may_delete: bool
    may_choose_editors: bool


class Rights:
    """The caller's rights on the items of one collection (facts read once for all hrefs)."""

    def __init__(self, call: Call, collection: Collection, hrefs: Iterable[str]) -> None:
        self._facts = access.items_facts(call.engine, collection, list(hrefs))
        self._requester = access.requester(call.engine, call.login)
        self._collection = access.collection_facts(call.engine, call.login, collection)
        self._group = collection.group_id is not None

    def of(self, href: str) -> ItemRights:
        """The rights on the item at ``href``."""
        facts = self._facts.get(href, policy.ItemFacts(creator=""))
        privileges = policy.item_privileges(self._requester, self._collection, facts)
        return ItemRights(
            creator=facts.creator,
            editors=sorted(facts.editors),
            may_modify=policy.Privilege.WRITE_CONTENT in privileges,
            may_delete=policy.Privilege.UNBIND in privileges,
            may_choose_editors=self._group and policy.can_grant_editors(self._requester, facts),
        )


def collection_of(call: Call, name: str) -> Collection:
    """One of the caller's collections by its name in their home; 404 that says what to do."""
    found = call.storage.collection(f"{call.login}/{name}")
    if found is None or not found.tag:
        raise errors.NotFound(f"you have no collection {name!r}: pick one from your list")
    return found


def readable_collection(call: Call, name: str) -> Collection:
    """``collection_of``, or 403 when the caller sees only its busy times."""
    found = collection_of(call, name)
    if policy.Privilege.READ not in access.privileges(call.engine, call.login, found):
        raise errors.NotAllowed(
            f"you may only see busy times in {name!r}: ask its owner for the read right"
        )
    return found
