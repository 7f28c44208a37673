"""DavshareApplication: Radicale's application with davshare's per-item decisions.

Radicale asks its rights plugin per collection only; creator-owned items need
a decision per item, taken here before Radicale's own handler runs: refuse
with 403 ``DAV:need-privileges`` naming the missing privilege, or pin the etag
the decision was made on so the storage can repeat the check inside its write
transaction (a concurrent change then answers 412).
"""

import io
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable
from http import client
from typing import Any

from defusedxml import DefusedXmlException
from radicale import httputils, pathutils, types
from radicale.app import Application
from radicale.log import logger

from davshare.core import context, policy
from davshare.dav import (
    decisions,
    errors,
    fast_listing,
    privileges_report,
    query_options,
    quota_report,
    refusals,
    request_checks,
    scheduling,
)
from davshare.dav.decisions import href_of
from davshare.facts import access
from davshare.model.errors import DavshareError
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection
from davshare.storage.items import parse_item, unsupported_component

_Handler = Callable[..., types.WSGIResponse]
# PROPFIND properties whose values davshare's rules decide (see do_PROPFIND).
_REWRITTEN = (
    b"current-user-privilege-set",
    b"schedule-outbox-URL",
    b"schedule-inbox-URL",
    b"calendar-user-address-set",
    *quota_report.PROPERTIES,
)
_Args = tuple[types.WSGIEnviron, str, str, str, set[str], dict[str, Any]]


class DavshareApplication(Application):
    """The WSGI application serving DAV for davshare."""

    _storage: Storage

    def __init__(self, configuration: Any) -> None:
        super().__init__(configuration)
        if not isinstance(self._storage, Storage):
            raise RuntimeError("davshare needs [storage] type = davshare_plugins.storage")
        self._max_body = configuration.get("server", "max_content_length")
        self._auth_delay = 0.0  # no thread sleeps: failures are counted (sign_in_failures)
        for method in refusals.GATED:  # Radicale and the web bridge find them by name
            name = "do_" + method
            setattr(self, name, refusals.gated(getattr(self, name), self._storage, method))

    @property
    def storage(self) -> Storage:
        """The SQL storage (shared with the API)."""
        return self._storage

    # -- the request around every method ------------------------------------

    def too_large(self, environ: types.WSGIEnviron) -> str:
        """Why the request's body is refused as too large ("" when it is not)."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if self._max_body and length > self._max_body:
            return (
                f"The request body has {length} bytes; this server accepts at most "
                f"{self._max_body} (setting max_body_size)."
            )
        return ""

    def _handle_request(self, environ: types.WSGIEnviron) -> Any:
        agent = str(environ.get("HTTP_USER_AGENT", ""))[:255]
        token = context.begin(context.RequestContext(client=agent))
        try:
            refused = self._refused_early(environ)
            if refused is not None:
                return refused
            return super()._handle_request(environ)
        finally:
            context.end(token)

    def _refused_early(self, environ: types.WSGIEnviron) -> Any:
        """The answer to a request refused before Radicale reads it (or None)."""
        refusal = request_checks.decode_path(environ) or request_checks.unknown_charset(environ)
        too_large = self.too_large(environ)
        if refusal is None and too_large:
            refusal = errors.plain(client.REQUEST_ENTITY_TOO_LARGE, too_large)
        if refusal is None:
            refusal = request_checks.refused_sign_in(
                environ, self._storage.engine, self._auth_realm
            )
        if refusal is None:
            return None
        status, headers, answer, _ = refusal
        body = str(answer).encode()
        listed = [*dict(headers).items(), ("Content-Length", str(len(body)))]
        return f"{status} {client.responses[status]}", listed, [body]

    def _read_xml_request_body(
        self, environ: types.WSGIEnviron, request_info: dict[str, Any]
    ) -> Any:
        # defusedxml refuses DTDs and entities with its own exceptions, which
        # Radicale would let through as a 500; its handlers answer 400 to RuntimeError.
        try:
            document = super()._read_xml_request_body(environ, request_info)
        except DefusedXmlException as e:
            raise RuntimeError(f"XML with entity declarations is not accepted: {e}") from e
        request_checks.check_xml_depth(document)  # Radicale walks the tree recursively
        return document

    def _guarded(
        self, handler: _Handler, args: _Args, href: str, tag: str = ""
    ) -> types.WSGIResponse:
        """Run a Radicale handler, turning data-layer exceptions into their DAV answers."""
        try:
            return handler(*args)
        except DavshareError as e:
            logger.info("refused: %s", e)
            return errors.response_for(e, href, tag)

    # -- PUT -----------------------------------------------------------------

    def do_PUT(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        args: _Args = (environ, base_prefix, path, user, user_groups, request_info)
        if not user:
            return httputils.NOT_ALLOWED  # Radicale turns this into 401 with a challenge
        context.current().user = user
        sane_path = pathutils.strip_path(path)
        href = href_of(base_prefix, sane_path)
        target = self._storage.collection(sane_path)
        if target is not None and target.is_mount:
            return errors.need_privileges(
                "write", href, "A group's collection cannot be replaced by a PUT."
            )
        collection = self._storage.collection(posixpath.dirname(sane_path))
        if collection is not None and not collection.tag:
            collection = None  # a whole collection: one transaction (storage)
        existing = None
        if collection is not None:
            existing = decisions.item_at(collection, sane_path)
            refusal = decisions.refuse_write(self._storage, user, collection, existing, href)
            if refusal is not None:
                return refusal
        text = request_checks.read_text(self.configuration, environ)
        if not isinstance(text, str):
            return text
        if collection is None:
            return self._guarded(super().do_PUT, args, href, target.tag if target else "")
        item, invalid = parse_item(text, collection, self._max_vevent_rrule_occurrence)
        if item is None:
            return errors.plain(client.BAD_REQUEST, invalid)
        unsupported = unsupported_component(item, collection)
        if unsupported:
            return errors.dav_error(client.FORBIDDEN, "C:supported-calendar-component", unsupported)
        context.current().raw_body = text
        decisions.pin(self._storage, environ, collection, sane_path, existing)
        return self._guarded(super().do_PUT, args, href, collection.tag)

    # -- DELETE --------------------------------------------------------------

    def do_DELETE(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        args: _Args = (environ, base_prefix, path, user, user_groups, request_info)
        if not user:
            return httputils.NOT_ALLOWED  # Radicale turns this into 401 with a challenge
        context.current().user = user
        sane_path = pathutils.strip_path(path)
        refusal = decisions.refuse_delete(
            self._storage, environ, user, sane_path, href_of(base_prefix, sane_path)
        )
        if refusal is not None:
            return refusal
        return self._guarded(super().do_DELETE, args, href_of(base_prefix, sane_path))

    # -- MOVE ----------------------------------------------------------------

    def do_MOVE(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        args: _Args = (environ, base_prefix, path, user, user_groups, request_info)
        if not user:
            return httputils.NOT_ALLOWED  # Radicale turns this into 401 with a challenge
        context.current().user = user
        sane_path = pathutils.strip_path(path)
        refusal = decisions.refuse_move(self._storage, environ, base_prefix, sane_path, user)
        if refusal is not None:
            return refusal
        return self._guarded(super().do_MOVE, args, href_of(base_prefix, sane_path))

    # -- PROPFIND --------------------------------------------------------------

    def do_PROPFIND(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        listing = self._fast_listing(environ, path, user)
        status, headers, answer, xml_request = super().do_PROPFIND(
            environ, base_prefix, path, user, user_groups, request_info
        )
        if status != client.MULTI_STATUS or not isinstance(answer, bytes):
            return status, headers, answer, xml_request
        if listing is not None:
            collection, props = listing
            responses = fast_listing.item_responses(collection, base_prefix, props, self._encoding)
            answer = fast_listing.splice(answer, responses)
        if not any(name in answer for name in _REWRITTEN):
            return status, headers, answer, xml_request  # nothing the rules change was asked for
        root = ET.fromstring(answer)
        privileges_report.apply(root, base_prefix, user, self._storage)
        scheduling.add_principal_properties(root, base_prefix, user)
        quota_report.apply(root, base_prefix, self._storage)
        return (
            status,
            headers,
            ET.tostring(root, encoding="utf-8", xml_declaration=True),
            xml_request,
        )

    def do_REPORT(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        args: _Args = (environ, base_prefix, path, user, user_groups, request_info)
        body = httputils.read_raw_request_body(self.configuration, environ)
        environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
        href = href_of(base_prefix, pathutils.strip_path(path))
        target = self._storage.collection(pathutils.strip_path(path))
        refusal = query_options.refusal(body, target.tag if target else "", href)
        if refusal is not None:
            return refusal
        listing = self._readable_collection(environ, path, user, depth=None)
        if listing is not None:
            collection, body = listing
            props = fast_listing.initial_sync_props(body)
            if props is not None:
                answer = fast_listing.initial_sync(collection, base_prefix, props, self._encoding)
                return (
                    client.MULTI_STATUS,
                    {"Content-Type": "text/xml; charset=utf-8"},
                    answer,
                    None,
                )
        report = self._guarded(super().do_REPORT, args, href)
        limit = query_options.result_limit(body)
        if limit is not None and report[0] == client.MULTI_STATUS:
            report = (
                report[0],
                report[1],
                query_options.truncate(_bytes(report[2]), limit, href),
                None,
            )
        return _for_thunderbird(environ, report)

    def _readable_collection(
        self, environ: types.WSGIEnviron, path: str, user: str, depth: str | None
    ) -> tuple[Collection, bytes] | None:
        """The readable collection at ``path`` and the request body (put back for Radicale)."""
        if (depth is not None and environ.get("HTTP_DEPTH") != depth) or not user:
            return None
        collection = self._storage.collection(pathutils.strip_path(path))
        if collection is None or not collection.tag or collection.rewrites_items:
            return None
        if policy.Privilege.READ not in access.privileges(self._storage.engine, user, collection):
            return None
        body = httputils.read_raw_request_body(self.configuration, environ)
        environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
        return collection, body

    def _fast_listing(
        self, environ: types.WSGIEnviron, path: str, user: str
    ) -> tuple[Collection, list[str]] | None:
        """For a plain Depth 1 listing of a readable collection: the collection and the props.

        Radicale is then asked for Depth 0 only; the items come from fast_listing.
        """
        readable = self._readable_collection(environ, path, user, depth="1")
        if readable is None:
            return None
        collection, body = readable
        props = fast_listing.requested_props(body)
        if props is None:
            return None
        environ["HTTP_DEPTH"] = "0"  # type: ignore[index]
        return collection, props

    # -- scheduling (the free/busy part of RFC 6638) ---------------------------

    def do_POST(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        sane_path = pathutils.strip_path(path)
        if not sane_path.endswith("/" + scheduling.OUTBOX):
            return super().do_POST(environ, base_prefix, path, user, user_groups, request_info)
        if not user:
            return httputils.NOT_ALLOWED
        if sane_path != f"{user}/{scheduling.OUTBOX}":
            return errors.need_privileges(
                "bind", href_of(base_prefix, sane_path), "This is not your outbox."
            )
        body = httputils.read_raw_request_body(self.configuration, environ)
        text = httputils.decode_request(self.configuration, environ, body)
        try:
            return scheduling.outbox_post(self._storage, user, text)
        except DavshareError as e:
            return errors.response_for(e, href_of(base_prefix, sane_path))

    def do_OPTIONS(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        status, headers, answer, xml_request = super().do_OPTIONS(
            environ, base_prefix, path, user, user_groups, request_info
        )
        headers = dict(headers)
        # Clients look for this before they ask the outbox for free/busy (RFC 6638 2.1).
        headers["DAV"] = headers.get("DAV", httputils.DAV_HEADERS) + ", calendar-auto-schedule"
        return status, headers, answer, xml_request


def _for_thunderbird(environ: types.WSGIEnviron, answer: types.WSGIResponse) -> types.WSGIResponse:
    """An invalid sync token is 403 ``DAV:valid-sync-token`` (RFC 6578), but Thunderbird's
    address book starts a full sync only on 400: tell it in the status it understands."""
    status, headers, body, xml_request = answer
    agent = environ.get("HTTP_USER_AGENT", "")
    if (
        status == client.FORBIDDEN
        and "Thunderbird" in agent
        and b"valid-sync-token" in _bytes(body)
    ):
        return client.BAD_REQUEST, headers, body, xml_request
    return answer


def _bytes(body: object) -> bytes:
    if isinstance(body, bytes):
        return body
    return body.encode() if isinstance(body, str) else b""
