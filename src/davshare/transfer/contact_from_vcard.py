"""A stored vCard (3.0 or 4.0) read back into a ``Contact``, for the CSV export.

Every property finds a place: what CSV has no column for becomes a custom
field named after the property, so a CSV export loses only what CSV cannot
hold (embedded photos, exact parameters).
"""

from collections.abc import Callable

from davshare.core.vtext import Prop, logical_lines, parse_line, split_escaped, unescape
from davshare.transfer.contact import (
    CUSTOM_PROPERTY,
    Address,
    Contact,
    Entry,
    normalize_date,
)

# TYPE values (lower case) -> the label Google shows; types below say nothing to a person.
TYPE_LABELS = {
    frozenset({"home"}): "Home",
    frozenset({"work"}): "Work",
    frozenset({"other"}): "Other",
    frozenset({"cell"}): "Mobile",
    frozenset({"main"}): "Main",
    frozenset({"work", "fax"}): "Work Fax",
    frozenset({"home", "fax"}): "Home Fax",
    frozenset({"fax"}): "Other Fax",
    frozenset({"pager"}): "Pager",
    frozenset({"car"}): "Car",
    frozenset({"isdn"}): "ISDN",
    frozenset({"video"}): "Video",
}
_SILENT_TYPES = {"voice", "internet", "pref", "x400", "text", "msg"}
_SKIPPED = {"BEGIN", "END", "VERSION", "PRODID", "REV", "X-ABLABEL", "LABEL", "CLIENTPIDMAP"}
# Evolution's and KDE's IM properties -> the service they name.
_IM_PROPERTIES = {
    "X-JABBER": "Jabber",
    "X-SKYPE": "Skype",
    "X-AIM": "AIM",
    "X-ICQ": "ICQ",
    "X-MSN": "MSN",
    "X-YAHOO": "Yahoo",
    "X-GOOGLE-TALK": "Google Talk",
}
_TEXT_ATTRIBUTES = {
    "FN": "full_name",
    "NICKNAME": "nickname",
    "X-PHONETIC-FIRST-NAME": "phonetic_given",
    "X-PHONETIC-MIDDLE-NAME": "phonetic_additional",
    "X-PHONETIC-LAST-NAME": "phonetic_family",
    "X-FILE-AS": "file_as",
    "TITLE": "title",
    "NOTE": "notes",
    "UID": "uid",
}
_Handler = Callable[[Contact, Prop, str, bool], None]


def _label(prop: Prop, labels: dict[str, str]) -> tuple[str, bool]:
    """The label a person reads, and whether the value is the preferred one."""
    types = [t for t in prop.types() if t]
    pref = "pref" in types or bool(prop.param("PREF"))
    if prop.group in labels:
        return labels[prop.group].removeprefix("_$!<").removesuffix(">!$_"), pref
    meaningful = frozenset(t for t in types if t not in _SILENT_TYPES)
    return TYPE_LABELS.get(meaningful, " ".join(t.title() for t in sorted(meaningful))), pref


def _date(value: str) -> str:
    try:
        return normalize_date(value) or value
    except ValueError:
        return value


def _names(contact: Contact, prop: Prop, label: str, pref: bool) -> None:
    parts = [unescape(p) for p in split_escaped(prop.value, ";")] + [""] * 5
    contact.family, contact.given, contact.additional, contact.prefix, contact.suffix = parts[:5]


def _organization(contact: Contact, prop: Prop, label: str, pref: bool) -> None:
    parts = [unescape(p) for p in split_escaped(prop.value, ";")]
    contact.organization = parts[0]
    contact.department = "; ".join(p for p in parts[1:] if p)


def _address(contact: Contact, prop: Prop, label: str, pref: bool) -> None:
    parts = [unescape(p) for p in split_escaped(prop.value, ";")] + [""] * 7
    contact.addresses.append(Address.of(label, parts[:7], pref))


def _im(contact: Contact, prop: Prop, label: str, pref: bool) -> None:
    scheme, _, address = unescape(prop.value).partition(":")
    service = prop.param("X-SERVICE-TYPE") or _IM_PROPERTIES.get(prop.name, "")
    value = address if address and prop.name == "IMPP" else unescape(prop.value)
    contact.ims.append(Entry(value, label, pref, service or (scheme if address else "")))


def _photo(contact: Contact, prop: Prop, label: str, pref: bool) -> None:
    if prop.value.startswith(("http://", "https://")):
        contact.photo = prop.value  # embedded photos have no place in CSV


def _entry(attribute: str, strip: str = "") -> _Handler:
    def add(contact: Contact, prop: Prop, label: str, pref: bool) -> None:
        value = unescape(prop.value)
        value = value[len(strip) :] if strip and value.lower().startswith(strip) else value
        getattr(contact, attribute).append(Entry(value, label, pref))

    return add


def _event(label: str) -> _Handler:
    def add(contact: Contact, prop: Prop, own_label: str, pref: bool) -> None:
        contact.events.append(Entry(_date(prop.value), label or own_label))

    return add


_HANDLERS: dict[str, _Handler] = {
    "N": _names,
    "ORG": _organization,
    "ADR": _address,
    "IMPP": _im,
    "PHOTO": _photo,
    "EMAIL": _entry("emails", "mailto:"),
    "TEL": _entry("phones", "tel:"),
    "URL": _entry("websites"),
    "X-ABRELATEDNAMES": _entry("relations"),
    "RELATED": _entry("relations"),
    "X-ANNIVERSARY": _event("Anniversary"),
    "ANNIVERSARY": _event("Anniversary"),
    "X-ABDATE": _event(""),
    **{name: _im for name in _IM_PROPERTIES},
}


def _apply(contact: Contact, prop: Prop, labels: dict[str, str]) -> None:
    label, pref = _label(prop, labels)
    if prop.name in _HANDLERS:
        _HANDLERS[prop.name](contact, prop, label, pref)
    elif prop.name in _TEXT_ATTRIBUTES:
        setattr(contact, _TEXT_ATTRIBUTES[prop.name], unescape(prop.value))
    elif prop.name == "BDAY":
        contact.birthday = _date(prop.value)
    elif prop.name == "CATEGORIES":
        contact.categories += [unescape(c) for c in split_escaped(prop.value, ",") if c]
    elif prop.name == CUSTOM_PROPERTY:
        contact.custom.append(Entry(unescape(prop.value), prop.param("X-LABEL")))
    elif prop.name not in _SKIPPED:
        contact.custom.append(Entry(unescape(prop.value), prop.name))


def contact_from_vcard(text: str) -> Contact:
    """The contact a stored vCard describes."""
    props = [p for _, line, _ in logical_lines(text.splitlines()) if (p := parse_line(line))]
    labels = {p.group: unescape(p.value) for p in props if p.name == "X-ABLABEL" and p.group}
    contact = Contact()
    for prop in props:
        _apply(contact, prop, labels)
    return contact
