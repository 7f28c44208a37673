"""Contacts written as a Google Contacts CSV file (which Google, Outlook and spreadsheets read).

Google numbers repeated fields (``E-mail 1 - Value``, ``E-mail 2 - Value``...)
up to the largest count of any contact, so the header is known only at the
end: rows are spooled to a temporary file first, and memory holds one contact
at a time.
"""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator

from davshare.transfer.contact import FN_LABEL, UID_LABEL, Address, Contact, Entry

FIXED = {
    "First Name": "given",
    "Middle Name": "additional",
    "Last Name": "family",
    "Phonetic First Name": "phonetic_given",
    "Phonetic Middle Name": "phonetic_additional",
    "Phonetic Last Name": "phonetic_family",
    "Name Prefix": "prefix",
    "Name Suffix": "suffix",
    "Nickname": "nickname",
    "File As": "file_as",
    "Organization Name": "organization",
    "Organization Title": "title",
    "Organization Department": "department",
    "Birthday": "birthday",
    "Notes": "notes",
    "Photo": "photo",
}
ADDRESS_FIELDS = [
    "Label",
    "Formatted",
    "Street",
    "City",
    "PO Box",
    "Region",
    "Postal Code",
    "Country",
    "Extended Address",
]
# group -> (its fields, the Contact attribute), in the order of Google's header.
GROUPS = {
    "E-mail": (["Label", "Value"], "emails"),
    "Phone": (["Label", "Value"], "phones"),
    "Address": (ADDRESS_FIELDS, "addresses"),
    "Relation": (["Label", "Value"], "relations"),
    "Website": (["Label", "Value"], "websites"),
    "Event": (["Label", "Value"], "events"),
    "IM": (["Label", "Service", "Value"], "ims"),
    "Custom Field": (["Label", "Value"], "custom"),
}


def _label(entry: Entry | Address) -> str:
    return f"* {entry.label}" if entry.pref else entry.label


def _address_fields(address: Address) -> dict[str, str]:
    city_line = " ".join(p for p in (address.postal_code, address.city, address.region) if p)
    formatted = "\n".join(p for p in (address.street, city_line, address.country) if p)
    values = [formatted, address.street, address.city, address.po_box, address.region]
    values += [address.postal_code, address.country, address.extended]
    return dict(zip(ADDRESS_FIELDS, [_label(address), *values], strict=True))


def _entry_fields(entry: Entry, fields: list[str]) -> dict[str, str]:
    values = {"Label": _label(entry), "Value": entry.value, "Service": entry.service}
    return {f: values[f] for f in fields}


def _reserved(contact: Contact) -> list[Entry]:
    """The UID, and the full name when it is not made of the name's parts (see csv_contacts)."""
    extra = [Entry(contact.uid, UID_LABEL)] if contact.uid else []
    if contact.full_name and contact.full_name != contact.composed_name():
        extra.append(Entry(contact.full_name, FN_LABEL))
    return extra


def google_row(contact: Contact, counts: dict[str, int]) -> dict[str, str]:
    """The cells of one contact (header -> value); ``counts`` grows to the largest numbers."""
    row = {header: getattr(contact, attribute) for header, attribute in FIXED.items()}
    row["Labels"] = " ::: ".join(contact.categories)
    contact.custom = contact.custom + _reserved(contact)
    for group, (fields, attribute) in GROUPS.items():
        entries = getattr(contact, attribute)
        counts[group] = max(counts.get(group, 0), len(entries))
        for number, entry in enumerate(entries, 1):
            cells = _address_fields(entry) if group == "Address" else _entry_fields(entry, fields)
            row.update({f"{group} {number} - {f}": v for f, v in cells.items()})
    return {k: v for k, v in row.items() if v}


def google_header(counts: dict[str, int]) -> list[str]:
    """Google's header for contacts with at most ``counts`` entries of each group."""
    header = [*FIXED, "Labels"]
    for group, (fields, _) in GROUPS.items():
        header += [f"{group} {n} - {f}" for n in range(1, counts.get(group, 0) + 1) for f in fields]
    return header


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def google_csv(contacts: Iterable[Contact]) -> Iterator[str]:
    """The CSV text of ``contacts``, in pieces."""
    counts: dict[str, int] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for contact in contacts:
            spool.write(json.dumps(google_row(contact, counts)) + "\n")
        header = google_header(counts)
        yield _csv_line(header)
        spool.seek(0)
        for line in spool:
            row = json.loads(line)
            yield _csv_line([row.get(h, "") for h in header])
