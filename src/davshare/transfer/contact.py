"""A contact as CSV files describe it, and the vCard 3.0 made from it.

vCard 3.0 because every CardDAV client reads it. Labels people typed
("Work", "Mobile", "Spouse") become TYPE values when vCard has one, and Apple's
``itemN.X-ABLabel`` otherwise — what iOS, macOS and DAVx5 show.
"""

import datetime
import re
from dataclasses import dataclass, field

from davshare.core.vtext import escape, fold, quote_param

# A label as people read it -> vCard TYPE values (RFC 2426 3.2.1, 3.3.1, 3.3.2).
LABEL_TYPES: dict[str, tuple[str, ...]] = {
    "home": ("HOME",),
    "work": ("WORK",),
    "other": ("OTHER",),
    "mobile": ("CELL",),
    "cell": ("CELL",),
    "main": ("MAIN",),
    "work fax": ("WORK", "FAX"),
    "home fax": ("HOME", "FAX"),
    "other fax": ("FAX",),
    "fax": ("FAX",),
    "pager": ("PAGER",),
    "car": ("CAR",),
    "isdn": ("ISDN",),
    "video": ("VIDEO",),
}
# An IM service -> the URI scheme of its IMPP value (RFC 4770).
IM_SCHEMES = {
    "skype": "skype",
    "jabber": "xmpp",
    "xmpp": "xmpp",
    "google talk": "xmpp",
    "hangouts": "xmpp",
    "aim": "aim",
    "yahoo": "ymsgr",
    "msn": "msnim",
    "icq": "icq",
    "sip": "sip",
}
# The labels of custom fields that are properties of their own on the way back.
UID_LABEL, FN_LABEL = "UID", "FN"
CUSTOM_PROPERTY = "X-DAVSHARE-FIELD"
_X_NAME = re.compile(r"^X-[A-Za-z0-9-]+$")


@dataclass
class Entry:
    """A labelled value: an e-mail, phone, website, relation, date, IM or custom field."""

    value: str
    label: str = ""
    pref: bool = False
    service: str = ""


@dataclass
class Address:
    """A postal address with its label."""

    label: str = ""
    po_box: str = ""
    extended: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    pref: bool = False

    @classmethod
    def of(cls, label: str, parts: list[str], pref: bool = False) -> "Address":
        """The address whose ADR fields are ``parts`` (see ``parts``)."""
        po_box, extended, street, city, region, postal_code, country = (parts + [""] * 7)[:7]
        return cls(label, po_box, extended, street, city, region, postal_code, country, pref)

    def parts(self) -> list[str]:
        """The seven fields of ADR, in order (RFC 2426 3.2.1)."""
        return [
            self.po_box,
            self.extended,
            self.street,
            self.city,
            self.region,
            self.postal_code,
            self.country,
        ]


@dataclass
class Contact:
    """What a contact holds, in the terms of address-book CSV exports."""

    uid: str = ""
    full_name: str = ""
    prefix: str = ""
    given: str = ""
    additional: str = ""
    family: str = ""
    suffix: str = ""
    nickname: str = ""
    phonetic_given: str = ""
    phonetic_additional: str = ""
    phonetic_family: str = ""
    file_as: str = ""
    organization: str = ""
    department: str = ""
    title: str = ""
    birthday: str = ""
    notes: str = ""
    photo: str = ""
    categories: list[str] = field(default_factory=list)
    emails: list[Entry] = field(default_factory=list)
    phones: list[Entry] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    websites: list[Entry] = field(default_factory=list)
    relations: list[Entry] = field(default_factory=list)
    events: list[Entry] = field(default_factory=list)
    ims: list[Entry] = field(default_factory=list)
    custom: list[Entry] = field(default_factory=list)

    def composed_name(self) -> str:
        """The name to show: from its parts, else the organisation, an e-mail or a phone."""
        parts = (self.prefix, self.given, self.additional, self.family, self.suffix)
        name = " ".join(p for p in parts if p)
        firsts = [e.value for e in self.emails[:1] + self.phones[:1]]
        return name or self.organization or next(iter(firsts), "")

    def display_name(self) -> str:
        """FN: the full name given, else the composed one."""
        return self.full_name or self.composed_name()


def normalize_date(text: str) -> str:
    """A date as vCard writes it ("1980-05-17", "--05-17"), "" for an empty one.

    Reads ISO dates, Google's "--MM-DD" and Outlook's "M/D/YYYY" (or "D/M/YYYY"
    when the first number cannot be a month; "0/0/00" is Outlook's empty date);
    ValueError for anything else.
    """
    text = text.strip()
    if text in ("", "0/0/00", "0/0/0000"):
        return ""
    if match := re.fullmatch(r"--(\d\d)-?(\d\d)", text):
        datetime.date(2000, int(match[1]), int(match[2]))
        return f"--{match[1]}-{match[2]}"
    if match := re.fullmatch(r"(\d{4})-?(\d\d)-?(\d\d)(T.*)?", text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", text):
        month, day, year = int(match[1]), int(match[2]), int(match[3])
        month, day = (day, month) if month > 12 or "." in text else (month, day)
        year += 1900 if year < 100 and year > datetime.date.today().year % 100 else 0
        year += 2000 if year < 100 else 0
    else:
        raise ValueError(f"not a date: {text!r}")
    return datetime.date(year, month, day).isoformat()


def one_line(value: str) -> str:
    """A URI or date value: no line breaks, no spaces around."""
    return " ".join(value.split())


class _VCard:
    """The content lines of a vCard being written, with Apple's item groups."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._groups = 0

    def add(self, name: str, value: str, params: str = "", group: str = "") -> None:
        """A property, folded; nothing for an empty value."""
        if value:
            self.lines += fold(f"{group + '.' if group else ''}{name}{params}:{value}")

    def typed(
        self,
        name: str,
        value: str,
        entry: Entry | Address,
        extra: tuple[str, ...] = (),
        params: str = "",
    ) -> None:
        """A property with the TYPE of its label, or an X-ABLabel when vCard has no such type."""
        types = LABEL_TYPES.get(entry.label.lower(), ()) if entry.label else ()
        types = extra + types + (("PREF",) if entry.pref else ())
        params += f";TYPE={','.join(types)}" if types else ""
        if entry.label and entry.label.lower() not in LABEL_TYPES:
            self._groups += 1
            self.add(name, value, params, f"item{self._groups}")
            self.add("X-ABLabel", escape(entry.label), group=f"item{self._groups}")
        else:
            self.add(name, value, params)

    def labelled(self, name: str, value: str, label: str) -> None:
        """A property shown with a free label (relations, dates)."""
        self._groups += 1
        self.add(name, value, group=f"item{self._groups}")
        self.add("X-ABLabel", escape(label), group=f"item{self._groups}")


def _impp(entry: Entry) -> tuple[str, str]:
    service = entry.service.strip()
    scheme = IM_SCHEMES.get(service.lower(), "im")
    value = one_line(entry.value)
    value = value if ":" in value else f"{scheme}:{value}"
    return value, f";X-SERVICE-TYPE={quote_param(service)}" if service else ""


def _names(card: _VCard, contact: Contact) -> None:
    card.add("FN", escape(contact.display_name()))
    parts = (contact.family, contact.given, contact.additional, contact.prefix, contact.suffix)
    card.lines.append("N:" + ";".join(escape(p) for p in parts))
    card.add("NICKNAME", escape(contact.nickname))
    card.add("X-PHONETIC-FIRST-NAME", escape(contact.phonetic_given))
    card.add("X-PHONETIC-MIDDLE-NAME", escape(contact.phonetic_additional))
    card.add("X-PHONETIC-LAST-NAME", escape(contact.phonetic_family))
    card.add("X-FILE-AS", escape(contact.file_as))
    if contact.organization or contact.department:
        card.add("ORG", f"{escape(contact.organization)};{escape(contact.department)}".rstrip(";"))
    card.add("TITLE", escape(contact.title))
    card.add("BDAY", contact.birthday)


def _entries(card: _VCard, contact: Contact) -> None:
    for email in contact.emails:
        card.typed("EMAIL", escape(email.value), email, ("INTERNET",))
    for phone in contact.phones:
        card.typed("TEL", escape(phone.value), phone)
    for address in contact.addresses:
        card.typed("ADR", ";".join(escape(p) for p in address.parts()), address)
    for website in contact.websites:
        card.typed("URL", one_line(website.value), website)
    for relation in contact.relations:
        card.labelled("X-ABRELATEDNAMES", escape(relation.value), relation.label or "Other")
    for event in contact.events:
        if event.label.lower() == "anniversary":
            card.add("X-ANNIVERSARY", one_line(event.value))
        else:
            card.labelled("X-ABDATE", one_line(event.value), event.label or "Other")
    for im in contact.ims:
        value, params = _impp(im)
        card.typed("IMPP", value, im, params=params)


def _custom(card: _VCard, contact: Contact) -> None:
    for entry in contact.custom:
        if _X_NAME.match(entry.label):
            card.add(entry.label.upper(), escape(entry.value))
        else:
            card.add(CUSTOM_PROPERTY, escape(entry.value), f";X-LABEL={quote_param(entry.label)}")


def to_vcard(contact: Contact) -> str:
    """The vCard 3.0 text of ``contact`` (CRLF line ends); its UID must be set."""
    card = _VCard()
    card.lines += ["BEGIN:VCARD", "VERSION:3.0", "UID:" + contact.uid.replace("\n", " ")]
    _names(card, contact)
    _entries(card, contact)
    card.add("CATEGORIES", ",".join(escape(c) for c in contact.categories))
    card.add("NOTE", escape(contact.notes))
    card.add("PHOTO", one_line(contact.photo), ";VALUE=uri")
    _custom(card, contact)
    card.lines.append("END:VCARD")
    return "".join(line + "\r\n" for line in card.lines)
