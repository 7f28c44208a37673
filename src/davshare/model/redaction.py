"""Private and confidential events shown as busy blocks only (RFC 5545 CLASS).

A reader who may not change a shared calendar sees when such an event is, not
what it is: its time, recurrence and status stay; its summary becomes
"Private event"; location, description, attendees, alarms and the rest go.
"""

import re
from hashlib import sha256

from davshare.core import vtext

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


# The name, in the change log's ``hidden_for``, of the readers who get busy blocks only.
LENS = "p"


def hidden_change(old_text: str | None, new_text: str | None) -> bool:
    """Whether a change of an object is invisible to such readers (its busy block stays)."""
    if old_text is None or new_text is None:
        return False
    return is_private(old_text) and is_private(new_text) and redact(old_text) == redact(new_text)


def is_private(text: str) -> bool:
    """Whether the object has a private or confidential component."""
    return bool(_PRIVATE.search(text.encode()))


def redact(text: str) -> str:
    """``text`` with its events, tasks and journal entries reduced to their times.

    Applied to objects with a private or confidential component; every
    component of such an object is reduced (exceptions of a private series too).
    """
    out: list[str] = []
    component, in_alarm = "", False
    for _, line, _ in vtext.logical_lines(text.splitlines()):
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


def redacted_etag(text: str) -> str:
    """The etag of a redacted object: it changes only when what the reader sees changes."""
    return '"' + sha256((text + "/private").encode()).hexdigest() + '"'
