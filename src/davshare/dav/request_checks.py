"""What every DAV request is checked for before Radicale sees it.

One place for the checks that would otherwise surface as a 500 or as silently
damaged data: the request path as UTF-8, the ``Authorization`` header's shape, and
the length of the names in the path.
"""

import base64
import binascii
import codecs
import io
import xml.etree.ElementTree as ET
from http import client
from typing import Any
from urllib.parse import urlparse

from radicale import httputils, types
from sqlalchemy import Engine

from davshare.dav import errors
from davshare.model import sign_in_failures
from davshare.sign_in.base import Refused, Unavailable

# The longest item or collection name (one path segment, decoded) stored.
MAX_NAME_LENGTH = 255
_DECODED = "davshare.path_decoded"
# The deepest XML request body read; real DAV requests nest about ten levels.
MAX_XML_DEPTH = 64


def decode_path(environ: types.WSGIEnviron) -> types.WSGIResponse | None:
    """Turn ``PATH_INFO`` into the path the client meant, or answer 400.

    PEP 3333 hands the path over as bytes decoded as Latin-1 (waitress and gunicorn
    both do); URLs carry UTF-8, so the text is encoded back and decoded as UTF-8 —
    once per request (the web pages' bridge hands on an environ already decoded).
    A path that Latin-1 cannot encode was decoded by the server already (Radicale's
    own server does that) and is kept.
    """
    if environ.get(_DECODED):
        return None
    path = environ.get("PATH_INFO", "")
    try:
        raw = path.encode("latin-1")
    except UnicodeEncodeError:
        raw = None
    if raw is not None:
        try:
            path = raw.decode("utf-8")
        except UnicodeDecodeError:
            return errors.plain(
                client.BAD_REQUEST, "The request path is not valid UTF-8 once percent-decoded."
            )
    environ["PATH_INFO"] = path  # type: ignore[index]
    environ[_DECODED] = True  # type: ignore[index]
    return name_too_long(path)


def unknown_charset(environ: types.WSGIEnviron) -> types.WSGIResponse | None:
    """400 when the Content-Type names a charset Python does not know (Radicale decodes
    credentials and bodies with it and would raise)."""
    content_type = environ.get("CONTENT_TYPE", "")
    if "charset=" not in content_type:
        return None
    charset = content_type.split("charset=")[1].split(";")[0].strip().strip('"')
    try:
        codecs.lookup(charset)
    except LookupError:
        return errors.plain(client.BAD_REQUEST, f"The charset {charset!r} is not known.")
    return None


def bad_destination(environ: types.WSGIEnviron) -> types.WSGIResponse | None:
    """400 for a ``Destination`` header that is not a URL (Radicale would raise)."""
    destination = environ.get("HTTP_DESTINATION", "")
    try:
        urlparse(destination)
    except ValueError as e:
        return errors.plain(client.BAD_REQUEST, f"The Destination header is not a URL: {e}.")
    return None


def name_too_long(path: str) -> types.WSGIResponse | None:
    """414 when one segment of ``path`` is longer than names may be."""
    longest = max((len(part) for part in path.split("/")), default=0)
    if longest <= MAX_NAME_LENGTH:
        return None
    return errors.plain(
        client.REQUEST_URI_TOO_LONG,
        f"A name in the path has {longest} characters; names of items and collections "
        f"have at most {MAX_NAME_LENGTH}.",
    )


def basic_credentials(environ: types.WSGIEnviron) -> tuple[str, str]:
    """(login, "") of a ``Basic`` Authorization header; ("", why) when it cannot be read;
    ("", "") without one. Radicale would raise on each unreadable one and answer 500."""
    login, _, why = basic_login_password(environ)
    return login, why


def basic_login_password(environ: types.WSGIEnviron) -> tuple[str, str, str]:
    """(login, password, "") of a ``Basic`` Authorization header; ("", "", why) when it
    cannot be read; ("", "", "") without one."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Basic"):  # as Radicale reads it
        return "", "", ""
    value = header[len("Basic") :].strip()
    if not value:
        return "", "", "The Authorization header has no credentials after 'Basic'."
    try:
        decoded = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return "", "", "The Authorization header's credentials are not valid base64."
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        return "", "", "The Authorization header's credentials are not UTF-8."
    login, colon, password = text.partition(":")
    if not colon:
        return (
            "",
            "",
            ("The Authorization header's credentials have no ':' between login and password."),
        )
    return login, password, ""


def check_xml_depth(document: ET.Element | None) -> None:
    """Raise RuntimeError (Radicale's handlers answer 400) for XML nested too deep."""
    if document is None:
        return
    stack = [(document, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_XML_DEPTH:
            raise RuntimeError(f"The XML body is nested more than {MAX_XML_DEPTH} levels deep.")
        stack.extend((child, depth + 1) for child in element)


def read_text(configuration: Any, environ: types.WSGIEnviron) -> str | types.WSGIResponse:
    """The text of a vCard or iCalendar body, in the charset its Content-Type names
    (UTF-8 when it names none), or 400: never re-read as Latin-1, as Radicale would.

    The body is put back for Radicale's handler to read again.
    """
    try:
        body = httputils.read_raw_request_body(configuration, environ)
    except RuntimeError as e:
        return errors.plain(client.BAD_REQUEST, f"The request body could not be read: {e}")
    environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
    content_type = environ.get("CONTENT_TYPE", "")
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=")[1].split(";")[0].strip().strip('"') or charset
    try:
        return body.decode(charset)
    except LookupError:
        return errors.plain(client.BAD_REQUEST, f"The charset {charset!r} is not known.")
    except UnicodeDecodeError as e:
        return errors.plain(
            client.BAD_REQUEST,
            f"The body is not valid {charset} (byte {e.start}); send vCard and iCalendar as UTF-8.",
        )


def basic_login(environ: types.WSGIEnviron) -> str:
    """The login of a well-formed ``Basic`` Authorization header ("" without one)."""
    return basic_credentials(environ)[0]


def refused_sign_in(
    environ: types.WSGIEnviron, engine: Engine, realm: str
) -> types.WSGIResponse | None:
    """401 for a malformed ``Authorization`` header; 429 with ``Retry-After`` while its
    login or the client's address is refused for earlier failures (no password checked)."""
    login, bad_credentials = basic_credentials(environ)
    if bad_credentials:
        status, headers, answer, _ = errors.plain(client.UNAUTHORIZED, bad_credentials)
        return status, {**dict(headers), "WWW-Authenticate": f'Basic realm="{realm}"'}, answer, None
    if not login:
        return None
    wait, _ = sign_in_failures.check(engine, login, environ.get("REMOTE_ADDR", ""))
    if not wait:
        return None
    status, headers, answer, _ = errors.plain(
        client.TOO_MANY_REQUESTS, sign_in_failures.message(wait)
    )
    return status, {**dict(headers), "Retry-After": str(wait)}, answer, None


def sign_in_trouble(error: Unavailable | Refused, realm: str) -> types.WSGIResponse:
    """503 with ``Retry-After`` when the sign-in backend is down; 401 saying why a right
    password opens nothing here (its domain is not served)."""
    if isinstance(error, Unavailable):
        status, headers, answer, _ = errors.plain(client.SERVICE_UNAVAILABLE, error.message())
        return status, {**dict(headers), "Retry-After": str(error.retry_after)}, answer, None
    status, headers, answer, _ = errors.plain(client.UNAUTHORIZED, str(error))
    return status, {**dict(headers), "WWW-Authenticate": f'Basic realm="{realm}"'}, answer, None


_REPLACED = ("content-length", "content-type", "content-encoding")


def told(answer: Any, refusal: str) -> Any:
    """Radicale's 401 ``answer`` (status, headers, body parts) saying ``refusal`` instead of
    its bare text, when the sign-in was refused for a reason the person can act on."""
    status, headers, _ = answer
    if not refusal or not status.startswith("401"):
        return answer
    body = (refusal + "\n").encode()
    kept = [(k, v) for k, v in headers if k.lower() not in _REPLACED]
    kept += [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    return status, kept, [body]
