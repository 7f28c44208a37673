"""Storing one imported item with its importer's rights, as a PUT of their client would.

The item is validated like a PUT body (``davshare.items``); a new UID is
created (the add right, checked once for the whole import), an existing one
updated in place when the importer may modify that item (SPEC R4, R5). The
write is one transaction of the storage, made with ``davshare.context`` saying
who writes — so the importer is recorded as the creator — and which etag the
decision was made on, so a concurrent change is refused rather than overwritten.
"""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from radicale import item as radicale_item

from davshare.core import context, policy
from davshare.facts import access
from davshare.model.errors import PreconditionFailed, UidConflict
from davshare.storage.items import parse_item, unsupported_component
from davshare.transfer.duplicates import DuplicateIndex
from davshare.transfer.records import Record
from davshare.transfer.target import Target


class Outcome(StrEnum):
    """What became of one record."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Result:
    """The outcome of one record, the UID it had and why it was not imported."""

    outcome: Outcome
    uid: str = ""
    reason: str = ""


def href_for(uid: str, tag: str) -> str:
    """The file name of a new item: its UID made safe, as the storage names items."""
    safe = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in uid)[:200]
    return (safe or uuid.uuid4().hex) + (".vcf" if tag == "VADDRESSBOOK" else ".ics")


class ItemWriter:
    """Writes the records of one import into its target, one transaction each."""

    def __init__(self, target: Target, duplicates: DuplicateIndex | None = None) -> None:
        self._target = target
        self._collection = target.collection
        self._duplicates = duplicates

    def write(self, record: Record) -> Result:
        """Store ``record``, or say why not."""
        if record.problem:
            return Result(Outcome.SKIPPED, reason=record.problem)
        item, invalid = self._parse(record.text)
        if item is None:
            return Result(Outcome.SKIPPED, reason=invalid)
        try:
            href = self._collection.href_of_uid(item.uid)
            if href is None:
                return self._create(item, record.text)
            return self._update(item, record.text, href)
        except (PreconditionFailed, UidConflict):
            reason = "changed by someone else during the import: import the file again"
            return Result(Outcome.SKIPPED, item.uid, reason)

    def _parse(self, text: str) -> tuple[radicale_item.Item | None, str]:
        return check_item(self._target, text)

    def _create(self, item: radicale_item.Item, text: str) -> Result:
        found = self._duplicates.find(item) if self._duplicates else ""
        if found:
            return Result(Outcome.DUPLICATE, item.uid, found)
        href = href_for(item.uid, self._collection.tag)
        try:
            self._store(href, item, text, context.ABSENT)
        except PreconditionFailed:  # another UID's item has that file name
            href = href_for(uuid.uuid4().hex, self._collection.tag)
            self._store(href, item, text, context.ABSENT)
        if self._duplicates:
            self._duplicates.add(item, href)
        return Result(Outcome.IMPORTED, item.uid)

    def _update(self, item: radicale_item.Item, text: str, href: str) -> Result:
        existing = next(iter(self._collection.get_multi([href])))[1]
        if existing is None:
            return self._create(item, text)
        if existing.etag == radicale_item.get_etag(text):
            return Result(Outcome.UNCHANGED, item.uid)
        refusal = self._refusal(href)
        if refusal:
            return Result(Outcome.SKIPPED, item.uid, refusal)
        self._store(href, item, text, existing.etag)
        return Result(Outcome.UPDATED, item.uid)

    def _refusal(self, href: str) -> str:
        """Why the importer may not modify the item at ``href`` ("" if they may)."""
        facts = access.item_facts(self._target.engine, self._collection, href)
        if policy.can_edit(self._target.requester, self._target.facts, facts):
            return ""
        who = f" ({facts.creator})" if facts.creator else ""
        return f"not allowed: only its creator{who} and whom they chose may modify this item"

    def _store(self, href: str, item: radicale_item.Item, text: str, expected: str) -> None:
        store(self._target, href, item, text, expected)


def check_item(target: Target, text: str) -> tuple[radicale_item.Item | None, str]:
    """The item ``text`` makes in the target's collection, or None and why it cannot go there."""
    item, invalid = parse_item(text, target.collection, target.max_occurrences)
    if item is None:
        return None, invalid.replace("The body is ", "", 1)
    unsupported = unsupported_component(item, target.collection)
    return (None, unsupported) if unsupported else (item, "")


def store(target: Target, href: str, item: radicale_item.Item, text: str, expected: str) -> None:
    """Write ``text`` (kept as it is) at ``href`` as the target's user, in one transaction,
    if the item there still has the etag ``expected`` (``context.ABSENT``: none there)."""
    path = target.collection.item_path(href)
    request = context.RequestContext(
        user=target.login, raw_body=text, expected_etags={path: expected}
    )
    token = context.begin(request)
    try:
        target.collection.upload(href, item)
    finally:
        context.end(token)
