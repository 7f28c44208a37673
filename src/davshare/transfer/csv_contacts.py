"""Google Contacts and Outlook CSV files, read a row at a time into vCards.

Each row becomes a vCard 3.0 (``contact.to_vcard``). A row without a UID
column gets a UID made from its content, so importing the same file again
updates the same contacts instead of adding copies.
"""

import csv
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from davshare.model.errors import InvalidInput
from davshare.transfer.contact import (
    FN_LABEL,
    UID_LABEL,
    Address,
    Contact,
    Entry,
    normalize_date,
    to_vcard,
)
from davshare.transfer.csv_columns import EMPTY_VALUES, Column, is_contact_header, resolve
from davshare.transfer.records import Record, stable_uid

if TYPE_CHECKING:
    import _csv

_LISTS = {"E-mail": "emails", "Phone": "phones", "Website": "websites", "Relation": "relations"}
_ORGANIZATION = {"Name": "organization", "Title": "title", "Department": "department"}


def _values(text: str) -> list[str]:
    """Google puts several values of one label in one cell: "a@x.org ::: b@y.org"."""
    return [v.strip() for v in text.split(":::") if v.strip()]


def _indexed(text: str) -> list[tuple[int, str]]:
    return list(enumerate(_values(text)))


def _label(text: str) -> tuple[str, bool]:
    """A label and whether it marks the preferred value (Google writes "* Work")."""
    return text.removeprefix("* ").strip(), text.startswith("* ")


def _categories(text: str) -> list[str]:
    """Labels (Google: " ::: ", Outlook: ";"), without Google's own ("* myContacts")."""
    found = _values(text) if ":::" in text else [c.strip() for c in text.split(";")]
    return [c for c in found if c and not c.startswith("* ")]


def _set_attribute(contact: Contact, column: Column, value: str) -> None:
    if column.attribute == "categories":
        contact.categories += _categories(value)
    elif column.attribute == "birthday":
        try:
            contact.birthday = normalize_date(value)
        except ValueError:
            contact.custom.append(Entry(value, column.header))
    else:
        setattr(contact, column.attribute, value)


def _address(fields: dict[str, str]) -> Address:
    label, pref = _label(fields.get("Label", ""))
    streets = (fields.get(k, "") for k in ("Street", "Street 2", "Street 3"))
    address = Address(
        label=label,
        pref=pref,
        po_box=fields.get("PO Box", ""),
        extended=fields.get("Extended Address", ""),
        street="\n".join(s for s in streets if s),
        city=fields.get("City", ""),
        region=fields.get("Region", ""),
        postal_code=fields.get("Postal Code", ""),
        country=fields.get("Country", ""),
    )
    if not any(address.parts()):
        address.street = fields.get("Formatted", "")
    return address


def _dates(contact: Contact, label: str, value: str) -> None:
    """Dates; one that cannot be read is kept as a custom field rather than lost."""
    for text in _values(value):
        try:
            date = normalize_date(text)
        except ValueError:
            contact.custom.append(Entry(text, label or "Event"))
            continue
        if date:
            contact.events.append(Entry(date, label))


def _organization(contact: Contact, key: str, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        if key == "1" and name in _ORGANIZATION:
            setattr(contact, _ORGANIZATION[name], value)
        elif name != "Label":
            contact.custom.append(Entry(value, f"Organization {key} - {name}"))


def _add_group(contact: Contact, group: str, key: str, fields: dict[str, str]) -> None:
    """One repeated entry (an e-mail, an address...) gathered from its columns."""
    label, pref = _label(fields.get("Label", ""))
    value = fields.get("Value", "")
    if group == "Address":
        contact.addresses.append(_address(fields))
    elif group == "Organization":
        _organization(contact, key, fields)
    elif group == "Event":
        _dates(contact, label, value)
    elif group == "Custom Field":
        contact.custom += [Entry(v, label or "Custom Field") for v in _values(value)]
    elif group == "IM":
        service = fields.get("Service", "")
        contact.ims += [Entry(v, label, pref and not i, service) for i, v in _indexed(value)]
    else:
        entries = (Entry(v, label, pref and not i) for i, v in _indexed(value))
        getattr(contact, _LISTS[group]).extend(entries)


def _reserved(contact: Contact) -> None:
    """Custom fields davshare's own export writes for what CSV has no column for."""
    for entry in [e for e in contact.custom if e.label in (UID_LABEL, FN_LABEL)]:
        if entry.label == UID_LABEL:
            contact.uid = entry.value
        else:
            contact.full_name = entry.value
        contact.custom.remove(entry)


def build_contact(columns: list[Column], row: list[str]) -> Contact:
    """The contact one row describes."""
    contact = Contact()
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for column, cell in zip(columns, row, strict=False):
        value = cell.strip()
        if not value or column.ignored or EMPTY_VALUES.get(column.header) == value:
            continue
        if column.attribute:
            _set_attribute(contact, column, value)
        elif column.group:
            fields = groups.setdefault((column.group, column.key), {})
            fields[column.field] = value
            fields.setdefault("Label", column.label)
        else:
            contact.custom.append(Entry(value, column.header))
    for (group, key), fields in groups.items():
        _add_group(contact, group, key, fields)
    _reserved(contact)
    return contact


def _row_record(
    number: int, line: int, header: list[str], columns: list[Column], row: list[str]
) -> Record:
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        return Record(
            number,
            line,
            problem=f"the row has {len(row)} fields but the header {len(header)}: "
            "a quote or a delimiter is missing or extra",
        )
    contact = build_contact(columns, row)
    if not contact.display_name():
        return Record(number, line, problem="no name, organisation, e-mail or phone")
    cells = (f"{h}={v.strip()}" for h, v in zip(header, row, strict=False) if v.strip())
    contact.uid = contact.uid or stable_uid("\x1f".join(cells))
    return Record(number, line, to_vcard(contact))


def _delimiter(header_line: str) -> str:
    """Excel writes ";" where the decimal mark is ","; some tools use tabs."""
    return max(",;\t", key=header_line.count)


def _rows(reader: "_csv.Reader", header: list[str], offset: int) -> Iterator[Record]:
    columns = [resolve(h) for h in header]
    number = 0
    while True:
        line = offset + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            number += 1
            yield Record(number, line, problem=f"not valid CSV: {e}")
            continue
        if any(cell.strip() for cell in row):
            number += 1
            yield _row_record(number, line, header, columns, row)


def read_csv_contacts(lines: Iterable[str]) -> Iterator[Record]:
    """The contacts of a Google or Outlook CSV file's ``lines``, one record per row.

    InvalidInput before the first record when the header is not a contacts export's.
    """
    source = (line + "\n" for line in lines)
    blank = 0
    for header_line in source:
        if header_line.strip():
            break
        blank += 1
    else:
        return
    reader = csv.reader(
        itertools.chain([header_line], source), delimiter=_delimiter(header_line), strict=True
    )
    header = [h.strip() for h in next(reader)]
    if not is_contact_header([resolve(h) for h in header]):
        raise InvalidInput(
            "the first line names none of the columns of a Google or Outlook contacts export "
            f"(such as First Name, E-mail Address, Phone 1 - Value): {header_line.strip()[:80]!r}"
        )
    yield from _rows(reader, header, blank)
