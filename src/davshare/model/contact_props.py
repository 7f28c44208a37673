"""The contact fields views filter on (SPEC Q1), extracted when a contact is written.

Every property is indexed under its vCard name ("EMAIL", "X-SUPPORT-LEVEL"),
and the parts people filter on by name under lower-case names: an address's
"city", "region", "postal_code", "country" and "street", an e-mail's
"email_domain", each "category", the "organisation" (ORG's first part).
Values are lower-cased and cut to ``MAX_VALUE`` characters.
"""

from davshare.core import vtext

MAX_VALUE = 255
# Binary or structural: nothing to filter on.
_SKIPPED = {"BEGIN", "END", "VERSION", "PRODID", "PHOTO", "LOGO", "SOUND", "KEY", "UID", "REV"}
_ADR_PARTS = (None, None, "street", "city", "region", "postal_code", "country")


def _clean(value: str) -> str:
    return " ".join(value.split()).lower()[:MAX_VALUE]


def extract(text: str) -> set[tuple[str, str]]:
    """(name, value) pairs of a vCard for the ``item_props`` table."""
    found: set[tuple[str, str]] = set()
    for _, line, _ in vtext.logical_lines(text.splitlines()):
        prop = vtext.parse_line(line)
        if prop is None or prop.name in _SKIPPED:
            continue
        value = prop.value
        if prop.name == "ADR":
            parts = [vtext.unescape(p) for p in vtext.split_escaped(value, ";")]
            for field, part in zip(_ADR_PARTS, parts, strict=False):
                if field and part.strip():
                    found.add((field, _clean(part)))
        elif prop.name == "EMAIL" and "@" in value:
            found.add(("email_domain", _clean(value.rsplit("@", 1)[1])))
        elif prop.name == "CATEGORIES":
            for category in vtext.split_escaped(value, ","):
                if category.strip():
                    found.add(("category", _clean(vtext.unescape(category))))
        elif prop.name == "ORG":
            found.add(("organisation", _clean(vtext.unescape(vtext.split_escaped(value, ";")[0]))))
        found.add((prop.name[:64], _clean(vtext.unescape(value))))
    return found
