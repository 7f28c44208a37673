"""The contact fields views filter on (SPEC Q1), extracted when a contact is written.

Every property is indexed under its vCard name ("EMAIL", "X-SUPPORT-LEVEL"),
and the parts people filter on by name under lower-case names: an address's
"city", "region", "postal_code", "country" and "street", an e-mail's
"email_domain", each "category", the "organisation" (ORG's first part).
Values are lower-cased and cut to ``MAX_VALUE`` characters.
"""

import re

from davshare.model import vcard_lines

MAX_VALUE = 255
# Binary or structural: nothing to filter on.
_SKIPPED = {"BEGIN", "END", "VERSION", "PRODID", "PHOTO", "LOGO", "SOUND", "KEY", "UID", "REV"}
_ADR_PARTS = (None, None, "street", "city", "region", "postal_code", "country")


def _clean(value: str) -> str:
    return " ".join(value.split()).lower()[:MAX_VALUE]


def extract(text: str) -> set[tuple[str, str]]:
    """(name, value) pairs of a vCard for the ``item_props`` table."""
    found: set[tuple[str, str]] = set()
    for line in vcard_lines.lines(text):
        if isinstance(line, str) or line.name in _SKIPPED or not line.name:
            continue
        value = line.value
        if line.name == "ADR":
            for field, part in zip(_ADR_PARTS, vcard_lines.components(value), strict=False):
                if field and part.strip():
                    found.add((field, _clean(part)))
        elif line.name == "EMAIL" and "@" in value:
            found.add(("email_domain", _clean(value.rsplit("@", 1)[1])))
        elif line.name == "CATEGORIES":
            for category in re.split(r"(?<!\\),", value):
                if category.strip():
                    found.add(("category", _clean(vcard_lines.unescape(category))))
        elif line.name == "ORG":
            found.add(("organisation", _clean(vcard_lines.components(value)[0])))
        found.add((line.name[:64], _clean(vcard_lines.unescape(value))))
    return found
