"""One table from the data layer's exceptions to DAV responses.

Applied in the outermost wrapper of every DAV method (``app.py``), so that a
denial or a conflict can never surface as a 500.
"""

import xml.etree.ElementTree as ET
from http import client

from radicale import types, xmlutils

from davshare.model import errors

DAV_ERROR = "{DAV:}error"
DAV_NEED_PRIVILEGES = "{DAV:}need-privileges"
DAV_RESOURCE = "{DAV:}resource"
DAV_HREF = "{DAV:}href"
DAV_PRIVILEGE = "{DAV:}privilege"
DAVSHARE_MESSAGE = "{http://davshare.org/ns/}message"


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def need_privileges(privilege: str, href: str, message: str) -> types.WSGIResponse:
    """403 with the RFC 3744 ``DAV:need-privileges`` body naming what was missing."""
    root = ET.Element(DAV_ERROR)
    need = ET.SubElement(root, DAV_NEED_PRIVILEGES)
    resource = ET.SubElement(need, DAV_RESOURCE)
    ET.SubElement(resource, DAV_HREF).text = href
    ET.SubElement(ET.SubElement(resource, DAV_PRIVILEGE), "{DAV:}" + privilege)
    ET.SubElement(root, DAVSHARE_MESSAGE).text = message
    return client.FORBIDDEN, {"Content-Type": "application/xml; charset=utf-8"}, _xml(root), None


def dav_error(status: int, condition: str, message: str) -> types.WSGIResponse:
    """A ``DAV:error`` body with one precondition element and a human message."""
    root = xmlutils.webdav_error(condition)
    ET.SubElement(root, DAVSHARE_MESSAGE).text = message
    return status, {"Content-Type": "application/xml; charset=utf-8"}, _xml(root), None


def as_bytes(body: object) -> bytes:
    """An answer's body as bytes (Radicale hands over bytes, text or nothing)."""
    if isinstance(body, bytes):
        return body
    return body.encode() if isinstance(body, str) else b""


def plain(status: int, message: str) -> types.WSGIResponse:
    """A plain-text answer a person can act on."""
    return status, {"Content-Type": "text/plain; charset=utf-8"}, message + "\n", None


def response_for(error: errors.DavshareError, href: str, tag: str = "") -> types.WSGIResponse:
    """The DAV response of a data-layer exception."""
    if isinstance(error, errors.NotAllowed):
        return need_privileges(error.privilege, error.href or href, str(error))
    if isinstance(error, errors.UidConflict):
        namespace = "C" if tag == "VCALENDAR" else "CR"
        return dav_error(client.CONFLICT, f"{namespace}:no-uid-conflict", str(error))
    if isinstance(error, errors.TooExpensive):  # RFC 4791 5.3.2.1, 7.8
        status = (
            client.FORBIDDEN if error.condition.startswith("C:") else client.INSUFFICIENT_STORAGE
        )
        return dav_error(status, error.condition, str(error))
    if isinstance(error, errors.QuotaExceeded):  # RFC 4331 6
        return dav_error(client.INSUFFICIENT_STORAGE, "D:quota-not-exceeded", str(error))
    if isinstance(error, errors.PreconditionFailed):
        return plain(client.PRECONDITION_FAILED, str(error))
    if isinstance(error, errors.NotFound):
        return plain(client.NOT_FOUND, str(error))
    if isinstance(error, errors.InvalidInput):
        return plain(client.BAD_REQUEST, str(error))
    return plain(client.CONFLICT, str(error))
