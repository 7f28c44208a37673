"""Private and confidential events shown as busy blocks only (RFC 5545 CLASS).

A reader who may not change a shared calendar sees when such an event is, not
what it is: its time, recurrence and status stay; its summary becomes
"Private event"; location, description, attendees, alarms and the rest go.
"""

import re
from hashlib import sha256

_PRIVATE = re.compile(rb"^CLASS:(PRIVATE|CONFIDENTIAL)\r?$", re.MULTILINE | re.IGNORECASE)
_COMPONENTS = ("VEVENT", "VTODO", "VJOURNAL")
_KEPT = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DURATION",
    "DUE",
    "RRULE",
    "RDATE",
    "EXDATE",
    "RECURRENCE-ID",
    "SEQUENCE",
    "STATUS",
    "TRANSP",
    "CLASS",
    "CREATED",
    "LAST-MODIFIED",
}


def is_private(text: str) -> bool:
    """Whether the object has a private or confidential component."""
    return bool(_PRIVATE.search(text.encode()))


def _unfold(text: str) -> list[str]:
    return re.sub(r"\r?\n[ \t]", "", text).splitlines()


def redact(text: str) -> str:
    """``text`` with its events, tasks and journal entries reduced to their times.

    Applied to objects with a private or confidential component; every
    component of such an object is reduced (exceptions of a private series too).
    """
    out: list[str] = []
    component, in_alarm = "", False
    for line in _unfold(text):
        upper = line.upper()
        if upper in ("BEGIN:VALARM", "END:VALARM"):
            in_alarm = upper.startswith("BEGIN")
        elif in_alarm:
            continue
        elif upper.startswith("BEGIN:") and upper[6:] in _COMPONENTS:
            component = upper[6:]
            out += [line, "SUMMARY:Private event"]
        elif upper.startswith("END:") and upper[4:] in _COMPONENTS:
            component = ""
            out.append(line)
        elif not component or re.split(r"[;:]", upper, maxsplit=1)[0] in _KEPT:
            out.append(line)
    return "\r\n".join(out) + "\r\n"


def redacted_etag(etag: str) -> str:
    """A different, stable etag for the redacted form, so clients refetch when rights change."""
    return '"' + sha256((etag + "/private").encode()).hexdigest() + '"'
