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

from davshare.core import context
from davshare.dav import (
    decisions,
    errors,
    fast_listing,
    fast_paths,
    fast_request,
    privileges_report,
    query_options,
    quota_report,
    refusals,
    request_checks,
    schedule_methods,
    scheduling,
)
from davshare.dav.decisions import href_of
from davshare.model import db
from davshare.model.errors import DavshareError
from davshare.model.logins import normalize_login
from davshare.sign_in.base import Refused, Unavailable
from davshare.storage.backend import Storage
from davshare.storage.items import parse_item, unsupported_component

_Handler = Callable[..., types.WSGIResponse]
# PROPFIND properties whose values davshare's rules decide (see do_PROPFIND).
_REWRITTEN = (
    b"current-user-privilege-set",
    b"schedule-outbox-URL",
    b"schedule-inbox-URL",
    b"calendar-user-address-set",
    b"/.inbox/",
    b"schedule-tag",
    *quota_report.PROPERTIES,
)
_Args = tuple[types.WSGIEnviron, str, str, str, set[str], dict[str, Any]]


def _answer(refusal: types.WSGIResponse, extra: dict[str, str] | None = None) -> Any:
    """Radicale's final form (status line, header list, body) of a refusal."""
    status, headers, answer, _ = refusal
    body = str(answer).encode()
    listed = [*dict(headers).items(), *(extra or {}).items(), ("Content-Length", str(len(body)))]
    return f"{status} {client.responses[status]}", listed, [body]


def _outage(environ: types.WSGIEnviron, reason: str) -> Any:
    """503 with Retry-After: the database did not answer the request."""
    logger.error("database not answering, %s refused with 503: %s", environ["PATH_INFO"], reason)
    unavailable = errors.plain(client.SERVICE_UNAVAILABLE, db.OUTAGE_MESSAGE)
    return _answer(unavailable, {"Retry-After": str(db.OUTAGE_RETRY_AFTER)})


class DavshareApplication(schedule_methods.ScheduleMethods, Application):
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
        current = context.RequestContext(client=agent)
        token = context.begin(current)
        try:
            refused = self._refused_early(environ)
            if refused is not None:
                return refused
            self._prefetch(environ)
            answer = fast_request.answer_get(self, environ) or super()._handle_request(environ)
            if db.outage_explains(current, int(answer[0].split(" ", 1)[0])):
                # Radicale caught the database's error in its handler (500, or 400 for some
                # it wraps): the answer says nothing true about the request.
                return _outage(environ, current.database_outage)
            return request_checks.told(answer, current.sign_in_refusal)  # "use an app password"
        except (Unavailable, Refused) as e:  # 503 or 401 with why, never 500 nor a sign-in
            return _answer(request_checks.sign_in_trouble(e, self._auth_realm))
        except Exception as e:
            if not db.is_outage(e):
                raise
            return _outage(environ, str(e))
        finally:
            context.end(token)

    def _prefetch(self, environ: types.WSGIEnviron) -> None:
        """Find in one query the collections the request will ask for: the home of the
        login it signs in with (Radicale looks for it first) and what the path names."""
        path = pathutils.strip_path(pathutils.sanitize_path(environ.get("PATH_INFO", "")))
        segments = path.split("/")
        login = normalize_login(request_checks.basic_login(environ))
        self._storage.prefetch([login, segments[0], "/".join(segments[:2])])

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
        return None if refusal is None else _answer(refusal)

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
        sane_path = path.strip("/")
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
        plan = self.schedule_put(environ, user, collection, existing, text, href)
        if isinstance(plan, tuple):
            return plan
        return self.scheduled(self._guarded(super().do_PUT, args, href, collection.tag), plan)

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
        sane_path = path.strip("/")
        refusal = decisions.refuse_delete(
            self._storage, environ, user, sane_path, href_of(base_prefix, sane_path)
        )
        if refusal is not None:
            return refusal
        plan = self.schedule_delete(environ, user, sane_path)
        if isinstance(plan, tuple):
            return plan
        return self.scheduled(
            self._guarded(super().do_DELETE, args, href_of(base_prefix, sane_path)), plan
        )

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
        sane_path = path.strip("/")
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
        self.ensure_inbox(path, user)
        fast = fast_paths.Request(self._storage, self.configuration, environ, path, user)
        poll = fast.props(base_prefix)
        if poll is not None:
            return client.MULTI_STATUS, {"Content-Type": "text/xml; charset=utf-8"}, poll, None
        listing = fast.listing()
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
        scheduling.add_inbox_properties(root, base_prefix, user)
        scheduling.add_schedule_tags(root, base_prefix, self._storage)
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
        self.ensure_inbox(path, user)
        body = httputils.read_raw_request_body(self.configuration, environ)
        environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
        href = href_of(base_prefix, path.strip("/"))
        target = self._storage.collection(path.strip("/"))
        refusal = query_options.refusal(body, target.tag if target else "", href)
        if refusal is not None:
            return refusal
        fast = fast_paths.Request(self._storage, self.configuration, environ, path, user)
        answer = fast.report(base_prefix, body, self._encoding)
        if answer is not None:
            return client.MULTI_STATUS, {"Content-Type": "text/xml; charset=utf-8"}, answer, None
        report = self._guarded(super().do_REPORT, args, href)
        limit = query_options.result_limit(body)
        if limit is not None and report[0] == client.MULTI_STATUS:
            report = (
                report[0],
                report[1],
                query_options.truncate(errors.as_bytes(report[2]), limit, href),
                None,
            )
        return _for_thunderbird(environ, report)


def _for_thunderbird(environ: types.WSGIEnviron, answer: types.WSGIResponse) -> types.WSGIResponse:
    """An invalid sync token is 403 ``DAV:valid-sync-token`` (RFC 6578), but Thunderbird's
    address book starts a full sync only on 400: tell it in the status it understands."""
    status, headers, body, xml_request = answer
    agent = environ.get("HTTP_USER_AGENT", "")
    if (
        status == client.FORBIDDEN
        and "Thunderbird" in agent
        and b"valid-sync-token" in errors.as_bytes(body)
    ):
        return client.BAD_REQUEST, headers, body, xml_request
    return answer
