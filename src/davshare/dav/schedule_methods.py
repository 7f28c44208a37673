"""The DAV methods' scheduling parts (RFC 6638), mixed into ``DavshareApplication``.

The outbox POST (free/busy), OPTIONS' ``calendar-auto-schedule``, the Schedule-Tag of a
GET, and what PUT and DELETE deliver: ``schedule_put``/``schedule_delete`` decide before
the write, ``scheduled`` delivers once it is stored.
"""

import posixpath
from http import client
from typing import Any

from radicale import httputils, types
from radicale import item as radicale_item
from radicale.app import Application

from davshare.core import context
from davshare.dav import decisions, errors, fast_paths, implicit_scheduling, scheduling
from davshare.dav.decisions import href_of
from davshare.model import scheduling as scheduling_data
from davshare.model.errors import DavshareError
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection

Plan = implicit_scheduling.Plan | None


class ScheduleMethods(Application):
    """Scheduling over Radicale's application (a mixin: needs ``_storage``)."""

    _storage: Storage

    def ensure_inbox(self, path: str, user: str) -> None:
        """Make the caller's inbox when they ask for it (the first time: it is made then)."""
        if user and path.strip("/") == scheduling_data.inbox_path(user):
            self._storage.ensure_inbox(user)

    def schedule_put(
        self,
        environ: types.WSGIEnviron,
        user: str,
        collection: Collection,
        existing: radicale_item.Item | None,
        text: str,
        href: str,
    ) -> Plan | types.WSGIResponse:
        """What the PUT of ``text`` delivers, or its refusal (inbox, Schedule-Tag, organizer)."""
        if scheduling_data.is_inbox(collection.path):
            return errors.need_privileges(
                "bind", href, "The schedule inbox holds messages the server delivers only."
            )
        if collection.tag != "VCALENDAR":
            return None
        refusal = implicit_scheduling.tag_refusal(
            self._storage.engine, environ, collection.id, existing
        )
        if refusal is not None:
            return refusal
        return implicit_scheduling.plan_put(self._storage.engine, environ, user, existing, text)

    def schedule_delete(
        self, environ: types.WSGIEnviron, user: str, sane_path: str
    ) -> Plan | types.WSGIResponse:
        """What the DELETE of the item at ``sane_path`` will deliver, or 412 (Schedule-Tag)."""
        collection = self._storage.collection(posixpath.dirname(sane_path))
        if collection is None or collection.tag != "VCALENDAR":
            return None
        if scheduling_data.is_inbox(collection.path):
            return None  # the owner reads and deletes their messages
        existing = decisions.item_at(collection, sane_path)
        refusal = implicit_scheduling.tag_refusal(
            self._storage.engine, environ, collection.id, existing
        )
        if refusal is not None:
            return refusal
        return implicit_scheduling.plan_delete(user, existing)

    def scheduled(self, answer: types.WSGIResponse, plan: Plan) -> types.WSGIResponse:
        """Deliver ``plan`` if the write succeeded; the answer with its Schedule-Tag."""
        if answer[0] in (client.CREATED, client.NO_CONTENT, client.OK):
            implicit_scheduling.deliver(self._storage.engine, plan)
        return implicit_scheduling.answer_headers(answer, plan, context.current().schedule_tag)

    def do_GET(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        fast = fast_paths.Request(self._storage, self.configuration, environ, path, user)
        answer = fast.item() if not self._sharing._enabled else None
        if answer is None:
            answer = super().do_GET(environ, base_prefix, path, user, user_groups, request_info)
        status, headers, body, xml_request = answer
        sane_path = path.strip("/")
        scheduling_object = b"ORGANIZER" in errors.as_bytes(body)
        if status != client.OK or sane_path.count("/") != 2 or not scheduling_object:
            return answer  # only scheduling objects have a Schedule-Tag
        collection = self._storage.collection(posixpath.dirname(sane_path))
        if collection is None or collection.tag != "VCALENDAR":
            return answer
        tag = scheduling_data.schedule_tag(
            self._storage.engine, collection.id, posixpath.basename(sane_path)
        )
        if not tag:
            return answer
        return status, {**dict(headers), "Schedule-Tag": f'"{tag}"'}, body, xml_request

    def do_POST(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        sane_path = path.strip("/")
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
        # Invitations are delivered by the server (RFC 6638 2.1): clients stop sending them.
        headers["DAV"] = headers.get("DAV", httputils.DAV_HEADERS) + ", calendar-auto-schedule"
        return status, headers, answer, xml_request
