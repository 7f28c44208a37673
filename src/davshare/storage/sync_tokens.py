"""A collection's sync tokens (RFC 6578) and what changed since one: from the change log.

A token names the collection (its uuid), the revision of the last change the viewer
could see, and the viewer's lens (view and confidential properties): when the lens
changes, older tokens are refused and the client syncs afresh, as it is for a token
older than the change log kept (``model/change_log``).
"""

from collections.abc import Iterable, Iterator

from sqlalchemy import Engine, and_, func, not_, select

from davshare.core import context
from davshare.model.db import read_transaction
from davshare.model.tables import changes
from davshare.storage.lens import Lens

SYNC_TOKEN_PREFIX = "http://davshare.org/ns/sync/"


class SyncTokens:
    """The sync part of ``Collection`` (which sets these attributes)."""

    _id: int
    _uuid: str
    _revision: int
    _pruned_revision: int
    _lens: Lens

    @property
    def engine(self) -> Engine:
        raise NotImplementedError

    def _all_hrefs(self) -> Iterator[str]:
        raise NotImplementedError

    def sync_token(self) -> str:
        """The token that names this collection's current state, as this viewer sees it.

        It names the view (with its version) and the confidential properties:
        when either changes, older tokens are refused and clients sync afresh.
        """
        revision = self.visible_revision()
        return f"{SYNC_TOKEN_PREFIX}{self._uuid}-{revision}{self._lens.token_suffix}"

    def visible_revision(self) -> int:
        """The revision of the last change this viewer could see (the collection's, for most).

        A change behind the viewer's lens moves neither their token nor their CTag.
        """
        keys = self._lens.keys
        if not keys:
            return self._revision
        cache = context.current().cache
        key = ("collection.visible_revision", self._id, keys, self._revision)
        if key not in cache:
            unseen = and_(*(not_(changes.c.hidden_for.like(f"% {k} %")) for k in keys))
            query = select(func.max(changes.c.revision)).where(
                changes.c.collection_id == self._id, unseen
            )
            with read_transaction(self.engine) as conn:
                cache[key] = int(conn.scalar(query) or 0)
        return int(cache[key])  # type: ignore[call-overload]

    def _revision_of_token(self, token: str) -> int:
        if not token.startswith(SYNC_TOKEN_PREFIX):
            raise ValueError(f"not a davshare sync token: {token!r}")
        uuid, _, rest = token[len(SYNC_TOKEN_PREFIX) :].partition("-")
        revision, _, suffix = rest.partition("-")
        if (
            uuid != self._uuid
            or not revision.isdigit()
            or int(revision) > self._revision
            or int(revision) < self._pruned_revision
            or (f"-{suffix}" if suffix else "") != self._lens.token_suffix
        ):
            raise ValueError(f"sync token {token!r} is not one of this collection")
        return int(revision)

    def sync(self, old_token: str = "") -> tuple[str, Iterable[str]]:
        token = self.sync_token()
        if not old_token:
            # Read only if iterated: a PROPFIND for the sync-token keeps the token alone
            # (it is what every client polls), a sync-collection REPORT reads the hrefs.
            return token, self._all_hrefs()
        since = self._revision_of_token(old_token)
        query = select(changes.c.href, changes.c.hidden_for).where(
            changes.c.collection_id == self._id, changes.c.revision > since
        )
        lenses = self._lens.keys
        with read_transaction(self.engine) as conn:
            rows = conn.execute(query).all()
        # A change this viewer cannot see (a contact outside their view, a
        # confidential property) is not reported to them (issue 5).
        seen = (h for h, hidden in rows if not (lenses and lenses & set(hidden.split())))
        return token, list(dict.fromkeys(seen))
