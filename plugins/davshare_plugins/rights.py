"""Radicale rights plugin: ``[rights] type = davshare_plugins.rights``.

Radicale asks per collection whether a user may read ("r") or write ("w").
The answer comes from ``davshare.policy`` through ``davshare.access``: a
member who may read a group collection gets "rw" so that Radicale lets the
request through to davshare's application, which decides each write per item
(add, modify, delete) and answers 403 with ``DAV:need-privileges`` itself.
"""

from radicale import config, rights

from davshare.core import context, policy
from davshare.facts import access
from davshare.model.sharing import SHARE_SEPARATOR
from davshare.storage.backend import Storage
from davshare.storage.mounts import MOUNT_SEPARATOR


class Rights(rights.BaseRights):
    """Access to one's own home, own collections and the group collections mounted there."""

    def __init__(self, configuration: config.Configuration) -> None:
        super().__init__(configuration)
        self._storage = Storage(configuration)

    def authorization(self, user: str, user_groups: set[str], path: str) -> str:
        # Radicale asks again for every item of a PROPFIND Depth 1: answer once per request.
        key = ("rights", user, path)
        cache = context.current().cache
        if key not in cache:
            cache[key] = self._authorization(user, path.strip("/"))
        return str(cache[key])

    def _authorization(self, user: str, sane_path: str) -> str:
        if not user:
            return ""
        if not sane_path:
            return "R"
        home, _, rest = sane_path.partition("/")
        if home != user or "/" in rest:
            return ""  # others' homes are never addressed directly; items go by their parent
        if not rest:
            return "RW"
        collection = self._storage.collection(sane_path)
        if collection is None:
            # A new personal collection may be created, but never under a mount's name.
            return "" if MOUNT_SEPARATOR in rest or SHARE_SEPARATOR in rest else "rw"
        privileges = access.privileges(self._storage.engine, user, collection)
        if policy.Privilege.READ in privileges:
            return "rw"
        # Free/busy only: Radicale then answers free-busy-query REPORTs and nothing else.
        return "f" if policy.Privilege.READ_FREE_BUSY in privileges else ""
