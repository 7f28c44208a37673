"""What each column of a Google Contacts or Outlook CSV export holds.

Google's exports number repeated fields (``E-mail 2 - Label``, ``E-mail 2 - Value``;
older ones ``- Type``); Outlook's name them (``Business Phone``, ``Home Street 2``).
Both sets are read by one table, so either file (and a mix, after editing in a
spreadsheet) imports. A column nobody maps is kept as a custom field named after
its header, so nothing in the file is lost.
"""

import re
from dataclasses import dataclass

# Google's repeated fields: "E-mail 1 - Value", "Address 2 - City", "Custom Field 1 - Label".
_NUMBERED = re.compile(
    r"^(E-mail|Phone|Address|Website|Relation|Event|Custom Field|IM|Organization) (\d+) - (.+)$"
)
ATTRIBUTES = {
    "Name": "full_name",
    "First Name": "given",
    "Given Name": "given",
    "Middle Name": "additional",
    "Additional Name": "additional",
    "Last Name": "family",
    "Family Name": "family",
    "Name Prefix": "prefix",
    "Title": "prefix",
    "Name Suffix": "suffix",
    "Suffix": "suffix",
    "Nickname": "nickname",
    "Phonetic First Name": "phonetic_given",
    "Given Name Yomi": "phonetic_given",
    "Given Yomi": "phonetic_given",
    "Phonetic Middle Name": "phonetic_additional",
    "Additional Name Yomi": "phonetic_additional",
    "Phonetic Last Name": "phonetic_family",
    "Family Name Yomi": "phonetic_family",
    "Surname Yomi": "phonetic_family",
    "File As": "file_as",
    "Organization Name": "organization",
    "Company": "organization",
    "Organization Title": "title",
    "Job Title": "title",
    "Organization Department": "department",
    "Department": "department",
    "Birthday": "birthday",
    "Notes": "notes",
    "Photo": "photo",
    "Labels": "categories",
    "Group Membership": "categories",
    "Categories": "categories",
}
OUTLOOK_PHONES = {
    "Business Phone": "Work",
    "Business Phone 2": "Work",
    "Home Phone": "Home",
    "Home Phone 2": "Home",
    "Mobile Phone": "Mobile",
    "Business Fax": "Work Fax",
    "Home Fax": "Home Fax",
    "Other Fax": "Other Fax",
    "Other Phone": "Other",
    "Pager": "Pager",
    "Primary Phone": "Main",
    "Company Main Phone": "Company Main",
    "Assistant's Phone": "Assistant",
    "Callback": "Callback",
    "Car Phone": "Car",
    "ISDN": "ISDN",
    "Radio Phone": "Radio",
    "TTY/TDD Phone": "TTY/TDD",
    "Telex": "Telex",
}
# Outlook's other single-value columns: header -> (group, label).
OUTLOOK_ENTRIES = {
    "E-mail Address": ("E-mail", ""),
    "E-mail 2 Address": ("E-mail", ""),
    "E-mail 3 Address": ("E-mail", ""),
    "Web Page": ("Website", ""),
    "Personal Web Page": ("Website", "Home"),
    "Spouse": ("Relation", "Spouse"),
    "Children": ("Relation", "Child"),
    "Manager's Name": ("Relation", "Manager"),
    "Assistant's Name": ("Relation", "Assistant"),
    "Referred By": ("Relation", "Referred by"),
    "Anniversary": ("Event", "Anniversary"),
    "IMAddress": ("IM", ""),
}
OUTLOOK_ADDRESS_KINDS = {"Business": "Work", "Home": "Home", "Other": "Other"}
OUTLOOK_ADDRESS_FIELDS = {
    "Street": "Street",
    "Street 2": "Street 2",
    "Street 3": "Street 3",
    "City": "City",
    "State": "Region",
    "Postal Code": "Postal Code",
    "Country/Region": "Country",
    "Country": "Country",
    "Address PO Box": "PO Box",
}
# Derived by Outlook from other columns, or its placeholders for "nothing".
IGNORED = {
    "Initials",
    *(f"E-mail{n} {what}" for n in ("", " 2", " 3") for what in ("Type", "Display Name")),
}
EMPTY_VALUES = {
    "Gender": "Unspecified",
    "Priority": "Normal",
    "Private": "False",
    "Sensitivity": "Normal",
}


@dataclass(frozen=True)
class Column:
    """Where a column's values go.

    Either a ``Contact`` attribute, or a field of one of the contact's repeated
    entries: ``group`` ("E-mail", "Address"...), ``key`` (which one: Google's
    number, Outlook's header) and ``field`` ("Value", "Label", "City"...). A
    column nobody maps is a custom field labelled with its header.
    """

    header: str
    attribute: str = ""
    group: str = ""
    key: str = ""
    field: str = ""
    label: str = ""
    ignored: bool = False


def _outlook_address(header: str) -> Column | None:
    kind, _, rest = header.partition(" ")
    if kind in OUTLOOK_ADDRESS_KINDS and rest in OUTLOOK_ADDRESS_FIELDS:
        label = OUTLOOK_ADDRESS_KINDS[kind]
        return Column(
            header, group="Address", key=kind, field=OUTLOOK_ADDRESS_FIELDS[rest], label=label
        )
    return None


def resolve(header: str) -> Column:
    """Where the values of the column called ``header`` go."""
    header = header.strip()
    if header in ATTRIBUTES:
        return Column(header, attribute=ATTRIBUTES[header])
    if match := _NUMBERED.match(header):
        field = "Label" if match[3] == "Type" else match[3]
        return Column(header, group=match[1], key=match[2], field=field)
    if header in OUTLOOK_PHONES:
        return Column(
            header, group="Phone", key=header, field="Value", label=OUTLOOK_PHONES[header]
        )
    if header in OUTLOOK_ENTRIES:
        group, label = OUTLOOK_ENTRIES[header]
        return Column(header, group=group, key=header, field="Value", label=label)
    return _outlook_address(header) or Column(header, ignored=header in IGNORED or not header)


def is_contact_header(columns: list[Column]) -> bool:
    """Whether the columns are those of a contacts export (a name, e-mail or phone column)."""
    names = {"full_name", "given", "family", "organization"}
    return any(c.attribute in names or c.group in ("E-mail", "Phone") for c in columns)
