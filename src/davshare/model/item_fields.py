"""The searchable fields extracted from an item when it is written.

Each field holds the values Radicale's own text-match compares against
(``str()`` of the vobject value), lower-cased and joined by newlines, so that a
search in SQL finds at least every item Radicale's matcher would accept.
"""

import unicodedata
import uuid
from typing import Any

from radicale import item as radicale_item

from davshare.model import recurrence

SORT_NAME_LENGTH = 255

# vCard property (lower-case) -> items column holding its values.
VCARD_FIELDS = {
    "fn": "fn",
    "email": "emails",
    "adr": "addresses",
    "org": "org",
    "tel": "tels",
    "categories": "categories",
}


def _values(vobject_item: Any, name: str) -> str:
    values: list[str] = []
    for prop in vobject_item.contents.get(name, []):
        value = prop.value
        if isinstance(value, list):
            values.extend(str(v) for v in value)
        else:
            values.append(str(value))
    return "\n".join(v.lower() for v in values)


def sort_name(text: str) -> str:
    """The key contacts are sorted by: lower case, accents folded (Élodie with Eloise)."""
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return plain[:SORT_NAME_LENGTH]


def searchable_fields(item: radicale_item.Item) -> dict[str, Any]:
    """The indexed columns of ``item`` (component, time range and vCard fields).

    An iCalendar item whose recurrences reach past the bounds is refused here, on every
    path that stores one (``recurrence.check_instances``).
    """
    fields: dict[str, Any] = {"component": item.component_name or item.name}
    if item.name == "VCARD":
        vobject_item = item.vobject_item
        for prop, column in VCARD_FIELDS.items():
            fields[column] = _values(vobject_item, prop)
        fields["sort_name"] = sort_name(fields["fn"].split("\n", 1)[0])
        fields["time_start"], fields["time_end"] = 0, 0
    else:
        recurrence.check_instances(item.vobject_item)
        fields["time_start"], fields["time_end"] = item.time_range
    return fields


def href_for_uid(uid: str, tag: str) -> str:
    """The href the server gives an item of this UID (a whole-collection PUT, a delivery)."""
    safe = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in uid)[:200] or uuid.uuid4().hex
    return safe + (".vcf" if tag == "VADDRESSBOOK" else ".ics")
