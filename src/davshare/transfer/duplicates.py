"""Likely duplicates: a new contact with the e-mail address or phone number of another."""

import re

from radicale import item as radicale_item
from sqlalchemy import Engine, select

from davshare.model.db import read_transaction
from davshare.model.item_fields import searchable_fields
from davshare.model.tables import items
from davshare.storage.collection import Collection

# Numbers are compared on their last nine digits: "+33 6 12 34 56 78" is "06 12 34 56 78".
_SIGNIFICANT_DIGITS = 9
_SHORTEST_NUMBER = 6


def phone_key(number: str) -> str:
    """What two ways of writing one phone number have in common ("" for short numbers)."""
    digits = re.sub(r"\D", "", number)
    return digits[-_SIGNIFICANT_DIGITS:] if len(digits) >= _SHORTEST_NUMBER else ""


class DuplicateIndex:
    """The e-mails and phones of an address book, and of the contacts imported so far."""

    def __init__(self, engine: Engine, collection: Collection) -> None:
        self._emails: dict[str, str] = {}
        self._phones: dict[str, str] = {}
        query = select(items.c.href, items.c.fn, items.c.emails, items.c.tels).where(
            items.c.collection_id == collection.id
        )
        with read_transaction(engine) as conn:
            for row in conn.execute(query):
                self._remember(f"{row.fn!r} ({row.href})", row.emails, row.tels)

    def _remember(self, who: str, emails: str, phones: str) -> None:
        for email in filter(None, emails.splitlines()):
            self._emails.setdefault(email, who)
        for key in filter(None, map(phone_key, phones.splitlines())):
            self._phones.setdefault(key, who)

    def find(self, item: radicale_item.Item) -> str:
        """Why ``item`` is likely a duplicate ("" if it is not)."""
        fields = searchable_fields(item)
        for email in filter(None, fields["emails"].splitlines()):
            if email in self._emails:
                return f"likely duplicate of {self._emails[email]}: same e-mail {email}"
        for number in filter(None, fields["tels"].splitlines()):
            key = phone_key(number)
            if key and key in self._phones:
                return f"likely duplicate of {self._phones[key]}: same phone {number}"
        return ""

    def add(self, item: radicale_item.Item, href: str) -> None:
        """Remember a contact just imported."""
        fields = searchable_fields(item)
        self._remember(f"{fields['fn']!r} ({href})", fields["emails"], fields["tels"])
