"""DavshareApplication: Radicale's application with davshare's per-item decisions.

Radicale asks its rights plugin per collection only; creator-owned items need
a decision per item, taken here before Radicale's own handler runs: refuse
with 403 ``DAV:need-privileges`` naming the missing privilege, or pin the etag
the decision was made on so the storage can repeat the check inside its write
transaction (a concurrent change then answers 412).
"""

import io
import posixpath
from collections.abc import Callable
from http import client
from typing import Any
from urllib.parse import unquote, urlparse

from defusedxml import DefusedXmlException
from radicale import httputils, pathutils, types
from radicale import item as radicale_item
from radicale.app import Application
from radicale.log import logger

from davshare import context, errors, policy
from davshare.model.errors import DavshareError
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection

_Handler = Callable[..., types.WSGIResponse]


def _requester(user: str) -> policy.Requester:
    return policy.Requester(login=user)


def _facts(collection: Collection) -> policy.CollectionFacts:
    return policy.CollectionFacts(path=collection.path, owner=collection.owner)


def _href(base_prefix: str, sane_path: str) -> str:
    return base_prefix + pathutils.unstrip_path(sane_path)


class DavshareApplication(Application):
    """The WSGI application serving DAV for davshare."""

    _storage: Storage

    def __init__(self, configuration: Any) -> None:
        super().__init__(configuration)
        if not isinstance(self._storage, Storage):
            raise RuntimeError("davshare needs [storage] type = davshare_plugins.storage")
        self._max_body = configuration.get("server", "max_content_length")

    # -- the request around every method ------------------------------------

    def _handle_request(self, environ: types.WSGIEnviron) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if self._max_body and length > self._max_body:
            message = (
                f"The request body has {length} bytes; this server accepts at most "
                f"{self._max_body} (setting max_body_size)."
            )
            body = message.encode()
            headers = [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ]
            return "413 Request Entity Too Large", headers, [body]
        token = context.begin(context.RequestContext())
        try:
            return super()._handle_request(environ)
        finally:
            context.end(token)

    def _read_xml_request_body(
        self, environ: types.WSGIEnviron, request_info: dict[str, Any]
    ) -> Any:
        # defusedxml refuses DTDs and entities with its own exceptions, which
        # Radicale would let through as a 500; its handlers answer 400 to RuntimeError.
        try:
            return super()._read_xml_request_body(environ, request_info)
        except DefusedXmlException as e:
            raise RuntimeError(f"XML with entity declarations is not accepted: {e}") from e

    def _guarded(
        self, handler: _Handler, *args: Any, href: str = "", tag: str = ""
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
        context.current().user = user
        sane_path = pathutils.strip_path(path)
        collection = self._storage.collection(posixpath.dirname(sane_path))
        if collection is None or not collection.tag:
            return super().do_PUT(environ, base_prefix, path, user, user_groups, request_info)
        href = posixpath.basename(sane_path)
        existing = next(iter(collection.get_multi([href])))[1]
        refusal = self._refuse_write(user, collection, existing, _href(base_prefix, sane_path))
        if refusal is not None:
            return refusal
        try:
            body = httputils.read_raw_request_body(self.configuration, environ)
        except RuntimeError as e:
            return errors.plain(client.BAD_REQUEST, f"The request body could not be read: {e}")
        text = httputils.decode_request(self.configuration, environ, body)
        item, invalid = _parse_item(text, collection, self._max_vevent_rrule_occurrence)
        if item is None:
            return errors.plain(client.BAD_REQUEST, invalid)
        unsupported = _unsupported_component(item, collection)
        if unsupported:
            return errors.dav_error(client.FORBIDDEN, "C:supported-calendar-component", unsupported)
        environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
        ctx = context.current()
        ctx.raw_body = text
        ctx.expected_etags[sane_path] = existing.etag if existing else context.ABSENT
        handler = super().do_PUT
        return self._guarded(
            handler,
            environ,
            base_prefix,
            path,
            user,
            user_groups,
            request_info,
            href=_href(base_prefix, sane_path),
            tag=collection.tag,
        )

    def _refuse_write(
        self, user: str, collection: Collection, existing: radicale_item.Item | None, href: str
    ) -> types.WSGIResponse | None:
        requester, facts = _requester(user), _facts(collection)
        if existing is None and not policy.can_add(requester, facts):
            return errors.need_privileges(
                "bind",
                href,
                f"You may not add items to {collection.path}: ask its owner for the add right.",
            )
        if existing is not None and not policy.can_edit(
            requester, facts, _creator(collection, existing)
        ):
            return errors.need_privileges(
                "write-content",
                href,
                "You may not modify this item: ask its creator for the right to.",
            )
        return None

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
        context.current().user = user
        sane_path = pathutils.strip_path(path)
        href = _href(base_prefix, sane_path)
        if sane_path and "/" not in sane_path:
            return errors.need_privileges(
                "unbind",
                href,
                "An account's home cannot be deleted over DAV: ask the server admin.",
            )
        collection = self._storage.collection(posixpath.dirname(sane_path))
        if collection is not None and collection.tag:
            existing = next(iter(collection.get_multi([posixpath.basename(sane_path)])))[1]
            if existing is not None:
                creator = _creator(collection, existing)
                if not policy.can_delete(_requester(user), _facts(collection), creator):
                    return errors.need_privileges(
                        "unbind", href, f"You may not delete items of {collection.path}."
                    )
                context.current().expected_etags[sane_path] = existing.etag
        else:
            target = self._storage.collection(sane_path)
            if target is not None and target.owner != user:
                return errors.need_privileges(
                    "unbind", href, "Only its owner may delete this collection."
                )
        handler = super().do_DELETE
        return self._guarded(
            handler, environ, base_prefix, path, user, user_groups, request_info, href=href
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
        context.current().user = user
        refusal = self._refuse_move(environ, base_prefix, pathutils.strip_path(path), user)
        if refusal is not None:
            return refusal
        handler = super().do_MOVE
        return self._guarded(
            handler,
            environ,
            base_prefix,
            path,
            user,
            user_groups,
            request_info,
            href=_href(base_prefix, pathutils.strip_path(path)),
        )

    def _refuse_move(
        self, environ: types.WSGIEnviron, base_prefix: str, sane_path: str, user: str
    ) -> types.WSGIResponse | None:
        """A MOVE of an item is a delete from its collection and an add (or edit) in the target."""
        source = self._storage.collection(posixpath.dirname(sane_path))
        if source is None or not source.tag:
            return None
        item = next(iter(source.get_multi([posixpath.basename(sane_path)])))[1]
        if item is None:
            return None
        href = _href(base_prefix, sane_path)
        if not policy.can_delete(_requester(user), _facts(source), _creator(source, item)):
            return errors.need_privileges(
                "unbind", href, f"You may not remove items from {source.path}."
            )
        destination = unquote(urlparse(environ.get("HTTP_DESTINATION", "")).path)
        to_path = pathutils.strip_path(pathutils.sanitize_path(destination)[len(base_prefix) :])
        target = self._storage.collection(posixpath.dirname(to_path))
        if target is None or not target.tag:
            return None
        existing = next(iter(target.get_multi([posixpath.basename(to_path)])))[1]
        return self._refuse_write(user, target, existing, _href(base_prefix, to_path))


def _creator(collection: Collection, item: radicale_item.Item) -> policy.ItemFacts:
    # Creator-owned items arrive with groups; until then the owner created everything.
    return policy.ItemFacts(creator=collection.owner)


def _parse_item(
    text: str, collection: Collection, max_occurrences: int
) -> tuple[radicale_item.Item | None, str]:
    """The item ``text`` makes in ``collection``, or None and why it cannot be stored."""
    kind = "vCard" if collection.tag == "VADDRESSBOOK" else "iCalendar object"
    try:
        components = radicale_item.read_components(text)
    except Exception as e:
        return None, f"The body is not a valid {kind}: {e}"
    try:
        radicale_item.check_and_sanitize_items(
            components,
            max_vevent_rrule_occurrence=max_occurrences,
            is_collection=False,
            tag=collection.tag,
        )
        item = radicale_item.Item(collection_path=collection.path, vobject_item=components[0])
        item.prepare()
    except Exception as e:
        return None, f"The body is not a valid {kind} for {collection.path}: {e}"
    return item, ""


def _unsupported_component(item: radicale_item.Item, collection: Collection) -> str:
    """Why a calendar refuses the item's kind (RFC 4791 5.3.2.1), or "" if it takes it."""
    supported = collection.get_meta("C:supported-calendar-component-set")
    if collection.tag != "VCALENDAR" or not supported:
        return ""
    if item.component_name in supported.split(","):
        return ""
    names = {"VEVENT": "events", "VTODO": "tasks", "VJOURNAL": "journal entries"}
    return (
        f"{collection.path} holds {', '.join(names.get(c, c) for c in supported.split(','))}, "
        f"not {names.get(item.component_name, item.component_name)}: put it in another calendar"
    )
