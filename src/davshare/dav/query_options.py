"""What Radicale leaves out of addressbook-query and calendar-query: the result
``limit`` (RFC 6352 8.6.1) and refusing collations it does not know (RFC 4790, RFC 6352 8.3,
RFC 4791 7.5)."""

import re
import xml.etree.ElementTree as ET
from http import client

from radicale import types

from davshare.dav import errors
from davshare.model import recurrence
from davshare.model.errors import TooExpensive

# Radicale compares i;octet as is and folds case for every other collation.
COLLATIONS = ("i;octet", "i;ascii-casemap", "i;unicode-casemap")
_COLLATION = re.compile(rb'\bcollation\s*=\s*["\']([^"\']*)["\']')
_NRESULTS = re.compile(rb"<(?:[\w-]+:)?nresults\b[^>]*>\s*([0-9]+)\s*<")
_RESPONSE = "{DAV:}response"


def refusal(body: bytes, tag: str, href: str) -> types.WSGIResponse | None:
    """The answer to a REPORT refused before it runs (dates too far, unknown collation)."""
    try:
        recurrence.check_query_dates(body)
    except TooExpensive as e:
        return errors.response_for(e, href)
    return unsupported_collation(body, tag)


def unsupported_collation(body: bytes, tag: str) -> types.WSGIResponse | None:
    """403 ``supported-collation`` when the query names a collation not in COLLATIONS."""
    for found in _COLLATION.finditer(body):
        name = found.group(1).decode("utf-8", "replace")
        if name not in COLLATIONS:
            prefix = "C" if tag == "VCALENDAR" else "CR"
            return errors.dav_error(
                client.FORBIDDEN,
                f"{prefix}:supported-collation",
                f"The collation {name!r} is not supported; use one of {', '.join(COLLATIONS)}.",
            )
    return None


def result_limit(body: bytes) -> int | None:
    """The ``<CR:limit><CR:nresults>`` of an addressbook-query, if there is one."""
    if b"addressbook-query" not in body[:2000]:
        return None
    found = _NRESULTS.search(body)
    return int(found.group(1)) if found else None


def truncate(answer: bytes, limit: int, href: str) -> bytes:
    """At most ``limit`` responses; when some were left out, a 507 response for the
    collection with ``DAV:number-of-matches-within-limits`` (RFC 6352 8.6.1)."""
    root = ET.fromstring(answer)
    responses = root.findall(_RESPONSE)
    if len(responses) <= limit:
        return answer
    for extra in responses[limit:]:
        root.remove(extra)
    over = ET.SubElement(root, _RESPONSE)
    ET.SubElement(over, "{DAV:}href").text = href
    ET.SubElement(over, "{DAV:}status").text = "HTTP/1.1 507 Insufficient Storage"
    ET.SubElement(ET.SubElement(over, "{DAV:}error"), "{DAV:}number-of-matches-within-limits")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
