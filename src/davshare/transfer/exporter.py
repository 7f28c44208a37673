"""An export: a collection as one vCard, CSV or iCalendar file, written a piece at a time.

What goes out is what the user may read, through ``readable_items`` alone: the
collection as the storage hands it to them, so their view (SPEC Q2), the
confidential fields of a share and private events' redaction apply.
"""

from collections.abc import Iterator

from radicale import item as radicale_item

from davshare import __version__
from davshare.model.errors import InvalidInput
from davshare.transfer import TAGS, Format
from davshare.transfer.contact_from_vcard import contact_from_vcard
from davshare.transfer.csv_export import google_csv
from davshare.transfer.icalendar import HEADER, split_object
from davshare.transfer.records import crlf
from davshare.transfer.target import Target

PRODID = f"PRODID:-//davshare//davshare {__version__}//EN"


def readable_items(target: Target) -> Iterator[radicale_item.Item]:
    """Every item of the collection as ``target.login`` may read it, in file-name order.

    The collection was opened as theirs (a mount carries their view and what a
    share keeps from them); reading rights were checked when it was opened.
    """
    _, hrefs = target.collection.sync()
    for _, item in target.collection.get_multi(sorted(hrefs)):
        if item is not None:
            yield item


def _vcards(target: Target) -> Iterator[str]:
    for item in readable_items(target):
        yield item.serialize()


def _calendar(target: Target) -> Iterator[str]:
    """One VCALENDAR with every object's components, each time zone once, before its first use."""
    yield crlf([*HEADER, PRODID])
    written: set[str] = set()
    for item in readable_items(target):
        timezones, components = split_object(item.serialize())
        for timezone in timezones:
            if timezone.tzid not in written:
                written.add(timezone.tzid)
                yield crlf(timezone.lines)
        for component in components:
            yield crlf(component.lines)
    yield "END:VCALENDAR\r\n"


def _csv(target: Target) -> Iterator[str]:
    return google_csv(contact_from_vcard(item.serialize()) for item in readable_items(target))


def default_format(target: Target) -> Format:
    """vCard for an address book, iCalendar for a calendar or task list."""
    return Format.VCARD if target.collection.tag == "VADDRESSBOOK" else Format.ICALENDAR


def export(target: Target, file_format: Format | None = None) -> Iterator[str]:
    """The text of the export, in pieces; InvalidInput if the collection cannot be so written."""
    chosen = file_format or default_format(target)
    if TAGS[chosen] != target.collection.tag:
        raise InvalidInput(f"{target.name} is {target.kind()}: it cannot be written as {chosen}")
    writers = {Format.VCARD: _vcards, Format.CSV: _csv, Format.ICALENDAR: _calendar}
    return writers[chosen](target)


def file_name(target: Target, file_format: Format | None = None) -> str:
    """The name a download gets: the collection's, with the format's extension."""
    safe = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in target.name)
    return f"{safe}.{(file_format or default_format(target)).value}"
