"""The one gate every DAV method passes: who gets 404, who gets 403 and with what body.

- A group or shared collection (a name with ``@`` or ``~``) in another's home, or one
  that does not resolve in one's own home (a deleted group, a group one left or never
  belonged to), is absent: 404, the same whether the group exists or not.
- Radicale's rights check answers a bare 403; the gate turns it into 403
  ``DAV:need-privileges`` naming the privilege the method needs.
- A calendar one may only see busy times of answers the listing and sync requests
  that clients send right after discovery with an empty result (DAVx5 and
  Thunderbird report a 403 there as a sync error); its free-busy-query is answered
  by Radicale.
"""

import io
import re
from collections.abc import Callable
from http import client

from radicale import httputils, types

from davshare.core import policy
from davshare.dav import errors, request_checks
from davshare.dav.decisions import href_of
from davshare.facts import access
from davshare.model.sharing import SHARE_SEPARATOR
from davshare.storage.backend import Storage
from davshare.storage.mounts import MOUNT_SEPARATOR

Handler = Callable[..., types.WSGIResponse]
GATED = (
    "GET", "HEAD", "POST", "PUT", "DELETE", "MOVE",
    "PROPFIND", "PROPPATCH", "REPORT", "MKCOL", "MKCALENDAR",
)  # fmt: skip
_PRIVILEGE = {
    "PUT": "write-content",
    "DELETE": "unbind",
    "MOVE": "unbind",
    "POST": "bind",
    "MKCOL": "bind",
    "MKCALENDAR": "bind",
    "PROPPATCH": "write-properties",
}
_BUSY_ONLY_TOKEN = "http://davshare.org/ns/sync/busy-only"
_LISTING_REPORT = re.compile(rb"<(?:\w+:)?(sync-collection|calendar-query|calendar-multiget)\b")


def gated(handler: Handler, storage: Storage, method: str) -> Handler:
    """``handler`` (a bound ``do_<method>``) behind the gate."""

    def gate(
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        *rest: object,
    ) -> types.WSGIResponse:
        sane_path = path.strip("/")
        href = href_of(base_prefix, sane_path)
        not_a_url = request_checks.bad_destination(environ) if method == "MOVE" else None
        if not_a_url is not None:
            return not_a_url
        if user and sane_path:
            early = _before(storage, environ, method, sane_path, user, href)
            if early is not None:
                return early
        answer = handler(environ, base_prefix, path, user, *rest)
        if user and answer == httputils.NOT_ALLOWED:
            privilege = _PRIVILEGE.get(method, "read")
            return errors.need_privileges(
                privilege, href, f"You do not have the {privilege} privilege here."
            )
        return answer

    return gate


def _before(
    storage: Storage,
    environ: types.WSGIEnviron,
    method: str,
    sane_path: str,
    user: str,
    href: str,
) -> types.WSGIResponse | None:
    home, _, rest = sane_path.partition("/")
    name = rest.partition("/")[0]
    mounted = MOUNT_SEPARATOR in name or SHARE_SEPARATOR in name
    if home != user:
        # Another's own collections: Radicale's 403 (need-privileges below, SPEC R7);
        # what is mounted in their home is never looked up for someone else.
        return _absent(href) if mounted else None
    if not name:
        return None
    collection = storage.collection(f"{home}/{name}")
    if collection is None:
        if not mounted:
            return None
        if method in ("MKCOL", "MKCALENDAR"):
            return errors.need_privileges(
                "bind", href, "Names with '@' or '~' are kept for group and shared collections."
            )
        return _absent(href)
    if "/" in rest or collection.tag != "VCALENDAR":
        return None
    privileges = access.privileges(storage.engine, user, collection)
    if policy.Privilege.READ in privileges or policy.Privilege.READ_FREE_BUSY not in privileges:
        return None
    return _busy_only_listing(environ, method)


def _busy_only_listing(environ: types.WSGIEnviron, method: str) -> types.WSGIResponse | None:
    """The empty answers of a busy-times-only calendar (None: let Radicale decide)."""
    if method == "PROPFIND":
        environ["HTTP_DEPTH"] = "0"  # type: ignore[index]  # the calendar itself, no items
        return None
    if method != "REPORT":
        return None
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0) or -1)
    environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
    found = _LISTING_REPORT.search(body[:2000])
    if found is None:
        return None  # free-busy-query and anything else
    token = f"<sync-token>{_BUSY_ONLY_TOKEN}</sync-token>" if found[1] == b"sync-collection" else ""
    answer = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<multistatus xmlns="DAV:">{token}</multistatus>'
    )
    return client.MULTI_STATUS, {"Content-Type": "text/xml; charset=utf-8"}, answer, None


def _absent(href: str) -> types.WSGIResponse:
    return errors.plain(client.NOT_FOUND, f"Nothing is found at {href}.")
