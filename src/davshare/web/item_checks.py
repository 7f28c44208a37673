"""What the web pages may not save, checked by the server too (issue 17).

DAV clients may store whatever RFC 5545 and 6350 allow; a person typing in the pages'
forms gets nonsense refused with the field named — on the page, and here again for
what the pages send through the DAV bridge: an event that ends before it starts, an
empty title, an invalid e-mail address, a date before 1900 or after 2200.
"""

import datetime
import re
from typing import Any

import vobject

MIN_YEAR, MAX_YEAR = 1900, 2200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Refused(ValueError):
    """One field the pages must not save, with what to do; ``field`` names it."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


def _year(value: Any) -> int | None:
    if isinstance(value, datetime.date):
        return value.year
    found = re.match(r"^(\d{4})", str(value))  # a vCard's BDAY stays text: 1980-01-31
    return int(found[1]) if found else None


def _check_dates(component: Any, names: tuple[str, ...]) -> None:
    for name in names:
        line = getattr(component, name, None)
        year = _year(line.value) if line is not None else None
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise Refused(
                name.upper(),
                "date_out_of_range",
                f"{name}: dates must lie between the years {MIN_YEAR} and {MAX_YEAR}",
            )


def _as_datetime(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    return datetime.datetime.combine(value, datetime.time(), datetime.UTC)


def _check_calendar(calendar: Any) -> None:
    for component in [*calendar.contents.get("vevent", []), *calendar.contents.get("vtodo", [])]:
        summary = getattr(component, "summary", None)
        if summary is None or not str(summary.value).strip():
            raise Refused("SUMMARY", "title_missing", "title: give it a title")
        _check_dates(component, ("dtstart", "dtend", "due", "recurrence_id"))
        start, end = getattr(component, "dtstart", None), getattr(component, "dtend", None)
        if (
            start is not None
            and end is not None
            and (_as_datetime(end.value) <= _as_datetime(start.value))
        ):
            raise Refused("DTEND", "end_before_start", "end: the end must come after the start")
        percent = getattr(component, "percent_complete", None)
        if percent is not None and not (str(percent.value).isdigit() and int(percent.value) <= 100):
            raise Refused(
                "PERCENT-COMPLETE", "percent_out_of_range", "percent: a whole number from 0 to 100"
            )


def _check_card(card: Any) -> None:
    for line in card.contents.get("email", []):
        if not _EMAIL.match(str(line.value).strip()):
            raise Refused(
                "EMAIL", "email_invalid", f"e-mail: {line.value!r} is not an e-mail address"
            )
    _check_dates(card, ("bday",))


def check(text: str) -> None:
    """Raise ``Refused`` when a calendar object or vCard the pages send holds nonsense.

    Text that cannot be read at all is left to the DAV application, which says why.
    """
    try:
        found = vobject.readOne(text)
    except Exception:
        return
    if found.name == "VCARD":
        _check_card(found)
    elif found.name == "VCALENDAR":
        _check_calendar(found)
