"""Which requests davshare answers itself, straight from SQL, instead of Radicale's
generic machinery: the requests clients repeat all day on a readable collection.

Each answer is written by the module named for it (``fast_props`` for the Depth-0
poll, ``fast_listing`` for Depth 1 and the initial sync, ``fast_multiget``); this one
decides whether the request is one of them. Rights are the rules' (``facts.access``),
and what a viewer sees of the items comes from the collection (views, confidential
fields, private events), so no rule has a second copy here.
"""

import io
import posixpath
from http import client
from typing import Any

from radicale import httputils, types, xmlutils

from davshare.core import policy
from davshare.dav import fast_listing, fast_multiget, fast_props
from davshare.facts import access
from davshare.model import scheduling
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection, http_date


class Request:
    """One DAV request, as far as the fast answers need it."""

    def __init__(
        self,
        storage: Storage,
        configuration: Any,
        environ: types.WSGIEnviron,
        path: str,
        user: str,
    ) -> None:
        self._storage = storage
        self._configuration = configuration
        self._environ = environ
        self._path = path
        self._user = user

    def _readable(
        self, depth: str | None, rewritten: bool = False
    ) -> tuple[Collection, bytes] | None:
        """The readable collection at the path and the request body (put back for
        Radicale); one whose items this viewer sees rewritten only if ``rewritten``."""
        if (depth is not None and self._environ.get("HTTP_DEPTH") != depth) or not self._user:
            return None
        collection = self._storage.collection(self._path.strip("/"))
        if collection is None or not collection.tag:
            return None
        if collection.rewrites_items and not rewritten:
            return None
        if policy.Privilege.READ not in self._privileges(collection):
            return None
        body = httputils.read_raw_request_body(self._configuration, self._environ)
        self._environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
        return collection, body

    def _privileges(self, collection: Collection) -> frozenset[policy.Privilege]:
        return access.privileges(self._storage.engine, self._user, collection)

    def props(self, base_prefix: str) -> bytes | None:
        """The answer to a Depth-0 PROPFIND of the collection's own properties (None:
        Radicale answers)."""
        readable = self._readable(depth="0", rewritten=True)
        if readable is None:
            return None
        collection, body = readable
        props = fast_props.requested(body)
        if props is None or collection.path.endswith("/" + scheduling.INBOX):
            return None  # the inbox is a schedule inbox, not a calendar: Radicale's, rewritten
        return fast_props.answer(collection, base_prefix, props, self._privileges(collection))

    def listing(self) -> tuple[Collection, list[str]] | None:
        """For a plain Depth 1 listing: the collection and the props; Radicale is then
        asked for Depth 0 only, and the items come from ``fast_listing``."""
        readable = self._readable(depth="1")
        if readable is None:
            return None
        collection, body = readable
        props = fast_listing.requested_props(body)
        if props is None:
            return None
        self._environ["HTTP_DEPTH"] = "0"  # type: ignore[index]
        return collection, props

    def report(self, base_prefix: str, body: bytes, encoding: str) -> bytes | None:
        """The answer to an initial sync or a multiget (None: Radicale answers)."""
        readable = self._readable(depth=None, rewritten=True)
        if readable is None:
            return None
        collection = readable[0]
        props = fast_listing.initial_sync_props(body)
        if props is not None and not collection.rewrites_items:
            return fast_listing.initial_sync(collection, base_prefix, props, encoding)
        multiget = fast_multiget.requested(body, collection.tag)
        names = multiget and fast_multiget.names_in(collection, base_prefix, multiget[1])
        if multiget is None or names is None:
            return None
        return fast_multiget.answer(collection, base_prefix, multiget[0], names, encoding)

    def item(self) -> types.WSGIResponse | None:
        """The answer to a plain GET of an item in one's own home (None: Radicale answers:
        a collection, a free-busy view, an item not found, anything not readable)."""
        sane_path = self._path.strip("/")
        if (
            not self._user
            or self._environ.get("QUERY_STRING")
            or sane_path.count("/") != 2
            or sane_path.partition("/")[0] != self._user
        ):
            return None
        collection = self._storage.collection(posixpath.dirname(sane_path))
        if collection is None or not collection.tag:
            return None
        if policy.Privilege.READ not in self._privileges(collection):
            return None
        _, row, text, etag = next(collection.seen_rows([posixpath.basename(sane_path)]))
        if row is None:
            return None
        headers = {
            "Content-Type": xmlutils.OBJECT_MIMETYPES[
                "VCARD" if row.component == "VCARD" else "VCALENDAR"
            ],
            "Last-Modified": http_date(row.modified_at),
            "ETag": etag,
        }
        return client.OK, headers, text, None
