"""Import and export of whole collections (SPEC I1, I2): vCard, Google and Outlook CSV, iCalendar.

Reading is streamed: a file is read line by line and cut into records (one
contact, or one event or task with its exceptions), each checked and written
in its own transaction, so a large file never sits in memory and an
interrupted import leaves no half-written item.

The modules, lowest first: ``lines`` (bytes to text lines, whatever the
encoding), ``davshare.vtext`` (folding, escaping, parameters), the readers ``vcard``
(with ``vcard21``), ``csv_contacts`` (with ``csv_columns``, ``contact`` and
``contact_from_vcard``) and ``icalendar``; then ``target`` (which collection,
with which rights), ``writer`` and ``duplicates`` (one item), ``importer``
(the loop and its report) and ``exporter``.
"""

from enum import StrEnum

from davshare.model.errors import InvalidInput


class Format(StrEnum):
    """The file formats davshare reads and writes."""

    VCARD = "vcf"
    CSV = "csv"
    ICALENDAR = "ics"


# What each format holds: the collection tag it goes into or comes out of.
TAGS = {Format.VCARD: "VADDRESSBOOK", Format.CSV: "VADDRESSBOOK", Format.ICALENDAR: "VCALENDAR"}
MEDIA_TYPES = {
    Format.VCARD: "text/vcard",
    Format.CSV: "text/csv",
    Format.ICALENDAR: "text/calendar",
}


def parse_format(name: str) -> Format | None:
    """The format called ``name`` ("vcf", "vcard", "csv", "ics", "ical"...), None for "auto"/""."""
    aliases = {"vcard": "vcf", "vcards": "vcf", "ical": "ics", "icalendar": "ics"}
    name = aliases.get(name.strip().lower(), name.strip().lower())
    if name in ("", "auto"):
        return None
    try:
        return Format(name)
    except ValueError:
        known = ", ".join(f.value for f in Format)
        raise InvalidInput(f"unknown format {name!r}: use {known} (or auto)") from None
